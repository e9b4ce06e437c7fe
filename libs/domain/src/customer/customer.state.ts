import { assertNever } from '../shared/assert-never';
import { putEntry, updateEntry } from '../shared/keyed-collections';
import type { Channel, Cloud, SubscriptionKind } from '../shared/vocabulary';
import type { CustomerEvent, DelegatedAdminRequest } from './customer.events';

export interface SubscriptionState {
  readonly subscriptionId: string;
  readonly kind: SubscriptionKind;
  /** The current channel: `csp` once a CSP partner is its partner of record. */
  readonly channel: Channel;
  readonly partnerOfRecordId: string | null;
  readonly termEndsAt: string | null;
  readonly status: 'active' | 'term-ended' | 'cancelled';
}

export interface InvitationState {
  readonly invitationId: string;
  readonly partnerId: string;
  readonly resellerId: string | null;
  readonly delegatedAdmin: DelegatedAdminRequest | null;
  readonly expiresAt: string;
  readonly status: 'pending' | 'accepted' | 'revoked' | 'expired';
}

export interface RelationshipState {
  readonly relationshipId: string;
  readonly partnerId: string;
  readonly resellerId: string | null;
  readonly status: 'active' | 'terminated';
}

export interface GrantState {
  readonly grantId: string;
  readonly partnerId: string;
  readonly roles: readonly string[];
  readonly endsAt: string;
  readonly status: 'active' | 'revoked' | 'expired';
}

export interface RegisteredCustomer {
  readonly status: 'registered';
  readonly customerId: string;
  readonly name: string;
  readonly cloud: Cloud;
  readonly isPartnerTenant: boolean;
  readonly subscriptions: Readonly<Record<string, SubscriptionState>>;
  readonly invitations: Readonly<Record<string, InvitationState>>;
  readonly relationships: Readonly<Record<string, RelationshipState>>;
  readonly grants: Readonly<Record<string, GrantState>>;
}

export type CustomerState = { readonly status: 'unknown' } | RegisteredCustomer;

export function initialCustomerState(): CustomerState {
  return { status: 'unknown' };
}

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  if (event.type === 'CustomerRegistered') {
    return { status: 'registered', ...event.data, subscriptions: {}, invitations: {}, relationships: {}, grants: {} };
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'SubscriptionRecorded': {
      const { subscriptionId, kind, channel, partnerOfRecordId, termEndsAt } = event.data;
      return putEntry(state, 'subscriptions', subscriptionId, {
        subscriptionId, kind, channel, partnerOfRecordId, termEndsAt, status: 'active',
      });
    }
    case 'SubscriptionCancelled':
      return updateEntry(state, 'subscriptions', event.data.subscriptionId, { status: 'cancelled' });
    case 'SubscriptionSwitched':
      return updateEntry(state, 'subscriptions', event.data.subscriptionId, {
        channel: 'csp', partnerOfRecordId: event.data.toPartnerId, termEndsAt: event.data.termEndsAt, status: 'active',
      });
    case 'LicenseTermEnded':
      return updateEntry(state, 'subscriptions', event.data.subscriptionId, { status: 'term-ended' });
    case 'InvitationCreated': {
      const { invitationId, partnerId, resellerId, delegatedAdmin, expiresAt } = event.data;
      return putEntry(state, 'invitations', invitationId, {
        invitationId, partnerId, resellerId, delegatedAdmin, expiresAt, status: 'pending',
      });
    }
    case 'InvitationRevoked':
      return updateEntry(state, 'invitations', event.data.invitationId, { status: 'revoked' });
    case 'InvitationExpired':
      return updateEntry(state, 'invitations', event.data.invitationId, { status: 'expired' });
    case 'RelationshipAccepted': {
      const { relationshipId, invitationId, partnerId, resellerId } = event.data;
      const accepted = updateEntry(state, 'invitations', invitationId, { status: 'accepted' });
      return putEntry(accepted, 'relationships', relationshipId, { relationshipId, partnerId, resellerId, status: 'active' });
    }
    case 'RelationshipTerminated':
      return updateEntry(state, 'relationships', event.data.relationshipId, { status: 'terminated' });
    case 'DelegatedAdminGranted': {
      const { grantId, partnerId, roles, endsAt } = event.data;
      return putEntry(state, 'grants', grantId, { grantId, partnerId, roles, endsAt, status: 'active' });
    }
    case 'DelegatedAdminRevoked':
      return updateEntry(state, 'grants', event.data.grantId, { status: 'revoked' });
    case 'DelegatedAdminExpired':
      return updateEntry(state, 'grants', event.data.grantId, { status: 'expired' });
    default:
      return assertNever(event);
  }
}

/** Active relationships the partner owns with this customer (MC-05, MC-15). */
export function ownedActiveRelationships(customer: RegisteredCustomer, partnerId: string): RelationshipState[] {
  return Object.values(customer.relationships).filter((r) => r.status === 'active' && r.partnerId === partnerId);
}

/** Active relationships to which the reseller is linked (MC-05). */
export function linkedActiveRelationships(customer: RegisteredCustomer, resellerId: string): RelationshipState[] {
  return Object.values(customer.relationships).filter((r) => r.status === 'active' && r.resellerId === resellerId);
}
