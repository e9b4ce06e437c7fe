import type { Cloud, CommandOf, CspProgram, PartnerProgram } from '../shared/vocabulary';

export type EnrollPartner = CommandOf<
  'EnrollPartner',
  { partnerId: string; name: string; program: PartnerProgram; cloud: Cloud }
>;

export type MovePartnerToCsp = CommandOf<'MovePartnerToCsp', { partnerId: string; program: CspProgram }>;

export type AuthorizeIndirectReseller = CommandOf<'AuthorizeIndirectReseller', { providerId: string; resellerId: string }>;

export type PartnerCommand = EnrollPartner | MovePartnerToCsp | AuthorizeIndirectReseller;
