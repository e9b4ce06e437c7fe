import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateNested } from 'class-validator';
import type { CommandInput, CreateInvitation } from '@ledger/domain';
import { IsAbsentOr, IsLedgerId, IsRoleList } from '../http/validation';

export class DelegatedAdminRequestDto {
  @IsRoleList()
  roles!: string[];

  @ApiProperty({ example: 365, description: 'How long the grant lasts once accepted: at most 730 days (MC-07).' })
  @IsInt()
  @Min(1)
  @Max(3650)
  durationDays!: number;
}

export class CreateInvitationDto {
  @IsLedgerId('The invitation’s id; by default derived from the Idempotency-Key.', { optional: true })
  invitationId?: string;

  @IsLedgerId('The inviting direct-bill partner or indirect provider (MC-02).', { example: 'northwind-csp' })
  partnerId!: string;

  @IsLedgerId('An indirect reseller the invitation is routed through, authorized by the provider (MC-03).', { optional: true })
  resellerId?: string;

  @ApiPropertyOptional({ type: DelegatedAdminRequestDto, description: 'Delegated admin the partner asks for.' })
  @IsAbsentOr()
  @ValidateNested()
  @Type(() => DelegatedAdminRequestDto)
  delegatedAdmin?: DelegatedAdminRequestDto;

  toCommand(customerId: string, defaultInvitationId: string): CommandInput<CreateInvitation> {
    return {
      type: 'CreateInvitation',
      data: {
        customerId,
        invitationId: this.invitationId ?? defaultInvitationId,
        partnerId: this.partnerId,
        resellerId: this.resellerId,
        delegatedAdmin: this.delegatedAdmin && { roles: [...this.delegatedAdmin.roles], durationDays: this.delegatedAdmin.durationDays },
      },
    };
  }
}
