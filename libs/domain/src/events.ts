import type { CustomerEvent } from './customer/customer.events';
import type { PartnerEvent } from './partner/partner.events';

export type LedgerEvent = PartnerEvent | CustomerEvent;
export type LedgerEventType = LedgerEvent['type'];

/**
 * The schema version each event type is written with. Bump a version only together with an upcaster
 * that reads the older shape: stored history is never rewritten.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<LedgerEventType, number>> = {
  PartnerEnrolled: 1,
  PartnerMovedToCsp: 1,
  IndirectResellerAuthorized: 1,
  CustomerRegistered: 1,
  SubscriptionRecorded: 2,
  SubscriptionCancelled: 1,
  SubscriptionSwitched: 1,
  LicenseTermEnded: 1,
  InvitationCreated: 1,
  InvitationRevoked: 1,
  InvitationExpired: 1,
  RelationshipAccepted: 1,
  RelationshipTerminated: 1,
  DelegatedAdminGranted: 1,
  DelegatedAdminRevoked: 1,
  DelegatedAdminExpired: 1,
  GdapRelationshipRequested: 1,
  GdapRelationshipApproved: 1,
  GdapRelationshipEstablished: 1,
  GdapRequestExpired: 1,
  GdapAutoExtendChanged: 1,
  GdapRelationshipExtended: 1,
  GdapRelationshipExpired: 1,
  GdapRelationshipTerminated: 1,
  GdapAccessAssigned: 1,
  GdapAccessRemoved: 1,
  TransferRequested: 1,
  TransferCompleted: 1,
  TransferRejected: 1,
  TransferCancelled: 1,
  TransferExpired: 1,
};

export const LEDGER_EVENT_TYPES = Object.keys(EVENT_SCHEMA_VERSIONS) as LedgerEventType[];

export function isLedgerEventType(type: string): type is LedgerEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_VERSIONS, type);
}
