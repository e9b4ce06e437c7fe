import type { Channel, Cloud, CommandOf, SubscriptionKind } from '../shared/vocabulary';
import type { DelegatedAdminRequest } from './customer.events';

type CustomerCommandOf<T extends string, D extends { customerId: string }> = CommandOf<T, D>;

export type RegisterCustomer = CustomerCommandOf<
  'RegisterCustomer',
  { customerId: string; name: string; cloud: Cloud; isPartnerTenant: boolean }
>;

export type RecordSubscription = CustomerCommandOf<
  'RecordSubscription',
  {
    customerId: string;
    subscriptionId: string;
    kind: SubscriptionKind;
    channel: Channel;
    partnerOfRecordId?: string;
    termEndsAt?: string;
  }
>;

export type CancelSubscription = CustomerCommandOf<'CancelSubscription', { customerId: string; subscriptionId: string }>;

export type SwitchSubscription = CustomerCommandOf<
  'SwitchSubscription',
  { customerId: string; subscriptionId: string; targetPartnerId: string; newTermEndsAt?: string }
>;

export type EndLicenseTerm = CustomerCommandOf<'EndLicenseTerm', { customerId: string; subscriptionId: string }>;

export type CreateInvitation = CustomerCommandOf<
  'CreateInvitation',
  {
    customerId: string;
    invitationId: string;
    partnerId: string;
    resellerId?: string;
    delegatedAdmin?: DelegatedAdminRequest;
  }
>;

export type RevokeInvitation = CustomerCommandOf<'RevokeInvitation', { customerId: string; invitationId: string }>;

export type ExpireInvitation = CustomerCommandOf<'ExpireInvitation', { customerId: string; invitationId: string }>;

export type AcceptInvitation = CustomerCommandOf<'AcceptInvitation', { customerId: string; invitationId: string }>;

export type TerminateRelationship = CustomerCommandOf<
  'TerminateRelationship',
  { customerId: string; relationshipId: string }
>;

export type GrantDelegatedAdmin = CustomerCommandOf<
  'GrantDelegatedAdmin',
  { customerId: string; grantId: string; partnerId: string; roles: string[]; endsAt: string }
>;

export type RevokeDelegatedAdmin = CustomerCommandOf<'RevokeDelegatedAdmin', { customerId: string; grantId: string }>;

export type ExpireDelegatedAdmin = CustomerCommandOf<'ExpireDelegatedAdmin', { customerId: string; grantId: string }>;

export type CustomerCommand =
  | RegisterCustomer
  | RecordSubscription
  | CancelSubscription
  | SwitchSubscription
  | EndLicenseTerm
  | CreateInvitation
  | RevokeInvitation
  | ExpireInvitation
  | AcceptInvitation
  | TerminateRelationship
  | GrantDelegatedAdmin
  | RevokeDelegatedAdmin
  | ExpireDelegatedAdmin;
