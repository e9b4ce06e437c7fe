/** The three editions of Partner Center. Parties of different clouds never deal with each other (MC-01). */
export const CLOUDS = ['global', 'germany', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** The program a partner is enrolled in. Only the first three are CSP programs. */
export const PARTNER_PROGRAMS = ['direct-bill', 'indirect-provider', 'indirect-reseller', 'advisor'] as const;
export type PartnerProgram = (typeof PARTNER_PROGRAMS)[number];

export const CSP_PROGRAMS = ['direct-bill', 'indirect-provider', 'indirect-reseller'] as const;
export type CspProgram = (typeof CSP_PROGRAMS)[number];

/** Programs whose partners may sell (transact) and create invitations (MC-02, MC-13). */
export const SELLING_PROGRAMS: readonly PartnerProgram[] = ['direct-bill', 'indirect-provider'];

/** The channel through which a subscription was bought. `csp` means a CSP partner is its partner of record. */
export const CHANNELS = ['microsoft', 'advisor', 'open', 'ea', '21vianet', 'third-party', 'csp'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Usage-based subscriptions bought through these channels have no migration path into CSP (MC-10). */
export const CHANNELS_WITHOUT_CSP_MIGRATION: readonly Channel[] = ['microsoft', 'advisor', 'open', 'ea'];

export const SUBSCRIPTION_KINDS = ['license', 'usage'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/**
 * The commerce platform a CSP subscription was sold on: `legacy` (the seeds' licenses and Azure subscriptions) or
 * `new-commerce` (Azure plans, reservations, savings plans, new commerce licenses), which partner-led transfers
 * move (MC-22). Subscriptions recorded before the ledger knew the difference are legacy.
 */
export const COMMERCE = ['legacy', 'new-commerce'] as const;
export type Commerce = (typeof COMMERCE)[number];

/** How a GDAP relationship came about (MC-20). */
export const GDAP_ORIGINS = ['customer-approved', 'microsoft-led', 'default-roles'] as const;
export type GdapOrigin = (typeof GDAP_ORIGINS)[number];

/** The role that rules out auto-extension (MC-16, MC-18). */
export const GLOBAL_ADMINISTRATOR = 'Global Administrator';
/** GDAP's fixed terms (Microsoft Graph delegatedAdminRelationship): a request's life, the longest duration, one auto-extension. */
export const GDAP_TERMS = { requestTtlDays: 90, minDurationDays: 1, maxDurationDays: 730, autoExtendDays: 180 } as const;

export const ACTOR_KINDS = ['partner', 'customer', 'operator', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Who acted. A `partner` or `customer` actor is that party itself (or a service acting for it);
 * an `operator` is a back-office service of the ledger's owner; `system` is the ledger's scheduler.
 */
export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
}

/** What every command carries besides its data: who acts, and the ledger clock's time (ISO 8601). */
export interface CommandContext {
  readonly actor: Actor;
  readonly now: string;
}

export function isSellingProgram(program: PartnerProgram): boolean {
  return SELLING_PROGRAMS.includes(program);
}

export function isCspProgram(program: PartnerProgram): program is CspProgram {
  return (CSP_PROGRAMS as readonly string[]).includes(program);
}

/** A command: an imperative type, its data, and the context it runs in. */
export interface CommandOf<T extends string, D> {
  readonly type: T;
  readonly data: D;
  readonly metadata: CommandContext;
}
