import { ApiProperty } from '@nestjs/swagger';
import {
  type Cloud,
  CLOUDS,
  type CustomerView,
  type GdapRelationshipView,
  type GrantView,
  type InvitationView,
  PARTNER_PROGRAMS,
  type PartnerProgram,
  type PartnerView,
  type RelationshipView,
  type SubscriptionView,
  type TransferView,
} from '@ledger/domain';

const ENTRIES = (what: string) => ({ type: 'object', description: `${what}, by id.`, additionalProperties: { type: 'object' } }) as const;

/**
 * A customer's ownership as the query API answers it: what the read model holds of the customer, less the
 * projection's own bookkeeping. The stored view may gain fields for the projection's sake without the
 * answer changing.
 */
export class OwnershipAnswer {
  @ApiProperty() readonly customerId: string;
  @ApiProperty() readonly name: string;
  @ApiProperty({ enum: CLOUDS }) readonly cloud: Cloud;
  @ApiProperty({ description: 'The tenant is a CSP partner’s own (MC-06).' }) readonly isPartnerTenant: boolean;
  @ApiProperty({ format: 'date-time' }) readonly registeredAt: string;
  @ApiProperty(ENTRIES('Each subscription: channel, partner of record, state and moves'))
  readonly subscriptions: Readonly<Record<string, SubscriptionView>>;
  @ApiProperty(ENTRIES('Each relationship: its owner and linked reseller'))
  readonly relationships: Readonly<Record<string, RelationshipView>>;
  @ApiProperty(ENTRIES('Each invitation')) readonly invitations: Readonly<Record<string, InvitationView>>;
  @ApiProperty(ENTRIES('Each delegated admin grant')) readonly grants: Readonly<Record<string, GrantView>>;
  @ApiProperty(ENTRIES('Each GDAP relationship (see also the gdap-relationships query)'))
  readonly gdapRelationships: Readonly<Record<string, GdapRelationshipView>>;
  @ApiProperty(ENTRIES('Each partner-led transfer')) readonly transfers: Readonly<Record<string, TransferView>>;

  constructor(view: CustomerView) {
    this.customerId = view.customerId;
    this.name = view.name;
    this.cloud = view.cloud;
    this.isPartnerTenant = view.isPartnerTenant;
    this.registeredAt = view.registeredAt;
    this.subscriptions = view.subscriptions;
    this.relationships = view.relationships;
    this.invitations = view.invitations;
    this.grants = view.grants;
    this.gdapRelationships = view.gdapRelationships;
    this.transfers = view.transfers;
  }
}

/** A partner's profile as the query API answers it. */
export class PartnerProfileAnswer {
  @ApiProperty() readonly partnerId: string;
  @ApiProperty() readonly name: string;
  @ApiProperty({ enum: PARTNER_PROGRAMS }) readonly program: PartnerProgram;
  @ApiProperty({ enum: CLOUDS }) readonly cloud: Cloud;
  @ApiProperty({ format: 'date-time' }) readonly enrolledAt: string;
  @ApiProperty({ description: 'For an indirect provider: the resellers it authorized, with the events that did.', type: 'array', items: { type: 'object' } })
  readonly resellers: PartnerView['resellers'];

  constructor(view: PartnerView) {
    this.partnerId = view.partnerId;
    this.name = view.name;
    this.program = view.program;
    this.cloud = view.cloud;
    this.enrolledAt = view.enrolledAt;
    this.resellers = view.resellers;
  }
}
