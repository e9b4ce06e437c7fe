import { assertNever } from '../shared/assert-never';
import type { CustomerEvent } from '../customer/customer.events';

/** A fact that time brings: a license term's end, an expiry, or the end of a GDAP relationship's term. */
export interface Deadline {
  readonly customerId: string;
  readonly kind: 'license-term-end' | 'grant-expiry' | 'invitation-expiry' | 'gdap-request-expiry' | 'gdap-term-end' | 'transfer-expiry';
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
  'GdapRelationshipRequested', 'GdapRelationshipApproved', 'GdapRelationshipEstablished', 'GdapRequestExpired',
  'GdapRelationshipExtended', 'GdapRelationshipExpired', 'GdapRelationshipTerminated',
  'TransferRequested', 'TransferCompleted', 'TransferRejected', 'TransferCancelled', 'TransferExpired',
];

/**
 * The deadlines' evolve: an active license term's end, a grant's end, a pending invitation's, GDAP request's or
 * transfer's expiry, and an active GDAP relationship's end (where it extends or expires) are due until the fact is
 * recorded or the thing ends otherwise. The scheduler records what is due.
 */
export function deadlineChanges(event: CustomerEvent): DeadlineChange[] {
  const { customerId } = event.data;
  const set = (kind: Deadline['kind'], refId: string, dueAt: string): DeadlineChange => ({ set: { customerId, kind, refId, dueAt } });
  const clear = (kind: Deadline['kind'], refId: string): DeadlineChange => ({ clear: { customerId, kind, refId } });
  switch (event.type) {
    case 'SubscriptionRecorded':
    case 'SubscriptionSwitched':
      // A switch starts a license's new term; a usage-based subscription has none.
      return [event.data.termEndsAt === null
        ? clear('license-term-end', event.data.subscriptionId)
        : set('license-term-end', event.data.subscriptionId, event.data.termEndsAt)];
    case 'LicenseTermEnded':
    case 'SubscriptionCancelled':
      return [clear('license-term-end', event.data.subscriptionId)];
    case 'InvitationCreated':
      return [set('invitation-expiry', event.data.invitationId, event.data.expiresAt)];
    case 'InvitationRevoked':
    case 'InvitationExpired':
    case 'RelationshipAccepted':
      return [clear('invitation-expiry', event.data.invitationId)];
    case 'DelegatedAdminGranted':
      return [set('grant-expiry', event.data.grantId, event.data.endsAt)];
    case 'DelegatedAdminRevoked':
    case 'DelegatedAdminExpired':
      return [clear('grant-expiry', event.data.grantId)];
    case 'GdapRelationshipRequested':
      return [set('gdap-request-expiry', event.data.gdapId, event.data.requestExpiresAt)];
    case 'GdapRequestExpired':
      return [clear('gdap-request-expiry', event.data.gdapId)];
    case 'GdapRelationshipApproved':
      return [clear('gdap-request-expiry', event.data.gdapId), set('gdap-term-end', event.data.gdapId, event.data.endsAt)];
    case 'GdapRelationshipEstablished':
    case 'GdapRelationshipExtended':
      return [set('gdap-term-end', event.data.gdapId, event.data.endsAt)];
    case 'GdapRelationshipExpired':
    case 'GdapRelationshipTerminated':
      return [clear('gdap-term-end', event.data.gdapId)];
    case 'TransferRequested':
      return [set('transfer-expiry', event.data.transferId, event.data.expiresAt)];
    case 'TransferCompleted':
    case 'TransferRejected':
    case 'TransferCancelled':
    case 'TransferExpired':
      return [clear('transfer-expiry', event.data.transferId)];
    case 'CustomerRegistered':
    case 'RelationshipTerminated':
    case 'GdapAutoExtendChanged':
    case 'GdapAccessAssigned':
    case 'GdapAccessRemoved':
      return [];
    default:
      return assertNever(event);
  }
}
