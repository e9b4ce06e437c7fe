import { enforce } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import { isAtOrAfter } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import { requireSubscription } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type EndLicenseTerm = CommandOf<'EndLicenseTerm', { customerId: string; subscriptionId: string }>;

export const endLicenseTerm: CustomerCommandHandler<EndLicenseTerm> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    const customer = registeredCustomer(state, customerId);
    permitActor(command.metadata.actor, [['system']], 'record the end of a license term');
    const subscription = requireSubscription(customer, command.data.subscriptionId);
    enforce(subscription.kind === 'license' && subscription.termEndsAt !== null, 'MC-14',
      `Subscription ${subscription.subscriptionId} is usage-based and has no term to end`);
    enforce(subscription.status === 'active', 'MC-14',
      `Subscription ${subscription.subscriptionId} is ${subscription.status}; a term ends only once, while active`);
    enforce(isAtOrAfter(command.metadata.now, subscription.termEndsAt), 'MC-14',
      `The term of subscription ${subscription.subscriptionId} ends at ${subscription.termEndsAt}, not before`);
    return [{
      type: 'LicenseTermEnded',
      data: { customerId, subscriptionId: subscription.subscriptionId, termEndedAt: subscription.termEndsAt },
    }];
  },
};
