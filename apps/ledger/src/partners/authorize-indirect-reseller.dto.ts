import type { AuthorizeIndirectReseller, CommandInput } from '@ledger/domain';
import { IsLedgerId } from '../http/validation';

export class AuthorizeIndirectResellerDto {
  @IsLedgerId('The indirect reseller the provider authorizes.', { example: 'fabrikam-reseller' })
  resellerId!: string;

  toCommand(providerId: string): CommandInput<AuthorizeIndirectReseller> {
    return { type: 'AuthorizeIndirectReseller', data: { providerId, resellerId: this.resellerId } };
  }
}
