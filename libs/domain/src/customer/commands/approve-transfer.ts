import { enforce } from '../../shared/ledger-error';
import { isActor } from '../../shared/parties';
import { requireInForce } from '../../shared/policy';
import { isBefore } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import { requirePendingTransfer, requireSubscription, requireTransfer } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';
import { ownedActiveRelationships } from '../customer.state';

export type ApproveTransfer = CommandOf<'ApproveTransfer', { customerId: string; transferId: string }>;

/**
 * The source partner approves: every subscription of the transfer moves to the target, keeping its term, or the
 * approval is refused and none moves (MC-23).
 */
export const approveTransfer: CustomerCommandHandler<ApproveTransfer> = {
  reads: READS_NO_PARTNER,
  decide(command, { state, policy }) {
    const { customerId, transferId } = command.data;
    const { actor, now } = command.metadata;
    requireInForce(policy, 'MC-23', 'Approving a partner-led transfer');
    const customer = registeredCustomer(state, customerId);
    const transfer = requireTransfer(customer, transferId);
    const { sourcePartnerId, targetPartnerId, subscriptionIds } = transfer;
    enforce(isActor(actor, 'partner', sourcePartnerId), 'MC-23',
      `Only the source partner ${sourcePartnerId} approves transfer ${transferId}; ${actor.kind} ${actor.id} cannot`);
    requirePendingTransfer(transfer);
    enforce(isBefore(now, transfer.expiresAt), 'MC-23', `Transfer ${transferId} expired at ${transfer.expiresAt}`);
    const gone = subscriptionIds.filter((id) => {
      const subscription = requireSubscription(customer, id);
      return subscription.status !== 'active' || subscription.partnerOfRecordId !== sourcePartnerId;
    });
    enforce(gone.length === 0, 'MC-23',
      `Subscriptions ${gone.join(', ')} are no longer active with ${sourcePartnerId}; a transfer moves all its subscriptions or none: reject it`);
    enforce(ownedActiveRelationships(customer, targetPartnerId).length > 0, 'MC-22',
      `Partner ${targetPartnerId} no longer has an active reseller relationship with customer ${customerId}`);
    return [{ type: 'TransferCompleted', data: { customerId, transferId, sourcePartnerId, targetPartnerId, subscriptionIds: [...subscriptionIds] } }];
  },
};
