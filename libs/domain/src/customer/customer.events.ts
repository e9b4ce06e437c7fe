import type { Channel, Cloud, Commerce, GdapOrigin, SubscriptionKind } from '../shared/vocabulary';

export interface CustomerRegistered {
  readonly type: 'CustomerRegistered';
  /** `isPartnerTenant`: the tenant is a CSP partner's own tenant (MC-06). */
  readonly data: { customerId: string; name: string; cloud: Cloud; isPartnerTenant: boolean };
}

export interface SubscriptionRecorded {
  readonly type: 'SubscriptionRecorded';
  readonly data: {
    customerId: string;
    subscriptionId: string;
    kind: SubscriptionKind;
    channel: Channel;
    /** Set only for the `csp` channel. */
    partnerOfRecordId: string | null;
    /** Set only for license-based subscriptions. */
    termEndsAt: string | null;
    /** Since schema version 2; version 1 events are upcast as `legacy`. */
    commerce: Commerce;
  };
}

export interface SubscriptionCancelled {
  readonly type: 'SubscriptionCancelled';
  readonly data: { customerId: string; subscriptionId: string };
}

export interface SubscriptionSwitched {
  readonly type: 'SubscriptionSwitched';
  readonly data: {
    customerId: string;
    subscriptionId: string;
    fromChannel: Channel;
    fromPartnerId: string | null;
    toPartnerId: string;
    /** The new term of a license-based subscription, which starts with the new partner. */
    termEndsAt: string | null;
  };
}

export interface LicenseTermEnded {
  readonly type: 'LicenseTermEnded';
  readonly data: { customerId: string; subscriptionId: string; termEndedAt: string };
}

export interface DelegatedAdminRequest {
  readonly roles: string[];
  readonly durationDays: number;
}

export interface InvitationCreated {
  readonly type: 'InvitationCreated';
  readonly data: {
    customerId: string;
    invitationId: string;
    partnerId: string;
    resellerId: string | null;
    delegatedAdmin: DelegatedAdminRequest | null;
    expiresAt: string;
  };
}

export interface InvitationRevoked {
  readonly type: 'InvitationRevoked';
  readonly data: { customerId: string; invitationId: string };
}

export interface InvitationExpired {
  readonly type: 'InvitationExpired';
  readonly data: { customerId: string; invitationId: string };
}

export interface RelationshipAccepted {
  readonly type: 'RelationshipAccepted';
  readonly data: {
    customerId: string;
    relationshipId: string;
    invitationId: string;
    partnerId: string;
    resellerId: string | null;
  };
}

export interface RelationshipTerminated {
  readonly type: 'RelationshipTerminated';
  readonly data: { customerId: string; relationshipId: string; partnerId: string };
}

export interface DelegatedAdminGranted {
  readonly type: 'DelegatedAdminGranted';
  readonly data: { customerId: string; grantId: string; partnerId: string; roles: string[]; endsAt: string };
}

export interface DelegatedAdminRevoked {
  readonly type: 'DelegatedAdminRevoked';
  readonly data: { customerId: string; grantId: string; partnerId: string };
}

export interface DelegatedAdminExpired {
  readonly type: 'DelegatedAdminExpired';
  readonly data: { customerId: string; grantId: string; partnerId: string };
}

interface GdapFact<T extends string, D = object> {
  readonly type: T;
  readonly data: { customerId: string; gdapId: string; partnerId: string } & D;
}

/** A partner asks the customer for a GDAP relationship (MC-16); pending until approved or expired (MC-17). */
export type GdapRelationshipRequested = GdapFact<'GdapRelationshipRequested', {
  roles: string[];
  durationDays: number;
  autoExtend: boolean;
  requestExpiresAt: string;
}>;
/** The customer approved every role: active from now until `endsAt` (MC-17). */
export type GdapRelationshipApproved = GdapFact<'GdapRelationshipApproved', { endsAt: string }>;
/** A relationship that came about without the customer's approval, active at once (MC-20). */
export type GdapRelationshipEstablished = GdapFact<'GdapRelationshipEstablished', {
  roles: string[];
  origin: Exclude<GdapOrigin, 'customer-approved'>;
  endsAt: string;
}>;
export type GdapRequestExpired = GdapFact<'GdapRequestExpired'>;
export type GdapAutoExtendChanged = GdapFact<'GdapAutoExtendChanged', { autoExtend: boolean }>;
export type GdapRelationshipExtended = GdapFact<'GdapRelationshipExtended', { endsAt: string }>;
export type GdapRelationshipExpired = GdapFact<'GdapRelationshipExpired'>;
export type GdapRelationshipTerminated = GdapFact<'GdapRelationshipTerminated', { requestedBy: 'partner' | 'customer' }>;
/** A security group of the partner gets some of the relationship's roles (MC-19). */
export type GdapAccessAssigned = GdapFact<'GdapAccessAssigned', { assignmentId: string; securityGroupId: string; roles: string[] }>;
export type GdapAccessRemoved = GdapFact<'GdapAccessRemoved', { assignmentId: string }>;

export type GdapEvent =
  | GdapRelationshipRequested
  | GdapRelationshipApproved
  | GdapRelationshipEstablished
  | GdapRequestExpired
  | GdapAutoExtendChanged
  | GdapRelationshipExtended
  | GdapRelationshipExpired
  | GdapRelationshipTerminated
  | GdapAccessAssigned
  | GdapAccessRemoved;

export const GDAP_EVENT_TYPES: ReadonlyArray<GdapEvent['type']> = [
  'GdapRelationshipRequested', 'GdapRelationshipApproved', 'GdapRelationshipEstablished', 'GdapRequestExpired', 'GdapAutoExtendChanged',
  'GdapRelationshipExtended', 'GdapRelationshipExpired', 'GdapRelationshipTerminated', 'GdapAccessAssigned', 'GdapAccessRemoved',
];

export function isGdapEvent<E extends { type: string }>(event: E): event is Extract<E, GdapEvent> {
  return (GDAP_EVENT_TYPES as readonly string[]).includes(event.type);
}

interface TransferFact<T extends string, D = object> {
  readonly type: T;
  readonly data: { customerId: string; transferId: string; sourcePartnerId: string; targetPartnerId: string } & D;
}

/** The target partner asks for these subscriptions of the source partner (MC-22). */
export type TransferRequested = TransferFact<'TransferRequested', { subscriptionIds: string[]; expiresAt: string }>;
/** The source approved: every subscription of the transfer now has the target as partner of record, its term kept (MC-23). */
export type TransferCompleted = TransferFact<'TransferCompleted', { subscriptionIds: string[] }>;
export type TransferRejected = TransferFact<'TransferRejected'>;
export type TransferCancelled = TransferFact<'TransferCancelled'>;
export type TransferExpired = TransferFact<'TransferExpired'>;

export type TransferEvent = TransferRequested | TransferCompleted | TransferRejected | TransferCancelled | TransferExpired;

export type CustomerEvent =
  | CustomerRegistered
  | SubscriptionRecorded
  | SubscriptionCancelled
  | SubscriptionSwitched
  | LicenseTermEnded
  | InvitationCreated
  | InvitationRevoked
  | InvitationExpired
  | RelationshipAccepted
  | RelationshipTerminated
  | DelegatedAdminGranted
  | DelegatedAdminRevoked
  | DelegatedAdminExpired
  | GdapEvent
  | TransferEvent;
