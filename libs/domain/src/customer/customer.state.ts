import { assertNever } from '../shared/assert-never';
import { putEntry, updateEntry } from '../shared/keyed-collections';
import { isBefore } from '../shared/time';
import type { Channel, Cloud, Commerce, GdapOrigin, SubscriptionKind } from '../shared/vocabulary';
import { type CustomerEvent, type DelegatedAdminRequest, type GdapEvent, isGdapEvent, type TransferEvent } from './customer.events';

export interface SubscriptionState {
  readonly subscriptionId: string;
  readonly kind: SubscriptionKind;
  /** The current channel: `csp` once a CSP partner is its partner of record. */
  readonly channel: Channel;
  readonly partnerOfRecordId: string | null;
  readonly termEndsAt: string | null;
  readonly commerce: Commerce;
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

export interface GdapAssignmentState {
  readonly assignmentId: string;
  readonly securityGroupId: string;
  readonly roles: readonly string[];
  readonly status: 'active' | 'removed';
}

/**
 * A GDAP relationship, as Microsoft Graph's delegatedAdminRelationship names its states: a request pending the
 * customer's approval, then active until it expired or was terminated; or a request that expired unanswered.
 */
export interface GdapRelationshipState {
  readonly gdapId: string;
  readonly partnerId: string;
  readonly roles: readonly string[];
  /** For a request: how long it lasts once approved. */
  readonly durationDays: number | null;
  readonly autoExtend: boolean;
  readonly origin: GdapOrigin;
  readonly status: 'approval-pending' | 'active' | 'expired' | 'terminated' | 'request-expired';
  readonly requestExpiresAt: string | null;
  readonly endsAt: string | null;
  readonly assignments: Readonly<Record<string, GdapAssignmentState>>;
}

export interface TransferState {
  readonly transferId: string;
  readonly sourcePartnerId: string;
  readonly targetPartnerId: string;
  readonly subscriptionIds: readonly string[];
  readonly expiresAt: string;
  readonly status: 'pending' | 'completed' | 'rejected' | 'cancelled' | 'expired';
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
  readonly gdapRelationships: Readonly<Record<string, GdapRelationshipState>>;
  readonly transfers: Readonly<Record<string, TransferState>>;
}

export type CustomerState = { readonly status: 'unknown' } | RegisteredCustomer;

export function initialCustomerState(): CustomerState {
  return { status: 'unknown' };
}

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  if (event.type === 'CustomerRegistered') {
    return {
      status: 'registered', ...event.data, subscriptions: {}, invitations: {}, relationships: {}, grants: {}, gdapRelationships: {}, transfers: {},
    };
  }
  if (state.status !== 'registered') return state;
  if (isGdapEvent(event)) {
    return putEntry(state, 'gdapRelationships', event.data.gdapId, evolveGdapRelationship(state.gdapRelationships[event.data.gdapId], event));
  }
  switch (event.type) {
    case 'SubscriptionRecorded': {
      const { subscriptionId, kind, channel, partnerOfRecordId, termEndsAt, commerce } = event.data;
      return putEntry(state, 'subscriptions', subscriptionId, {
        subscriptionId, kind, channel, partnerOfRecordId, termEndsAt, commerce, status: 'active',
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
    case 'TransferCompleted': {
      const moved = event.data.subscriptionIds.reduce((s, id) => updateEntry(s, 'subscriptions', id, { partnerOfRecordId: event.data.targetPartnerId }), state);
      return putEntry(moved, 'transfers', event.data.transferId, evolveTransfer(state.transfers[event.data.transferId], event));
    }
    case 'TransferRequested':
    case 'TransferRejected':
    case 'TransferCancelled':
    case 'TransferExpired':
      return putEntry(state, 'transfers', event.data.transferId, evolveTransfer(state.transfers[event.data.transferId], event));
    default:
      return assertNever(event);
  }
}

/** One GDAP relationship's evolve, shared by the customer's state and its read model. */
export function evolveGdapRelationship(current: GdapRelationshipState | undefined, event: GdapEvent): GdapRelationshipState {
  const { gdapId, partnerId } = event.data;
  if (event.type === 'GdapRelationshipRequested') {
    const { roles, durationDays, autoExtend, requestExpiresAt } = event.data;
    return {
      gdapId, partnerId, roles, durationDays, autoExtend, origin: 'customer-approved', status: 'approval-pending',
      requestExpiresAt, endsAt: null, assignments: {},
    };
  }
  if (event.type === 'GdapRelationshipEstablished') {
    const { roles, origin, endsAt } = event.data;
    return { gdapId, partnerId, roles, durationDays: null, autoExtend: false, origin, status: 'active', requestExpiresAt: null, endsAt, assignments: {} };
  }
  // Events of one relationship follow its request or establishment in the stream.
  const relationship = current as GdapRelationshipState;
  switch (event.type) {
    case 'GdapRelationshipApproved':
    case 'GdapRelationshipExtended':
      return { ...relationship, status: 'active', endsAt: event.data.endsAt };
    case 'GdapRequestExpired':
      return { ...relationship, status: 'request-expired' };
    case 'GdapAutoExtendChanged':
      return { ...relationship, autoExtend: event.data.autoExtend };
    case 'GdapRelationshipExpired':
      return { ...relationship, status: 'expired' };
    case 'GdapRelationshipTerminated':
      return { ...relationship, status: 'terminated' };
    case 'GdapAccessAssigned': {
      const { assignmentId, securityGroupId, roles } = event.data;
      return putEntry(relationship, 'assignments', assignmentId, { assignmentId, securityGroupId, roles, status: 'active' });
    }
    case 'GdapAccessRemoved':
      return updateEntry(relationship, 'assignments', event.data.assignmentId, { status: 'removed' });
    default:
      return assertNever(event);
  }
}

/** One partner-led transfer's evolve, shared by the customer's state and its read model. */
export function evolveTransfer(current: TransferState | undefined, event: TransferEvent): TransferState {
  const { transferId, sourcePartnerId, targetPartnerId } = event.data;
  switch (event.type) {
    case 'TransferRequested':
      return { transferId, sourcePartnerId, targetPartnerId, subscriptionIds: event.data.subscriptionIds, expiresAt: event.data.expiresAt, status: 'pending' };
    case 'TransferCompleted':
      return { ...(current as TransferState), status: 'completed' };
    case 'TransferRejected':
      return { ...(current as TransferState), status: 'rejected' };
    case 'TransferCancelled':
      return { ...(current as TransferState), status: 'cancelled' };
    case 'TransferExpired':
      return { ...(current as TransferState), status: 'expired' };
    default:
      return assertNever(event);
  }
}

/** A GDAP relationship gives rights while it is active and its end has not come (MC-18). */
export function isGdapInForce(relationship: Pick<GdapRelationshipState, 'status' | 'endsAt'>, now: string): boolean {
  return relationship.status === 'active' && relationship.endsAt !== null && isBefore(now, relationship.endsAt);
}

/** A delegated admin grant gives rights while it is recorded active and its end has not come (MC-15): judged at `now`. */
export function isGrantInForce(grant: Pick<GrantState, 'status' | 'endsAt'>, now: string): boolean {
  return grant.status === 'active' && isBefore(now, grant.endsAt);
}

/** Active relationships the partner owns with this customer (MC-05, MC-15). */
export function ownedActiveRelationships(customer: RegisteredCustomer, partnerId: string): RelationshipState[] {
  return Object.values(customer.relationships).filter((r) => r.status === 'active' && r.partnerId === partnerId);
}

/** Active relationships to which the reseller is linked (MC-05). */
export function linkedActiveRelationships(customer: RegisteredCustomer, resellerId: string): RelationshipState[] {
  return Object.values(customer.relationships).filter((r) => r.status === 'active' && r.resellerId === resellerId);
}
