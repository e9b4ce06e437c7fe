import type { CommandInput, GrantDelegatedAdmin } from '@ledger/domain';
import { IsInstant, IsLedgerId, IsRoleList, toInstant } from '../http/validation';

export class GrantDelegatedAdminDto {
  @IsLedgerId('The grant’s id; by default derived from the Idempotency-Key.', { optional: true })
  grantId?: string;

  @IsLedgerId('The CSP partner that receives delegated admin (MC-07).', { example: 'fabrikam-reseller' })
  partnerId!: string;

  @IsRoleList()
  roles!: string[];

  @IsInstant('When the grant ends: at most 2 years from now (MC-07).')
  endsAt!: string;

  toCommand(customerId: string, defaultGrantId: string): CommandInput<GrantDelegatedAdmin> {
    return {
      type: 'GrantDelegatedAdmin',
      data: {
        customerId, grantId: this.grantId ?? defaultGrantId, partnerId: this.partnerId,
        roles: [...this.roles], endsAt: toInstant(this.endsAt),
      },
    };
  }
}
