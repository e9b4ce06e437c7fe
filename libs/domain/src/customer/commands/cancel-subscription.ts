import { permitActor } from '../../shared/parties';
import type { CommandOf } from '../../shared/vocabulary';
import { partyIf, requireNotCancelled, requireSubscription } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type CancelSubscription = CommandOf<'CancelSubscription', { customerId: string; subscriptionId: string }>;

export const cancelSubscription: CustomerCommandHandler<CancelSubscription> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    const subscription = requireSubscription(registeredCustomer(state, customerId), command.data.subscriptionId);
    permitActor(command.metadata.actor, [['customer', customerId], ['operator'], ...partyIf('partner', subscription.partnerOfRecordId)],
      `cancel subscription ${subscription.subscriptionId}`);
    requireNotCancelled(subscription);
    return [{ type: 'SubscriptionCancelled', data: { customerId, subscriptionId: subscription.subscriptionId } }];
  },
};
