import { enforce, refuse, ruleBroken } from '../../shared/ledger-error';
import { isActor, requirePartner } from '../../shared/parties';
import { requireInForce } from '../../shared/policy';
import { addDays, isBefore } from '../../shared/time';
import { type CommandOf, isSellingProgram } from '../../shared/vocabulary';
import { requireNotPartnerTenant, requireSameCloud, requireSubscription } from '../customer.guards';
import { type CustomerCommandHandler, registeredCustomer } from '../customer.handler';
import { ownedActiveRelationships, type RegisteredCustomer, type SubscriptionState } from '../customer.state';

export type RequestTransfer = CommandOf<'RequestTransfer', {
  customerId: string;
  transferId: string;
  sourcePartnerId: string;
  targetPartnerId: string;
  subscriptionIds: string[];
}>;

/**
 * The target partner asks for whole new commerce subscriptions of the source partner (MC-22). A legacy license in
 * its term still cannot change partner (MC-09); the source partner answers (MC-23).
 */
export const requestTransfer: CustomerCommandHandler<RequestTransfer> = {
  reads: (command) => [command.data.targetPartnerId, command.data.sourcePartnerId],
  decide(command, { state, partners, policy }) {
    const { customerId, transferId, sourcePartnerId, targetPartnerId, subscriptionIds } = command.data;
    const { actor, now } = command.metadata;
    requireInForce(policy, 'MC-22', 'A partner-led transfer');
    const customer = registeredCustomer(state, customerId);
    enforce(isActor(actor, 'partner', targetPartnerId), 'MC-22',
      `The target partner ${targetPartnerId} requests a transfer; ${actor.kind} ${actor.id} cannot request one for it`);
    const target = requirePartner(partners, targetPartnerId);
    requirePartner(partners, sourcePartnerId);
    requireSameCloud(customer, target);
    requireNotPartnerTenant(customer);
    enforce(isSellingProgram(target.program), 'MC-22',
      `Partner ${targetPartnerId} is a ${target.program} partner; subscriptions transfer to a direct-bill partner or an indirect provider`);
    enforce(sourcePartnerId !== targetPartnerId, 'MC-22', `Partner ${targetPartnerId} cannot transfer subscriptions from itself`);
    enforce(ownedActiveRelationships(customer, targetPartnerId).length > 0, 'MC-22',
      `Partner ${targetPartnerId} has no active reseller relationship with customer ${customerId}; the customer must have one with the target first`);
    enforce(subscriptionIds.length > 0 && new Set(subscriptionIds).size === subscriptionIds.length, 'MC-22',
      'A transfer names at least one subscription, each once');
    for (const id of subscriptionIds) checkTransferable(customer, requireSubscription(customer, id), sourcePartnerId, now);
    if (customer.transfers[transferId]) refuse('TRANSFER_ALREADY_EXISTS', 'conflict', `Transfer ${transferId} already exists.`);
    return [{
      type: 'TransferRequested',
      data: { customerId, transferId, sourcePartnerId, targetPartnerId, subscriptionIds: [...subscriptionIds], expiresAt: addDays(now, policy.transferTtlDays) },
    }];
  },
};

/** A subscription moves by a partner-led transfer when it is active, the source's, new commerce, and in no other pending transfer. */
export function checkTransferable(customer: RegisteredCustomer, subscription: SubscriptionState, sourcePartnerId: string, now: string): void {
  const id = subscription.subscriptionId;
  enforce(subscription.status === 'active' && subscription.partnerOfRecordId === sourcePartnerId, 'MC-22',
    `Subscription ${id} is not an active subscription of partner ${sourcePartnerId}`);
  if (subscription.commerce === 'legacy' && subscription.kind === 'license' && subscription.termEndsAt && isBefore(now, subscription.termEndsAt)) {
    throw ruleBroken('MC-09', `Legacy license-based subscription ${id} is in its term until ${subscription.termEndsAt}: ` +
      'it cannot change partner before its term ends, by transfer or by switch');
  }
  enforce(subscription.commerce === 'new-commerce', 'MC-22',
    `Subscription ${id} is a legacy subscription; partner-led transfers move new commerce subscriptions (a legacy one moves by a switch)`);
  const pending = Object.values(customer.transfers).find((t) => t.status === 'pending' && t.subscriptionIds.includes(id));
  enforce(!pending, 'MC-22', `Subscription ${id} is already in pending transfer ${pending?.transferId}`);
}
