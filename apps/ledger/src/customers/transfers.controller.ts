import { Body } from '@nestjs/common';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandController, CommandEndpoint } from '../commands/command-controller.decorator';
import type { CommandEnvelope } from '../commands/command-runner';
import { derivedId } from '../commands/derived-id';
import { LedgerCommands } from '../commands/submit-command';
import { EmptyBodyPipe, PathId } from '../http/ledger-id.pipe';
import { RequestTransferDto } from './request-transfer.dto';

type Answer = 'ApproveTransfer' | 'RejectTransfer' | 'CancelTransfer' | 'ExpireTransfer';

@CommandController('customers/:customerId/transfers', 'partner-led transfers')
export class TransfersController {
  constructor(private readonly commands: LedgerCommands) {}

  @CommandEndpoint('', 'The target partner asks for new commerce subscriptions of the source partner (MC-22, MC-09)')
  request(@PathId('customerId') customerId: string, @Body() body: RequestTransferDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.customer(body.toCommand(customerId, derivedId(envelope, 'transfer')), envelope);
  }

  @CommandEndpoint(':transferId/approval', 'The source partner approves: every subscription moves to the target, its term kept (MC-23)')
  approve(@PathId('customerId') customerId: string, @PathId('transferId') transferId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.answer('ApproveTransfer', customerId, transferId, envelope);
  }

  @CommandEndpoint(':transferId/rejection', 'The source partner rejects the transfer (MC-23)')
  reject(@PathId('customerId') customerId: string, @PathId('transferId') transferId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.answer('RejectTransfer', customerId, transferId, envelope);
  }

  @CommandEndpoint(':transferId/cancellation', 'The target partner withdraws its pending request (MC-23)')
  cancel(@PathId('customerId') customerId: string, @PathId('transferId') transferId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.answer('CancelTransfer', customerId, transferId, envelope);
  }

  @CommandEndpoint(':transferId/expiry', 'Record that an unanswered transfer expired (the system; LEDGER_TRANSFER_TTL_DAYS, MC-23)')
  expire(@PathId('customerId') customerId: string, @PathId('transferId') transferId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.answer('ExpireTransfer', customerId, transferId, envelope);
  }

  private answer(type: Answer, customerId: string, transferId: string, envelope: CommandEnvelope) {
    return this.commands.customer({ type, data: { customerId, transferId } }, envelope);
  }
}
