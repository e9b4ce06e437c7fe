import { assertNever } from '../shared/assert-never';
import { enforce, refuse, ruleBroken } from '../shared/ledger-error';
import { isActor, type PartnerDirectory, permitActor, requirePartner } from '../shared/parties';
import { addDays, isAtOrAfter, isBefore } from '../shared/time';
import { CHANNELS_WITHOUT_CSP_MIGRATION, isCspProgram, isSellingProgram } from '../shared/vocabulary';
import type { EnrolledPartner } from '../partner/partner.state';
import type {
  AcceptInvitation,
  CreateInvitation,
  CustomerCommand,
  GrantDelegatedAdmin,
  RecordSubscription,
  SwitchSubscription,
} from './customer.commands';
import type { CustomerEvent } from './customer.events';
import {
  type CustomerState,
  type GrantState,
  type InvitationState,
  linkedActiveRelationships,
  ownedActiveRelationships,
  type RegisteredCustomer,
  type RelationshipState,
  type SubscriptionState,
} from './customer.state';

/** Settings of the rules that the operator may tune. */
export interface CustomerPolicy {
  /** Days before an unanswered invitation expires (MC-04). */
  readonly invitationTtlDays: number;
  /** The longest delegated admin grant, in days (MC-07). */
  readonly maxDelegatedAdminDays: number;
}

export const DEFAULT_CUSTOMER_POLICY: CustomerPolicy = { invitationTtlDays: 90, maxDelegatedAdminDays: 730 };

export interface CustomerDecisionInput {
  readonly state: CustomerState;
  /** The partners the command names (see {@link partnersReferencedByCustomerCommand}). */
  readonly partners: PartnerDirectory;
  readonly policy?: CustomerPolicy;
}

/** The suffix of the grant recorded when an invitation that asked for delegated admin is accepted. */
export function grantIdForInvitation(invitationId: string): string {
  return `${invitationId}.admin`;
}

/** The partners whose state the decision needs: those the command names, or that the customer's state links it to. */
export function partnersReferencedByCustomerCommand(command: CustomerCommand, state: CustomerState): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined): void => {
    if (id) ids.add(id);
  };
  if (command.metadata.actor.kind === 'partner') add(command.metadata.actor.id);
  const registered = state.status === 'registered' ? state : undefined;
  switch (command.type) {
    case 'RecordSubscription':
      add(command.data.partnerOfRecordId);
      break;
    case 'SwitchSubscription':
      add(command.data.targetPartnerId);
      add(registered?.subscriptions[command.data.subscriptionId]?.partnerOfRecordId);
      break;
    case 'CreateInvitation':
      add(command.data.partnerId);
      add(command.data.resellerId);
      break;
    case 'AcceptInvitation': {
      const invitation = registered?.invitations[command.data.invitationId];
      add(invitation?.partnerId);
      add(invitation?.resellerId);
      break;
    }
    case 'GrantDelegatedAdmin':
      add(command.data.partnerId);
      break;
    default:
      break;
  }
  return [...ids];
}

export function decideCustomer(command: CustomerCommand, input: CustomerDecisionInput): CustomerEvent[] {
  const { state, partners } = input;
  const policy = input.policy ?? DEFAULT_CUSTOMER_POLICY;
  const { actor, now } = command.metadata;
  const { customerId } = command.data;

  if (command.type === 'RegisterCustomer') {
    permitActor(actor, [['operator'], ['customer', customerId]], `register customer ${customerId}`);
    if (state.status !== 'unknown') {
      refuse('CUSTOMER_ALREADY_REGISTERED', 'conflict', `Customer ${customerId} is already registered.`);
    }
    return [{ type: 'CustomerRegistered', data: { ...command.data } }];
  }

  if (state.status !== 'registered') {
    return refuse('CUSTOMER_NOT_FOUND', 'not-found', `Customer ${customerId} is not registered in the ledger.`);
  }
  const customer = state;

  switch (command.type) {
    case 'RecordSubscription':
      return recordSubscription(command, customer, partners);

    case 'CancelSubscription': {
      const subscription = requireSubscription(customer, command.data.subscriptionId);
      permitActor(
        actor,
        [['customer', customerId], ['operator'], ...partyIf('partner', subscription.partnerOfRecordId)],
        `cancel subscription ${subscription.subscriptionId}`,
      );
      requireNotCancelled(subscription);
      return [{ type: 'SubscriptionCancelled', data: { customerId, subscriptionId: subscription.subscriptionId } }];
    }

    case 'SwitchSubscription':
      return switchSubscription(command, customer, partners);

    case 'EndLicenseTerm': {
      permitActor(actor, [['system']], 'record the end of a license term');
      const subscription = requireSubscription(customer, command.data.subscriptionId);
      enforce(subscription.kind === 'license' && subscription.termEndsAt !== null, 'MC-14',
        `Subscription ${subscription.subscriptionId} is usage-based and has no term to end`);
      enforce(subscription.status === 'active', 'MC-14',
        `Subscription ${subscription.subscriptionId} is ${subscription.status}; a term ends only once, while active`);
      enforce(isAtOrAfter(now, subscription.termEndsAt), 'MC-14',
        `The term of subscription ${subscription.subscriptionId} ends at ${subscription.termEndsAt}, not before`);
      return [{
        type: 'LicenseTermEnded',
        data: { customerId, subscriptionId: subscription.subscriptionId, termEndedAt: subscription.termEndsAt },
      }];
    }

    case 'CreateInvitation':
      return createInvitation(command, customer, partners, policy);

    case 'RevokeInvitation': {
      const invitation = requireInvitation(customer, command.data.invitationId);
      permitActor(actor, [['partner', invitation.partnerId], ['customer', customerId]],
        `revoke invitation ${invitation.invitationId}`);
      enforce(invitation.status === 'pending', 'MC-04',
        `Invitation ${invitation.invitationId} is ${invitation.status}; only a pending invitation is revoked`);
      return [{ type: 'InvitationRevoked', data: { customerId, invitationId: invitation.invitationId } }];
    }

    case 'ExpireInvitation': {
      permitActor(actor, [['system']], 'record the expiry of an invitation');
      const invitation = requireInvitation(customer, command.data.invitationId);
      enforce(invitation.status === 'pending', 'MC-04',
        `Invitation ${invitation.invitationId} is ${invitation.status}; only a pending invitation expires`);
      enforce(isAtOrAfter(now, invitation.expiresAt), 'MC-04',
        `Invitation ${invitation.invitationId} expires at ${invitation.expiresAt}, not before`);
      return [{ type: 'InvitationExpired', data: { customerId, invitationId: invitation.invitationId } }];
    }

    case 'AcceptInvitation':
      return acceptInvitation(command, customer, partners, policy);

    case 'TerminateRelationship': {
      const relationship = requireRelationship(customer, command.data.relationshipId);
      if (relationship.resellerId !== null && isActor(actor, 'partner', relationship.resellerId)) {
        throw ruleBroken('MC-05', `Reseller ${actor.id} is linked to relationship ${relationship.relationshipId} but ` +
          `does not own it; only its owner ${relationship.partnerId} or the customer ends it`);
      }
      permitActor(actor, [['partner', relationship.partnerId], ['customer', customerId]],
        `terminate relationship ${relationship.relationshipId}`);
      enforce(relationship.status === 'active', 'MC-15',
        `Relationship ${relationship.relationshipId} is already ${relationship.status}; it ends only once`);
      return [{
        type: 'RelationshipTerminated',
        data: { customerId, relationshipId: relationship.relationshipId, partnerId: relationship.partnerId },
      }];
    }

    case 'GrantDelegatedAdmin':
      return grantDelegatedAdmin(command, customer, partners, policy);

    case 'RevokeDelegatedAdmin': {
      const grant = requireGrant(customer, command.data.grantId);
      permitActor(actor, [['customer', customerId], ['partner', grant.partnerId]], `revoke grant ${grant.grantId}`);
      requireActiveGrant(grant);
      return [{ type: 'DelegatedAdminRevoked', data: { customerId, grantId: grant.grantId, partnerId: grant.partnerId } }];
    }

    case 'ExpireDelegatedAdmin': {
      permitActor(actor, [['system']], 'record the expiry of a delegated admin grant');
      const grant = requireGrant(customer, command.data.grantId);
      requireActiveGrant(grant);
      enforce(isAtOrAfter(now, grant.endsAt), 'MC-15', `Grant ${grant.grantId} ends at ${grant.endsAt}, not before`);
      return [{ type: 'DelegatedAdminExpired', data: { customerId, grantId: grant.grantId, partnerId: grant.partnerId } }];
    }

    default:
      return assertNever(command);
  }
}

function recordSubscription(
  command: RecordSubscription,
  customer: RegisteredCustomer,
  partners: PartnerDirectory,
): CustomerEvent[] {
  const { customerId, subscriptionId, kind, channel, partnerOfRecordId, termEndsAt } = command.data;
  const { actor, now } = command.metadata;
  permitActor(actor, [['operator'], ['customer', customerId], ...partyIf('partner', partnerOfRecordId)],
    `record subscriptions of customer ${customerId}`);
  enforce(!customer.subscriptions[subscriptionId], 'MC-08',
    `Subscription ${subscriptionId} is already recorded; its partner of record, term and channel change only ` +
      'through a switch, a term end or a cancellation');
  checkTerm(kind, termEndsAt, now);
  if (channel === 'csp') {
    enforce(partnerOfRecordId, 'MC-13', 'A CSP subscription names the CSP partner that sold it as its partner of record');
    const seller = requirePartner(partners, partnerOfRecordId);
    requireSameCloud(customer, seller);
    enforce(!customer.isPartnerTenant, 'MC-06',
      `Customer ${customerId} is a CSP partner's own tenant and cannot receive a CSP subscription`);
    enforce(isSellingProgram(seller.program), 'MC-13',
      `Partner ${seller.partnerId} is a ${seller.program} partner; only direct-bill partners and indirect providers sell`);
    enforce(ownedActiveRelationships(customer, seller.partnerId).length > 0, 'MC-13',
      `Partner ${seller.partnerId} owns no active reseller relationship with customer ${customerId}`);
  } else if (partnerOfRecordId) {
    refuse('PARTNER_OF_RECORD_NOT_CSP', 'invalid',
      `A subscription bought through the ${channel} channel has no CSP partner of record.`);
  }
  return [{
    type: 'SubscriptionRecorded',
    data: {
      customerId, subscriptionId, kind, channel,
      partnerOfRecordId: channel === 'csp' ? (partnerOfRecordId ?? null) : null,
      termEndsAt: termEndsAt ?? null,
    },
  }];
}

function switchSubscription(
  command: SwitchSubscription,
  customer: RegisteredCustomer,
  partners: PartnerDirectory,
): CustomerEvent[] {
  const { customerId, subscriptionId, targetPartnerId, newTermEndsAt } = command.data;
  const { actor, now } = command.metadata;
  const subscription = requireSubscription(customer, subscriptionId);
  permitActor(actor, [['customer', customerId], ['partner', targetPartnerId]], `switch subscription ${subscriptionId}`);
  requireNotCancelled(subscription);
  const target = requirePartner(partners, targetPartnerId);
  requireSameCloud(customer, target);
  enforce(!customer.isPartnerTenant, 'MC-06',
    `Customer ${customerId} is a CSP partner's own tenant and cannot receive a CSP subscription`);

  if (subscription.kind === 'usage') {
    enforce(!CHANNELS_WITHOUT_CSP_MIGRATION.includes(subscription.channel), 'MC-10',
      `Usage-based subscription ${subscriptionId} was bought through ${subscription.channel} and has no migration ` +
        'path into CSP: create a new CSP subscription with the partner and move the resources to it');
    enforce(subscription.channel === 'csp', 'MC-11',
      `Usage-based subscription ${subscriptionId} was bought through ${subscription.channel}; only a usage-based ` +
        'subscription from a CSP partner is switched to another CSP partner');
  } else {
    const termEnded = subscription.status === 'term-ended'
      || (subscription.termEndsAt !== null && isAtOrAfter(now, subscription.termEndsAt));
    enforce(termEnded, 'MC-09',
      `License-based subscription ${subscriptionId} is in its term until ${subscription.termEndsAt}: wait for the ` +
        'term to end, or cancel it');
  }

  enforce(isSellingProgram(target.program), 'MC-12',
    `Partner ${targetPartnerId} is a ${target.program} partner; a switch targets a direct-bill partner or an indirect provider`);
  enforce(ownedActiveRelationships(customer, targetPartnerId).length > 0, 'MC-12',
    `Partner ${targetPartnerId} has no accepted, active reseller relationship with customer ${customerId}`);
  enforce(subscription.partnerOfRecordId !== targetPartnerId, 'MC-12',
    `Partner ${targetPartnerId} is already the partner of record of subscription ${subscriptionId}`);

  const termEndsAt = subscription.kind === 'license' ? newTermEndsAt : undefined;
  if (subscription.kind === 'license' && !termEndsAt) {
    refuse('SUBSCRIPTION_TERM_INVALID', 'invalid',
      `Switching license-based subscription ${subscriptionId} starts a new term: give its end as newTermEndsAt.`);
  }
  checkTerm(subscription.kind, termEndsAt, now);
  return [{
    type: 'SubscriptionSwitched',
    data: {
      customerId, subscriptionId,
      fromChannel: subscription.channel,
      fromPartnerId: subscription.partnerOfRecordId,
      toPartnerId: targetPartnerId,
      termEndsAt: termEndsAt ?? null,
    },
  }];
}

function createInvitation(
  command: CreateInvitation,
  customer: RegisteredCustomer,
  partners: PartnerDirectory,
  policy: CustomerPolicy,
): CustomerEvent[] {
  const { customerId, invitationId, partnerId, resellerId, delegatedAdmin } = command.data;
  const { actor, now } = command.metadata;
  const inviter = requirePartner(partners, partnerId);
  if (actor.kind === 'partner' && actor.id !== partnerId) {
    const actingPartner = partners.get(actor.id);
    enforce(actingPartner?.status !== 'enrolled' || actingPartner.program !== 'indirect-reseller', 'MC-03',
      `Reseller ${actor.id} cannot create an invitation, not even in its provider's name; it hands on its ` +
        "provider's invitation");
  }
  permitActor(actor, [['partner', partnerId]], `create invitations in partner ${partnerId}'s name`);
  enforce(inviter.program !== 'indirect-reseller', 'MC-03',
    `Partner ${partnerId} is an indirect reseller and cannot create its own invitation; it uses its provider's`);
  enforce(isSellingProgram(inviter.program), 'MC-02',
    `Partner ${partnerId} is a ${inviter.program} partner; only direct-bill partners and indirect providers invite`);
  requireSameCloud(customer, inviter);
  if (resellerId) {
    const reseller = requirePartner(partners, resellerId);
    requireSameCloud(customer, reseller);
    enforce(inviter.program === 'indirect-provider' && inviter.authorizedResellers.includes(resellerId), 'MC-03',
      `Reseller ${resellerId} is not authorized by ${partnerId}; an invitation is routed only through a reseller ` +
        'the inviting provider has authorized');
  }
  if (delegatedAdmin) checkGrantTerms(delegatedAdmin.roles, addDays(now, delegatedAdmin.durationDays), now, policy);
  if (customer.invitations[invitationId]) {
    refuse('INVITATION_ALREADY_EXISTS', 'conflict', `Invitation ${invitationId} already exists.`);
  }
  return [{
    type: 'InvitationCreated',
    data: {
      customerId, invitationId, partnerId,
      resellerId: resellerId ?? null,
      delegatedAdmin: delegatedAdmin ? { roles: [...delegatedAdmin.roles], durationDays: delegatedAdmin.durationDays } : null,
      expiresAt: addDays(now, policy.invitationTtlDays),
    },
  }];
}

function acceptInvitation(
  command: AcceptInvitation,
  customer: RegisteredCustomer,
  partners: PartnerDirectory,
  policy: CustomerPolicy,
): CustomerEvent[] {
  const { customerId, invitationId } = command.data;
  const { actor, now } = command.metadata;
  const invitation = requireInvitation(customer, invitationId);
  enforce(isActor(actor, 'customer', customerId), 'MC-04',
    `Only customer ${customerId}, who was invited, accepts invitation ${invitationId}; ${actor.kind} ${actor.id} cannot`);
  enforce(invitation.status === 'pending', 'MC-04',
    `Invitation ${invitationId} is ${invitation.status}; an invitation is accepted once, while pending`);
  enforce(isBefore(now, invitation.expiresAt), 'MC-04', `Invitation ${invitationId} expired at ${invitation.expiresAt}`);
  enforce(!customer.isPartnerTenant, 'MC-06',
    `Customer ${customerId} is a CSP partner's own tenant and cannot accept a CSP invitation`);
  const inviter = requirePartner(partners, invitation.partnerId);
  requireSameCloud(customer, inviter);
  if (invitation.resellerId) requireSameCloud(customer, requirePartner(partners, invitation.resellerId));

  const events: CustomerEvent[] = [{
    type: 'RelationshipAccepted',
    data: {
      customerId, invitationId,
      relationshipId: invitationId,
      partnerId: invitation.partnerId,
      resellerId: invitation.resellerId,
    },
  }];
  if (invitation.delegatedAdmin) {
    const endsAt = addDays(now, invitation.delegatedAdmin.durationDays);
    checkGrantTerms(invitation.delegatedAdmin.roles, endsAt, now, policy);
    events.push({
      type: 'DelegatedAdminGranted',
      data: {
        customerId,
        grantId: grantIdForInvitation(invitationId),
        partnerId: invitation.partnerId,
        roles: [...invitation.delegatedAdmin.roles],
        endsAt,
      },
    });
  }
  return events;
}

function grantDelegatedAdmin(
  command: GrantDelegatedAdmin,
  customer: RegisteredCustomer,
  partners: PartnerDirectory,
  policy: CustomerPolicy,
): CustomerEvent[] {
  const { customerId, grantId, partnerId, roles, endsAt } = command.data;
  const { actor, now } = command.metadata;
  enforce(isActor(actor, 'customer', customerId), 'MC-07',
    `Only customer ${customerId} grants delegated admin over its tenant; ${actor.kind} ${actor.id} cannot`);
  const grantee = requirePartner(partners, partnerId);
  requireSameCloud(customer, grantee);
  enforce(isCspProgram(grantee.program), 'MC-07',
    `Partner ${partnerId} is an ${grantee.program} partner; delegated admin is granted only to CSP partners`);
  enforce(isEligibleGrantee(customer, grantee), 'MC-07',
    `Partner ${partnerId} has no active relationship with customer ${customerId} and is not an indirect reseller ` +
      'linked to one; an ended relationship gives no rights (MC-15)');
  checkGrantTerms(roles, endsAt, now, policy);
  if (customer.grants[grantId]) refuse('GRANT_ALREADY_EXISTS', 'conflict', `Grant ${grantId} already exists.`);
  return [{ type: 'DelegatedAdminGranted', data: { customerId, grantId, partnerId, roles: [...roles], endsAt } }];
}

function isEligibleGrantee(customer: RegisteredCustomer, grantee: EnrolledPartner): boolean {
  if (ownedActiveRelationships(customer, grantee.partnerId).length > 0) return true;
  if (grantee.program === 'indirect-reseller' && linkedActiveRelationships(customer, grantee.partnerId).length > 0) {
    return true;
  }
  // The 21Vianet edition lets the customer choose another reseller of its cloud.
  return customer.cloud === 'china' && grantee.program === 'indirect-reseller';
}

function checkGrantTerms(roles: readonly string[], endsAt: string, now: string, policy: CustomerPolicy): void {
  enforce(roles.length > 0, 'MC-07', 'A delegated admin grant names at least one role');
  enforce(isBefore(now, endsAt), 'MC-07', `A delegated admin grant ends after it starts; ${endsAt} is not after ${now}`);
  enforce(!isBefore(addDays(now, policy.maxDelegatedAdminDays), endsAt), 'MC-07',
    `A delegated admin grant ends within ${policy.maxDelegatedAdminDays} days; there is no permanent grant`);
}

function checkTerm(kind: SubscriptionState['kind'], termEndsAt: string | undefined, now: string): void {
  if (kind === 'license' && (!termEndsAt || !isBefore(now, termEndsAt))) {
    refuse('SUBSCRIPTION_TERM_INVALID', 'invalid', 'A license-based subscription has a term end date in the future.');
  }
  if (kind === 'usage' && termEndsAt) {
    refuse('SUBSCRIPTION_TERM_INVALID', 'invalid', 'A usage-based subscription has no term end date.');
  }
}

function requireSameCloud(customer: RegisteredCustomer, partner: EnrolledPartner): void {
  enforce(customer.cloud === partner.cloud, 'MC-01',
    `Partner ${partner.partnerId} belongs to the ${partner.cloud} cloud and customer ${customer.customerId} to the ` +
      `${customer.cloud} cloud; they never deal with each other`);
}

function requireNotCancelled(subscription: SubscriptionState): void {
  if (subscription.status === 'cancelled') {
    refuse('SUBSCRIPTION_CANCELLED', 'conflict', `Subscription ${subscription.subscriptionId} is cancelled.`);
  }
}

function requireActiveGrant(grant: GrantState): void {
  enforce(grant.status === 'active', 'MC-15', `Grant ${grant.grantId} is already ${grant.status}; it ends only once`);
}

function partyIf(kind: 'partner', id: string | null | undefined): Array<readonly ['partner', string]> {
  return id ? [[kind, id] as const] : [];
}

function requireEntry<T>(entry: T | undefined, code: string, message: string): T {
  return entry ?? refuse(code, 'not-found', message);
}

function requireSubscription(customer: RegisteredCustomer, id: string): SubscriptionState {
  return requireEntry(customer.subscriptions[id], 'SUBSCRIPTION_NOT_FOUND',
    `Customer ${customer.customerId} has no subscription ${id}.`);
}

function requireInvitation(customer: RegisteredCustomer, id: string): InvitationState {
  return requireEntry(customer.invitations[id], 'INVITATION_NOT_FOUND', `Customer ${customer.customerId} has no invitation ${id}.`);
}

function requireRelationship(customer: RegisteredCustomer, id: string): RelationshipState {
  return requireEntry(customer.relationships[id], 'RELATIONSHIP_NOT_FOUND',
    `Customer ${customer.customerId} has no relationship ${id}.`);
}

function requireGrant(customer: RegisteredCustomer, id: string): GrantState {
  return requireEntry(customer.grants[id], 'GRANT_NOT_FOUND', `Customer ${customer.customerId} has no grant ${id}.`);
}
