import { enforce, refuse } from '../../shared/ledger-error';
import { permitActor, requirePartner } from '../../shared/parties';
import { isInForce } from '../../shared/policy';
import { type Channel, type CommandOf, type Commerce, isSellingProgram, type SubscriptionKind } from '../../shared/vocabulary';
import { checkTerm, partyIf, requireNotPartnerTenant, requireSameCloud } from '../customer.guards';
import { type CustomerCommandHandler, registeredCustomer } from '../customer.handler';
import { ownedActiveRelationships } from '../customer.state';

export type RecordSubscription = CommandOf<'RecordSubscription', {
  customerId: string;
  subscriptionId: string;
  kind: SubscriptionKind;
  channel: Channel;
  partnerOfRecordId?: string;
  termEndsAt?: string;
  /** Legacy unless given. */
  commerce?: Commerce;
}>;

export const recordSubscription: CustomerCommandHandler<RecordSubscription> = {
  reads: (command) => [command.data.partnerOfRecordId],
  decide(command, { state, partners, policy }) {
    const { customerId, subscriptionId, kind, channel, partnerOfRecordId, termEndsAt, commerce } = command.data;
    const { actor, now } = command.metadata;
    const customer = registeredCustomer(state, customerId);
    permitActor(actor, [['operator'], ['customer', customerId], ...partyIf('partner', partnerOfRecordId)],
      `record subscriptions of customer ${customerId}`);
    enforce(!customer.subscriptions[subscriptionId], 'MC-08',
      `Subscription ${subscriptionId} is already recorded; its partner of record, term and channel change only ` +
        'through a switch, a term end or a cancellation');
    checkTerm(kind, termEndsAt, now);
    if (isInForce(policy, 'MC-25')) {
      enforce(channel !== '21vianet' || customer.cloud === 'china', 'MC-25',
        `Customer ${customerId} belongs to the ${customer.cloud} cloud; 21Vianet sells only in the China cloud`);
    }
    if (channel === 'csp') {
      enforce(partnerOfRecordId, 'MC-13', 'A CSP subscription names the CSP partner that sold it as its partner of record');
      const seller = requirePartner(partners, partnerOfRecordId);
      requireSameCloud(customer, seller);
      requireNotPartnerTenant(customer);
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
        commerce: commerce ?? 'legacy',
      },
    }];
  },
};
