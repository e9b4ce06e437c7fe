import { enforce, refuse } from '../shared/ledger-error';
import type { PolicySettings } from '../shared/policy';
import { addDays, isBefore } from '../shared/time';
import { GDAP_TERMS, GLOBAL_ADMINISTRATOR } from '../shared/vocabulary';
import type { EnrolledPartner } from '../partner/partner.state';
import {
  type GdapRelationshipState,
  type GrantState,
  type InvitationState,
  isGdapInForce,
  ownedActiveRelationships,
  type RegisteredCustomer,
  type RelationshipState,
  type SubscriptionState,
  type TransferState,
} from './customer.state';

/** Checks shared by several customer commands. */

export function checkGrantTerms(roles: readonly string[], endsAt: string, now: string, policy: PolicySettings): void {
  enforce(roles.length > 0, 'MC-07', 'A delegated admin grant names at least one role');
  enforce(isBefore(now, endsAt), 'MC-07', `A delegated admin grant ends after it starts; ${endsAt} is not after ${now}`);
  enforce(!isBefore(addDays(now, policy.maxDelegatedAdminDays), endsAt), 'MC-07',
    `A delegated admin grant ends within ${policy.maxDelegatedAdminDays} days; there is no permanent grant`);
}

/** A GDAP relationship's terms (MC-16): roles, 1 day to 2 years, and no auto-extension with Global Administrator. */
export function checkGdapTerms(roles: readonly string[], durationDays: number, autoExtend: boolean): void {
  enforce(roles.length > 0, 'MC-16', 'A GDAP relationship names at least one role');
  enforce(Number.isInteger(durationDays) && durationDays >= GDAP_TERMS.minDurationDays && durationDays <= GDAP_TERMS.maxDurationDays, 'MC-16',
    `A GDAP relationship lasts ${GDAP_TERMS.minDurationDays} to ${GDAP_TERMS.maxDurationDays} whole days, not ${durationDays}`);
  requireNoAutoExtendWithGlobalAdmin(roles, autoExtend, 'MC-16');
}

export function requireNoAutoExtendWithGlobalAdmin(roles: readonly string[], autoExtend: boolean, rule: 'MC-16' | 'MC-18'): void {
  enforce(!(autoExtend && roles.includes(GLOBAL_ADMINISTRATOR)), rule,
    `A GDAP relationship that includes ${GLOBAL_ADMINISTRATOR} does not auto-extend`);
}

/** An active GDAP relationship whose end has not come (MC-18): what terminating, extending and assigning need. */
export function requireGdapInForce(relationship: GdapRelationshipState, now: string, rule: 'MC-18' | 'MC-19'): void {
  enforce(isGdapInForce(relationship, now), rule, relationship.status === 'active'
    ? `GDAP relationship ${relationship.gdapId} ended at ${relationship.endsAt}`
    : `GDAP relationship ${relationship.gdapId} is ${relationship.status}, not active`);
}

export function requirePendingTransfer(transfer: TransferState): void {
  enforce(transfer.status === 'pending', 'MC-23', `Transfer ${transfer.transferId} is ${transfer.status}; only a pending transfer is answered`);
}

export function checkTerm(kind: SubscriptionState['kind'], termEndsAt: string | undefined, now: string): void {
  if (kind === 'license' && (!termEndsAt || !isBefore(now, termEndsAt))) {
    refuse('SUBSCRIPTION_TERM_INVALID', 'invalid', 'A license-based subscription has a term end date in the future.');
  }
  if (kind === 'usage' && termEndsAt) {
    refuse('SUBSCRIPTION_TERM_INVALID', 'invalid', 'A usage-based subscription has no term end date.');
  }
}

export function requireSameCloud(customer: RegisteredCustomer, partner: EnrolledPartner): void {
  enforce(customer.cloud === partner.cloud, 'MC-01',
    `Partner ${partner.partnerId} belongs to the ${partner.cloud} cloud and customer ${customer.customerId} to the ` +
      `${customer.cloud} cloud; they never deal with each other`);
}

export function requireNotPartnerTenant(customer: RegisteredCustomer, what = 'receive a CSP subscription'): void {
  enforce(!customer.isPartnerTenant, 'MC-06', `Customer ${customer.customerId} is a CSP partner's own tenant and cannot ${what}`);
}

/** One active reseller relationship per partner and customer (MC-24), as Partner Center keeps. */
export function requireNoActiveRelationship(customer: RegisteredCustomer, partnerId: string): void {
  const active = ownedActiveRelationships(customer, partnerId)[0];
  enforce(!active, 'MC-24', `Partner ${partnerId} already owns active reseller relationship ${active?.relationshipId} with customer ` +
    `${customer.customerId}; a partner and a customer have one`);
}

export function requireNotCancelled(subscription: SubscriptionState): void {
  if (subscription.status === 'cancelled') {
    refuse('SUBSCRIPTION_CANCELLED', 'conflict', `Subscription ${subscription.subscriptionId} is cancelled.`);
  }
}

export function requireActiveGrant(grant: GrantState): void {
  enforce(grant.status === 'active', 'MC-15', `Grant ${grant.grantId} is already ${grant.status}; it ends only once`);
}

/** A party to permit when the id is known. */
export function partyIf(kind: 'partner', id: string | null | undefined): Array<readonly ['partner', string]> {
  return id ? [[kind, id] as const] : [];
}

function requireEntry<T>(entry: T | undefined, code: string, message: string): T {
  return entry ?? refuse(code, 'not-found', message);
}

export function requireSubscription(customer: RegisteredCustomer, id: string): SubscriptionState {
  return requireEntry(customer.subscriptions[id], 'SUBSCRIPTION_NOT_FOUND',
    `Customer ${customer.customerId} has no subscription ${id}.`);
}

export function requireInvitation(customer: RegisteredCustomer, id: string): InvitationState {
  return requireEntry(customer.invitations[id], 'INVITATION_NOT_FOUND', `Customer ${customer.customerId} has no invitation ${id}.`);
}

export function requireRelationship(customer: RegisteredCustomer, id: string): RelationshipState {
  return requireEntry(customer.relationships[id], 'RELATIONSHIP_NOT_FOUND',
    `Customer ${customer.customerId} has no relationship ${id}.`);
}

export function requireGdap(customer: RegisteredCustomer, id: string): GdapRelationshipState {
  return requireEntry(customer.gdapRelationships[id], 'GDAP_RELATIONSHIP_NOT_FOUND',
    `Customer ${customer.customerId} has no GDAP relationship ${id}.`);
}

export function requireTransfer(customer: RegisteredCustomer, id: string): TransferState {
  return requireEntry(customer.transfers[id], 'TRANSFER_NOT_FOUND', `Customer ${customer.customerId} has no transfer ${id}.`);
}

export function requireGrant(customer: RegisteredCustomer, id: string): GrantState {
  return requireEntry(customer.grants[id], 'GRANT_NOT_FOUND', `Customer ${customer.customerId} has no grant ${id}.`);
}
