import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, Matches } from 'class-validator';
import type { CommandInput, RequestTransfer } from '@ledger/domain';
import { IsLedgerId, LEDGER_ID_PATTERN } from '../http/validation';

export class RequestTransferDto {
  @IsLedgerId('The transfer’s id; by default derived from the Idempotency-Key.', { optional: true })
  transferId?: string;

  @IsLedgerId('The partner of record the subscriptions leave (it approves or rejects, MC-23).', { example: 'northwind-csp' })
  sourcePartnerId!: string;

  @IsLedgerId('The partner asking for them: the caller itself (MC-22).', { example: 'fabrikam-csp' })
  targetPartnerId!: string;

  @ApiProperty({ type: [String], example: ['m365-e3'], description: 'Whole new commerce subscriptions of the source, at least one (MC-22).' })
  @IsArray()
  @ArrayMaxSize(256)
  @Matches(LEDGER_ID_PATTERN, { each: true, message: 'each of $property is a ledger id' })
  subscriptionIds!: string[];

  toCommand(customerId: string, defaultId: string): CommandInput<RequestTransfer> {
    return {
      type: 'RequestTransfer',
      data: {
        customerId, transferId: this.transferId ?? defaultId, sourcePartnerId: this.sourcePartnerId,
        targetPartnerId: this.targetPartnerId, subscriptionIds: [...this.subscriptionIds],
      },
    };
  }
}
