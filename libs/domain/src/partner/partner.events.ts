import type { Cloud, CspProgram, PartnerProgram } from '../shared/vocabulary';

export interface PartnerEnrolled {
  readonly type: 'PartnerEnrolled';
  readonly data: { partnerId: string; name: string; program: PartnerProgram; cloud: Cloud };
}

export interface PartnerMovedToCsp {
  readonly type: 'PartnerMovedToCsp';
  readonly data: { partnerId: string; fromProgram: 'advisor'; toProgram: CspProgram };
}

export interface IndirectResellerAuthorized {
  readonly type: 'IndirectResellerAuthorized';
  readonly data: { providerId: string; resellerId: string };
}

export type PartnerEvent = PartnerEnrolled | PartnerMovedToCsp | IndirectResellerAuthorized;
