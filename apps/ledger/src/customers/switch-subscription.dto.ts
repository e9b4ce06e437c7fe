import type { CommandInput, SwitchSubscription } from '@ledger/domain';
import { IsInstant, IsLedgerId, toInstant } from '../http/validation';

export class SwitchSubscriptionDto {
  @IsLedgerId('The CSP partner that becomes the partner of record (MC-12).', { example: 'northwind-csp' })
  targetPartnerId!: string;

  @IsInstant('For license-based subscriptions: the end of the new term with the new partner.', { optional: true })
  newTermEndsAt?: string;

  toCommand(customerId: string, subscriptionId: string): CommandInput<SwitchSubscription> {
    return {
      type: 'SwitchSubscription',
      data: { customerId, subscriptionId, targetPartnerId: this.targetPartnerId, newTermEndsAt: toInstant(this.newTermEndsAt) },
    };
  }
}
