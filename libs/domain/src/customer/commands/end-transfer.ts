import { enforce } from '../../shared/ledger-error';
import { isActor, permitActor } from '../../shared/parties';
import { isAtOrAfter } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import type { TransferEvent } from '../customer.events';
import { requirePendingTransfer, requireTransfer } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';
import type { TransferState } from '../customer.state';

type TransferCommand<T extends string> = CommandOf<T, { customerId: string; transferId: string }>;
export type RejectTransfer = TransferCommand<'RejectTransfer'>;
export type CancelTransfer = TransferCommand<'CancelTransfer'>;
export type ExpireTransfer = TransferCommand<'ExpireTransfer'>;

/** A pending transfer that ends without moving anything: who may end it (throws otherwise), and the fact recorded. */
function endingTransfer<C extends TransferCommand<string>>(
  fact: Exclude<TransferEvent['type'], 'TransferRequested' | 'TransferCompleted'>,
  checkMayEnd: (transfer: TransferState, command: C) => void,
): CustomerCommandHandler<C> {
  return {
    reads: READS_NO_PARTNER,
    decide(command, { state }) {
      const { customerId, transferId } = command.data;
      const transfer = requireTransfer(registeredCustomer(state, customerId), transferId);
      checkMayEnd(transfer, command);
      requirePendingTransfer(transfer);
      const { sourcePartnerId, targetPartnerId } = transfer;
      return [{ type: fact, data: { customerId, transferId, sourcePartnerId, targetPartnerId } }];
    },
  };
}

function onlyThe(role: 'source' | 'target', verb: string) {
  return (transfer: TransferState, { metadata: { actor } }: TransferCommand<string>): void => {
    const partnerId = role === 'source' ? transfer.sourcePartnerId : transfer.targetPartnerId;
    enforce(isActor(actor, 'partner', partnerId), 'MC-23',
      `Only the ${role} partner ${partnerId} ${verb} transfer ${transfer.transferId}; ${actor.kind} ${actor.id} cannot`);
  };
}

/** The source partner says no (MC-23). */
export const rejectTransfer = endingTransfer<RejectTransfer>('TransferRejected', onlyThe('source', 'rejects'));

/** Only the target partner withdraws its request while it is pending (MC-23). */
export const cancelTransfer = endingTransfer<CancelTransfer>('TransferCancelled', onlyThe('target', 'cancels'));

/** The scheduler records that the source partner let the request's time pass (MC-23; the period is the operator's). */
export const expireTransfer = endingTransfer<ExpireTransfer>('TransferExpired', (transfer, { metadata: { actor, now } }) => {
  permitActor(actor, [['system']], `record the expiry of transfer ${transfer.transferId}`);
  enforce(isAtOrAfter(now, transfer.expiresAt), 'MC-23', `Transfer ${transfer.transferId} expires at ${transfer.expiresAt}, not before`);
});
