import { enforce, refuse } from '../shared/ledger-error';
import { addDays, isBefore } from '../shared/time';
import type { EnrolledPartner } from '../partner/partner.state';
import type { CustomerPolicy } from './customer.handler';
import type { GrantState, InvitationState, RegisteredCustomer, RelationshipState, SubscriptionState } from './customer.state';

/** Checks shared by several customer commands. */

export function checkGrantTerms(roles: readonly string[], endsAt: string, now: string, policy: CustomerPolicy): void {
  enforce(roles.length > 0, 'MC-07', 'A delegated admin grant names at least one role');
  enforce(isBefore(now, endsAt), 'MC-07', `A delegated admin grant ends after it starts; ${endsAt} is not after ${now}`);
  enforce(!isBefore(addDays(now, policy.maxDelegatedAdminDays), endsAt), 'MC-07',
    `A delegated admin grant ends within ${policy.maxDelegatedAdminDays} days; there is no permanent grant`);
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

export function requireGrant(customer: RegisteredCustomer, id: string): GrantState {
  return requireEntry(customer.grants[id], 'GRANT_NOT_FOUND', `Customer ${customer.customerId} has no grant ${id}.`);
}
