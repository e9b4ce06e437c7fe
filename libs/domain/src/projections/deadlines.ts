import { assertNever } from '../shared/assert-never';
import type { CustomerEvent } from '../customer/customer.events';

/** A fact that time brings: a license term's end, or the expiry of a grant or an invitation. */
export interface Deadline {
  readonly customerId: string;
  readonly kind: 'license-term-end' | 'grant-expiry' | 'invitation-expiry';
  readonly refId: string;
  readonly dueAt: string;
}

export type DeadlineKey = Omit<Deadline, 'dueAt'>;

/** What one event does to the deadlines still to be recorded: sets one (a new due time) or clears one (it ended otherwise). */
export type DeadlineChange = { readonly set: Deadline } | { readonly clear: DeadlineKey };

export const DEADLINE_EVENT_TYPES: ReadonlyArray<CustomerEvent['type']> = [
  'SubscriptionRecorded', 'SubscriptionSwitched', 'LicenseTermEnded', 'SubscriptionCancelled',
  'InvitationCreated', 'InvitationRevoked', 'InvitationExpired', 'RelationshipAccepted',
  'DelegatedAdminGranted', 'DelegatedAdminRevoked', 'DelegatedAdminExpired',
];

/**
 * The deadlines' evolve: an active license term's end, a grant's end and a pending invitation's expiry are due
 * until the fact is recorded or the thing ends otherwise. The scheduler records what is due.
 */
export function deadlineChange(event: CustomerEvent): DeadlineChange | undefined {
  const { customerId } = event.data;
  const set = (kind: Deadline['kind'], refId: string, dueAt: string): DeadlineChange => ({ set: { customerId, kind, refId, dueAt } });
  const clear = (kind: Deadline['kind'], refId: string): DeadlineChange => ({ clear: { customerId, kind, refId } });
  switch (event.type) {
    case 'SubscriptionRecorded':
    case 'SubscriptionSwitched':
      // A switch starts a license's new term; a usage-based subscription has none.
      return event.data.termEndsAt === null
        ? clear('license-term-end', event.data.subscriptionId)
        : set('license-term-end', event.data.subscriptionId, event.data.termEndsAt);
    case 'LicenseTermEnded':
    case 'SubscriptionCancelled':
      return clear('license-term-end', event.data.subscriptionId);
    case 'InvitationCreated':
      return set('invitation-expiry', event.data.invitationId, event.data.expiresAt);
    case 'InvitationRevoked':
    case 'InvitationExpired':
    case 'RelationshipAccepted':
      return clear('invitation-expiry', event.data.invitationId);
    case 'DelegatedAdminGranted':
      return set('grant-expiry', event.data.grantId, event.data.endsAt);
    case 'DelegatedAdminRevoked':
    case 'DelegatedAdminExpired':
      return clear('grant-expiry', event.data.grantId);
    case 'CustomerRegistered':
    case 'RelationshipTerminated':
      return undefined;
    default:
      return assertNever(event);
  }
}
