import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  type Channel, CHANNELS, type CommandInput, type Commerce, COMMERCE, type RecordSubscription, SUBSCRIPTION_KINDS, type SubscriptionKind,
} from '@ledger/domain';
import { IsAbsentOr, IsInstant, IsLedgerId, toInstant } from '../http/validation';

export class RecordSubscriptionDto {
  @IsLedgerId('The subscription’s id.', { example: 'azure-plan-1' })
  subscriptionId!: string;

  @ApiProperty({ enum: SUBSCRIPTION_KINDS, description: 'license: seat-based with a term; usage: billed on consumption.' })
  @IsIn(SUBSCRIPTION_KINDS)
  kind!: SubscriptionKind;

  @ApiProperty({ enum: CHANNELS, description: 'Where it was bought; csp names the partner of record.' })
  @IsIn(CHANNELS)
  channel!: Channel;

  @IsLedgerId('For the csp channel: the selling partner (MC-13).', { optional: true })
  partnerOfRecordId?: string;

  @IsInstant('For license-based subscriptions: when the term ends.', { optional: true })
  termEndsAt?: string;

  @ApiPropertyOptional({ enum: COMMERCE, default: 'legacy', description: 'The commerce platform; partner-led transfers move new-commerce ones (MC-22).' })
  @IsAbsentOr()
  @IsIn(COMMERCE)
  commerce?: Commerce;

  toCommand(customerId: string): CommandInput<RecordSubscription> {
    return {
      type: 'RecordSubscription',
      data: {
        customerId, subscriptionId: this.subscriptionId, kind: this.kind, channel: this.channel,
        partnerOfRecordId: this.partnerOfRecordId, termEndsAt: toInstant(this.termEndsAt), commerce: this.commerce,
      },
    };
  }
}
