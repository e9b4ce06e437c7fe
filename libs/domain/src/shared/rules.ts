import type { RuleId } from './ledger-error';

/** The multichannel rules of ../shared/domain.md, by stable id: the title a refusal carries. */
export const RULES: Readonly<Record<RuleId, string>> = {
  'MC-01': 'Parties of different clouds never deal with each other',
  'MC-02': 'Only a direct-bill partner or an indirect provider creates a CSP invitation',
  'MC-03': 'An indirect reseller uses its provider’s invitation, and only an authorized reseller is routed',
  'MC-04': 'Only the invited customer accepts a pending invitation, once',
  'MC-05': 'The inviting partner owns the relationship; a routed reseller is only linked',
  'MC-06': 'A CSP partner cannot sell online services to another CSP partner',
  'MC-07': 'Only the customer grants delegated admin, to an eligible CSP partner, with roles, for at most 2 years',
  'MC-08': 'Multi-partner support does not change ownership',
  'MC-09': 'A license-based subscription is not switched before its term ends',
  'MC-10': 'Usage-based subscriptions from Microsoft, Advisor, Open or EA have no migration path into CSP',
  'MC-11': 'Only a usage-based subscription from a CSP partner is switched to another CSP partner',
  'MC-12': 'A switch targets a selling partner in the customer’s cloud with an accepted relationship',
  'MC-13': 'Only direct-bill partners and indirect providers sell, to customers they have a relationship with',
  'MC-14': 'A license term ends once, at or after its end date',
  'MC-15': 'Relationships and grants end once, and give no rights after they end',
};
