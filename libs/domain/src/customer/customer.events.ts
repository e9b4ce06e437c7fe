import type { Channel, Cloud, SubscriptionKind } from '../shared/vocabulary';

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
  | DelegatedAdminExpired;
