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

/**
 * Why each partner fact only widens what partners may do. A decision about a customer reads partners' streams,
 * and its append is held to the revisions it read: inside the append on SQLite, just before it on EventStoreDB,
 * where a partner fact landing in that one round trip is not seen. While every partner fact only widens, what
 * older partner facts allow the newer ones allow too, so such a decision still stands (and `ledger verify`
 * names it). A new partner event type must be entered here; one that narrows (revoking a reseller's
 * authorization, say) needs the check inside the append on EventStoreDB too (docs/write-side.md).
 */
export const PARTNER_FACTS_ONLY_WIDEN: Readonly<Record<PartnerEvent['type'], string>> = {
  PartnerEnrolled: 'an unknown partner, which no rule lets act or be named, becomes an enrolled one',
  PartnerMovedToCsp: 'an advisor, which may neither sell, invite, nor hold delegated admin or GDAP, joins a CSP program',
  IndirectResellerAuthorized: "a reseller is added to its provider's authorized list; none is taken off",
};
