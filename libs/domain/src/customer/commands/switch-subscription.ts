import { enforce, refuse } from '../../shared/ledger-error';
import { permitActor, requirePartner } from '../../shared/parties';
import { isAtOrAfter } from '../../shared/time';
import { CHANNELS_WITHOUT_CSP_MIGRATION, type CommandOf, isSellingProgram } from '../../shared/vocabulary';
import { checkTerm, requireNotCancelled, requireNotPartnerTenant, requireSameCloud, requireSubscription } from '../customer.guards';
import { type CustomerCommandHandler, ifRegistered, registeredCustomer } from '../customer.handler';
import { ownedActiveRelationships } from '../customer.state';

export type SwitchSubscription = CommandOf<'SwitchSubscription', {
  customerId: string;
  subscriptionId: string;
  targetPartnerId: string;
  newTermEndsAt?: string;
}>;

export const switchSubscription: CustomerCommandHandler<SwitchSubscription> = {
  reads: (command, state) => [
    command.data.targetPartnerId,
    ifRegistered(state)?.subscriptions[command.data.subscriptionId]?.partnerOfRecordId,
  ],
  decide(command, { state, partners }) {
    const { customerId, subscriptionId, targetPartnerId, newTermEndsAt } = command.data;
    const { actor, now } = command.metadata;
    const customer = registeredCustomer(state, customerId);
    const subscription = requireSubscription(customer, subscriptionId);
    permitActor(actor, [['customer', customerId], ['partner', targetPartnerId]], `switch subscription ${subscriptionId}`);
    requireNotCancelled(subscription);
    const target = requirePartner(partners, targetPartnerId);
    requireSameCloud(customer, target);
    requireNotPartnerTenant(customer);

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
  },
};
