import type { EnrolledPartner, PartnerState } from '../partner/partner.state';
import { refuse } from './ledger-error';
import type { Actor, ActorKind } from './vocabulary';

/** The partners a decision refers to, folded from their own streams. */
export type PartnerDirectory = ReadonlyMap<string, PartnerState>;

export function requirePartner(partners: PartnerDirectory, partnerId: string): EnrolledPartner {
  const partner = partners.get(partnerId);
  if (!partner || partner.status !== 'enrolled') {
    return refuse('PARTNER_NOT_FOUND', 'not-found', `Partner ${partnerId} is not enrolled in the ledger.`);
  }
  return partner;
}

export function isActor(actor: Actor, kind: ActorKind, id?: string): boolean {
  return actor.kind === kind && (id === undefined || actor.id === id);
}

/** Refuses with ACTOR_NOT_PERMITTED unless the actor is one of those allowed. */
export function permitActor(actor: Actor, allowed: ReadonlyArray<readonly [ActorKind, string?]>, what: string): void {
  if (allowed.some(([kind, id]) => isActor(actor, kind, id))) return;
  refuse('ACTOR_NOT_PERMITTED', 'forbidden', `${actor.kind} ${actor.id} may not ${what}.`);
}
