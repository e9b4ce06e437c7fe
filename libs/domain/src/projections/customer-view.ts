import { assertNever } from '../shared/assert-never';
import { changeEntry, putEntry, updateEntry } from '../shared/keyed-collections';
import type { Channel, Cloud, Commerce, SubscriptionKind } from '../shared/vocabulary';
import { type CustomerEvent, GDAP_EVENT_TYPES, type GdapEvent, isGdapEvent, type TransferEvent } from '../customer/customer.events';
import { evolveGdapRelationship, evolveTransfer, type GdapRelationshipState, type TransferState } from '../customer/customer.state';
import type { ProjectedEvent } from './projected-event';

/** One step in a subscription's life, naming the event that recorded it. */
export interface SubscriptionMove {
  readonly eventId: string;
  readonly type: 'SubscriptionRecorded' | 'SubscriptionSwitched' | 'LicenseTermEnded' | 'SubscriptionCancelled' | 'TransferCompleted';
  readonly at: string;
  readonly partnerOfRecordId: string | null;
  readonly channel: Channel;
}

export interface SubscriptionView {
  readonly subscriptionId: string;
  readonly kind: SubscriptionKind;
  /** Where it was first bought. */
  readonly originChannel: Channel;
  /** Where it is now: `csp` once a CSP partner is its partner of record. */
  readonly channel: Channel;
  readonly partnerOfRecordId: string | null;
  readonly termEndsAt: string | null;
  readonly commerce: Commerce;
  readonly status: 'active' | 'term-ended' | 'cancelled';
  /** True once it changed partner, by a switch or a transfer. */
  readonly switched: boolean;
  readonly history: readonly SubscriptionMove[];
}

export interface RelationshipView {
  readonly relationshipId: string;
  readonly invitationId: string;
  /** The owner: the inviting partner (MC-05). */
  readonly partnerId: string;
  /** The indirect reseller linked to it, which does not own it (MC-05). */
  readonly resellerId: string | null;
  readonly status: 'active' | 'terminated';
  readonly acceptedAt: string;
  readonly acceptedBy: string;
  readonly endedAt: string | null;
  readonly endedBy: string | null;
}

export interface InvitationView {
  readonly invitationId: string;
  readonly partnerId: string;
  readonly resellerId: string | null;
  readonly expiresAt: string;
  readonly status: 'pending' | 'accepted' | 'revoked' | 'expired';
  readonly createdAt: string;
  readonly createdBy: string;
  readonly endedBy: string | null;
}

export interface GrantView {
  readonly grantId: string;
  readonly partnerId: string;
  readonly roles: readonly string[];
  readonly endsAt: string;
  /** As recorded; a grant past its end is expired even before the expiry is recorded (MC-15). */
  readonly status: 'active' | 'revoked' | 'expired';
  readonly grantedAt: string;
  readonly grantedBy: string;
  readonly endedAt: string | null;
  readonly endedBy: string | null;
}

/** One recorded fact in the life of a GDAP relationship or a transfer. */
export interface Step {
  readonly eventId: string;
  readonly type: string;
  readonly at: string;
  /** For an access assignment's steps: the assignment. */
  readonly assignmentId?: string;
}

/** A GDAP relationship with the facts that made it what it is (status as recorded: see {@link isGdapInForce}). */
export interface GdapRelationshipView extends GdapRelationshipState {
  readonly steps: readonly Step[];
}

export interface TransferView extends TransferState {
  readonly steps: readonly Step[];
}

/** Everything the ledger knows of one customer's ownership: the read model behind its queries. */
export interface CustomerView {
  readonly customerId: string;
  readonly name: string;
  readonly cloud: Cloud;
  readonly isPartnerTenant: boolean;
  readonly registeredAt: string;
  readonly subscriptions: Readonly<Record<string, SubscriptionView>>;
  readonly relationships: Readonly<Record<string, RelationshipView>>;
  readonly invitations: Readonly<Record<string, InvitationView>>;
  readonly grants: Readonly<Record<string, GrantView>>;
  readonly gdapRelationships: Readonly<Record<string, GdapRelationshipView>>;
  readonly transfers: Readonly<Record<string, TransferView>>;
  /** How many of the customer's events the view has applied. */
  readonly eventsApplied: number;
}

export const CUSTOMER_VIEW_EVENT_TYPES: ReadonlyArray<CustomerEvent['type']> = [
  'CustomerRegistered', 'SubscriptionRecorded', 'SubscriptionCancelled', 'SubscriptionSwitched', 'LicenseTermEnded',
  'InvitationCreated', 'InvitationRevoked', 'InvitationExpired', 'RelationshipAccepted', 'RelationshipTerminated',
  'DelegatedAdminGranted', 'DelegatedAdminRevoked', 'DelegatedAdminExpired', ...GDAP_EVENT_TYPES,
  'TransferRequested', 'TransferCompleted', 'TransferRejected', 'TransferCancelled', 'TransferExpired',
];

function move(subscription: SubscriptionView, step: SubscriptionMove, update: Partial<SubscriptionView>): SubscriptionView {
  return { ...subscription, ...update, history: [...subscription.history, step] };
}

/**
 * The customer view's evolve: pure, given the view so far (null before the customer is registered) and the
 * next event of the customer's stream.
 */
export function evolveCustomerView(view: CustomerView | null, event: ProjectedEvent<CustomerEvent>): CustomerView | null {
  if (event.type === 'CustomerRegistered') {
    const { customerId, name, cloud, isPartnerTenant } = event.data;
    return {
      customerId, name, cloud, isPartnerTenant, registeredAt: event.recordedAt,
      subscriptions: {}, relationships: {}, invitations: {}, grants: {}, gdapRelationships: {}, transfers: {}, eventsApplied: 1,
    };
  }
  if (view === null) return null;
  const next = applyToRegistered(view, event);
  return { ...next, eventsApplied: view.eventsApplied + 1 };
}

function applyToRegistered(view: CustomerView, event: ProjectedEvent<CustomerEvent>): CustomerView {
  if (isGdapEvent(event)) return applyGdap(view, event);
  const at = event.recordedAt;
  const by = event.id;
  switch (event.type) {
    case 'CustomerRegistered':
      return view;
    case 'SubscriptionRecorded': {
      const { subscriptionId, kind, channel, partnerOfRecordId, termEndsAt, commerce } = event.data;
      return putEntry(view, 'subscriptions', subscriptionId, {
        subscriptionId, kind, originChannel: channel, channel, partnerOfRecordId, termEndsAt, commerce, status: 'active', switched: false,
        history: [{ eventId: by, type: event.type, at, partnerOfRecordId, channel }],
      });
    }
    case 'SubscriptionSwitched':
      return changeEntry(view, 'subscriptions', event.data.subscriptionId, (s) => move(s,
        { eventId: by, type: event.type, at, partnerOfRecordId: event.data.toPartnerId, channel: 'csp' },
        { channel: 'csp', partnerOfRecordId: event.data.toPartnerId, termEndsAt: event.data.termEndsAt, status: 'active', switched: true }));
    case 'LicenseTermEnded':
      return changeEntry(view, 'subscriptions', event.data.subscriptionId, (s) => move(s,
        { eventId: by, type: event.type, at, partnerOfRecordId: s.partnerOfRecordId, channel: s.channel }, { status: 'term-ended' }));
    case 'SubscriptionCancelled':
      return changeEntry(view, 'subscriptions', event.data.subscriptionId, (s) => move(s,
        { eventId: by, type: event.type, at, partnerOfRecordId: s.partnerOfRecordId, channel: s.channel }, { status: 'cancelled' }));
    case 'InvitationCreated': {
      const { invitationId, partnerId, resellerId, expiresAt } = event.data;
      return putEntry(view, 'invitations', invitationId, {
        invitationId, partnerId, resellerId, expiresAt, status: 'pending', createdAt: at, createdBy: by, endedBy: null,
      });
    }
    case 'InvitationRevoked':
      return updateEntry(view, 'invitations', event.data.invitationId, { status: 'revoked', endedBy: by });
    case 'InvitationExpired':
      return updateEntry(view, 'invitations', event.data.invitationId, { status: 'expired', endedBy: by });
    case 'RelationshipAccepted': {
      const { relationshipId, invitationId, partnerId, resellerId } = event.data;
      const accepted = updateEntry(view, 'invitations', invitationId, { status: 'accepted', endedBy: by });
      return putEntry(accepted, 'relationships', relationshipId, {
        relationshipId, invitationId, partnerId, resellerId, status: 'active', acceptedAt: at, acceptedBy: by, endedAt: null, endedBy: null,
      });
    }
    case 'RelationshipTerminated':
      return updateEntry(view, 'relationships', event.data.relationshipId, { status: 'terminated', endedAt: at, endedBy: by });
    case 'DelegatedAdminGranted': {
      const { grantId, partnerId, roles, endsAt } = event.data;
      return putEntry(view, 'grants', grantId, {
        grantId, partnerId, roles, endsAt, status: 'active', grantedAt: at, grantedBy: by, endedAt: null, endedBy: null,
      });
    }
    case 'DelegatedAdminRevoked':
      return updateEntry(view, 'grants', event.data.grantId, { status: 'revoked', endedAt: at, endedBy: by });
    case 'DelegatedAdminExpired':
      return updateEntry(view, 'grants', event.data.grantId, { status: 'expired', endedAt: at, endedBy: by });
    case 'TransferCompleted': {
      const { targetPartnerId, subscriptionIds } = event.data;
      const moved = subscriptionIds.reduce((v, id) => changeEntry(v, 'subscriptions', id, (s) => move(s,
        { eventId: by, type: event.type, at, partnerOfRecordId: targetPartnerId, channel: s.channel },
        { partnerOfRecordId: targetPartnerId, switched: true })), view);
      return applyTransfer(moved, event);
    }
    case 'TransferRequested':
    case 'TransferRejected':
    case 'TransferCancelled':
    case 'TransferExpired':
      return applyTransfer(view, event);
    default:
      return assertNever(event);
  }
}

function stepOf(event: ProjectedEvent<CustomerEvent>): Step {
  const step = { eventId: event.id, type: event.type, at: event.recordedAt };
  return 'assignmentId' in event.data ? { ...step, assignmentId: event.data.assignmentId } : step;
}

function applyGdap(view: CustomerView, event: ProjectedEvent<GdapEvent>): CustomerView {
  const current = view.gdapRelationships[event.data.gdapId];
  return putEntry(view, 'gdapRelationships', event.data.gdapId,
    { ...evolveGdapRelationship(current, event), steps: [...(current?.steps ?? []), stepOf(event)] });
}

function applyTransfer(view: CustomerView, event: ProjectedEvent<TransferEvent>): CustomerView {
  const current = view.transfers[event.data.transferId];
  return putEntry(view, 'transfers', event.data.transferId, { ...evolveTransfer(current, event), steps: [...(current?.steps ?? []), stepOf(event)] });
}

/**
 * The partners that have, or had, a part in a customer's affairs: owners and linked resellers of its
 * relationships, holders of its delegated admin grants, and partners of record of its subscriptions, ended
 * ones included. An invitation or a GDAP request alone gives no part: anyone may send one.
 */
export function partnersOfCustomer(view: CustomerView): ReadonlySet<string> {
  const partners = new Set<string>();
  for (const relationship of Object.values(view.relationships)) {
    partners.add(relationship.partnerId);
    if (relationship.resellerId !== null) partners.add(relationship.resellerId);
  }
  for (const grant of Object.values(view.grants)) partners.add(grant.partnerId);
  // Like an invitation, a GDAP request the customer never approved gives no part.
  for (const gdap of Object.values(view.gdapRelationships)) if (gdap.endsAt !== null) partners.add(gdap.partnerId);
  for (const transfer of Object.values(view.transfers)) partners.add(transfer.sourcePartnerId).add(transfer.targetPartnerId);
  for (const subscription of Object.values(view.subscriptions)) {
    for (const step of subscription.history) if (step.partnerOfRecordId !== null) partners.add(step.partnerOfRecordId);
  }
  return partners;
}
