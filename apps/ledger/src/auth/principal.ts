import { ACTOR_KINDS, type Actor } from '@ledger/domain';
import type { Scope } from '../config/ledger-config';

/** How a caller proved who it is: recorded in every event it causes, beside the acting party. */
export type Credential =
  | { readonly type: 'static-token'; readonly client: string }
  | { readonly type: 'oidc'; readonly client: string; readonly issuer: string; readonly subject: string }
  | { readonly type: 'ledger'; readonly client: string };

/**
 * A party a credential may act for: one party (`partner:northwind`), every party of a kind (`customer:*`),
 * the calling client itself as an operator (`operator:self`), or the ledger's own system (`system`).
 */
export type PartyPattern =
  | { readonly kind: 'partner' | 'customer' | 'operator'; readonly id: string | '*' }
  | { readonly kind: 'operator'; readonly id: 'self' }
  | { readonly kind: 'system' };

/** The authenticated caller of a request. */
export interface Principal {
  readonly client: string;
  readonly scopes: ReadonlySet<Scope>;
  /**
   * Set when the credential is bound to one partner or customer: that party is then the only one it acts as,
   * and the only one whose data it reads.
   */
  readonly boundActor?: Actor;
  /** For a service credential: the parties a `Ledger-Actor` header may name. Empty: the client acts as itself. */
  readonly actsFor: readonly PartyPattern[];
  readonly credential: Credential;
}

/** Party-bound credentials act for one partner or customer: they neither audit the whole ledger nor act as the system. */
export const SCOPES_NOT_FOR_BOUND_CREDENTIALS: ReadonlySet<Scope> = new Set(['audit', 'system']);

/** Client names the ledger keeps for its own acts: no credential may call itself one of them. */
export const RESERVED_CLIENTS: ReadonlySet<string> = new Set(['scheduler', 'ledger', 'system']);

const PARTY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Parses `kind:id` (e.g. `partner:contoso-csp`); `system` stands alone. Returns undefined when malformed. */
export function parseActor(text: string): Actor | undefined {
  if (text === 'system') return { kind: 'system', id: 'system' };
  const match = /^([a-z]+):(.+)$/.exec(text);
  if (!match || !PARTY_ID.test(match[2]) || !(ACTOR_KINDS as readonly string[]).includes(match[1]) || match[1] === 'system') return undefined;
  return { kind: match[1] as Actor['kind'], id: match[2] };
}

/** Parses the one party a credential is bound to: `partner:<id>` or `customer:<id>`; undefined otherwise. */
export function parseBoundParty(text: unknown): Actor | undefined {
  const actor = typeof text === 'string' ? parseActor(text) : undefined;
  return actor && (actor.kind === 'partner' || actor.kind === 'customer') ? actor : undefined;
}

/** Parses a party pattern (`customer:*`, `partner:northwind`, `operator:self`, `system`); undefined when malformed. */
export function parsePartyPattern(text: string): PartyPattern | undefined {
  if (text === 'system') return { kind: 'system' };
  if (text === 'operator:self') return { kind: 'operator', id: 'self' };
  const match = /^(partner|customer|operator):\*$/.exec(text);
  if (match) return { kind: match[1] as 'partner' | 'customer' | 'operator', id: '*' };
  const actor = parseActor(text);
  return actor && actor.kind !== 'system' ? { kind: actor.kind, id: actor.id } : undefined;
}

export function formatActor(actor: Actor): string {
  return actor.kind === 'system' ? 'system' : `${actor.kind}:${actor.id}`;
}

/** Whether the principal's credential may act as this party (without regard to scopes). */
export function mayActFor(principal: Principal, actor: Actor): boolean {
  if (principal.boundActor) return principal.boundActor.kind === actor.kind && principal.boundActor.id === actor.id;
  if (principal.actsFor.length === 0) return actor.kind === 'operator' && actor.id === principal.client;
  return principal.actsFor.some((pattern) => {
    if (pattern.kind !== actor.kind) return false;
    if (pattern.kind === 'system') return true;
    if (pattern.id === '*') return true;
    if (pattern.id === 'self') return actor.id === principal.client;
    return pattern.id === actor.id;
  });
}

/** The party a principal acts as when it names none: its bound party, or itself as an operator where it may. */
export function defaultActor(principal: Principal): Actor | undefined {
  if (principal.boundActor) return principal.boundActor;
  const self: Actor = { kind: 'operator', id: principal.client };
  return mayActFor(principal, self) ? self : undefined;
}
