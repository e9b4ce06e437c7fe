import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import {
  type AssignGdapAccess, type CommandInput, type EstablishGdapRelationship, GDAP_ORIGINS, GDAP_TERMS, type RequestGdapRelationship,
} from '@ledger/domain';
import { IsAbsentOr, IsLedgerId, IsRoleList } from '../http/validation';

/** A GDAP relationship's duration in days: the 1-to-730 rule is MC-16's; validation only keeps the number sane. */
function IsDurationDays() {
  return applyDecorators(
    ApiProperty({ example: 365, description: `Days it lasts once active: ${GDAP_TERMS.minDurationDays} to ${GDAP_TERMS.maxDurationDays} (MC-16).` }),
    IsInt(),
    Min(0),
    Max(36_500),
  );
}

export class RequestGdapRelationshipDto {
  @IsLedgerId('The GDAP relationship’s id; by default derived from the Idempotency-Key.', { optional: true })
  gdapId?: string;

  @IsLedgerId('The CSP partner asking: the caller itself (MC-16).', { example: 'northwind-csp' })
  partnerId!: string;

  @IsRoleList()
  roles!: string[];

  @IsDurationDays()
  durationDays!: number;

  @ApiPropertyOptional({ default: false, description: `Extend by ${GDAP_TERMS.autoExtendDays} days at its end; never with Global Administrator (MC-16).` })
  @IsAbsentOr()
  @IsBoolean()
  autoExtend?: boolean;

  toCommand(customerId: string, defaultId: string): CommandInput<RequestGdapRelationship> {
    return {
      type: 'RequestGdapRelationship',
      data: {
        customerId, gdapId: this.gdapId ?? defaultId, partnerId: this.partnerId, roles: [...this.roles],
        durationDays: this.durationDays, autoExtend: this.autoExtend ?? false,
      },
    };
  }
}

export class EstablishGdapRelationshipDto {
  @IsLedgerId('The GDAP relationship’s id; by default derived from the Idempotency-Key.', { optional: true })
  gdapId?: string;

  @IsLedgerId('The CSP partner that holds it.', { example: 'northwind-csp' })
  partnerId!: string;

  @IsRoleList()
  roles!: string[];

  @IsDurationDays()
  durationDays!: number;

  @ApiProperty({ enum: GDAP_ORIGINS.filter((o) => o !== 'customer-approved'), description: 'How it came about without the customer’s approval (MC-20).' })
  @IsIn(GDAP_ORIGINS.filter((o) => o !== 'customer-approved'))
  origin!: EstablishGdapRelationship['data']['origin'];

  toCommand(customerId: string, defaultId: string): CommandInput<EstablishGdapRelationship> {
    return {
      type: 'EstablishGdapRelationship',
      data: {
        customerId, gdapId: this.gdapId ?? defaultId, partnerId: this.partnerId, roles: [...this.roles],
        durationDays: this.durationDays, origin: this.origin,
      },
    };
  }
}

export class GdapAutoExtendDto {
  @ApiProperty({ description: `On: extended by ${GDAP_TERMS.autoExtendDays} days at its end (MC-18).` })
  @IsBoolean()
  autoExtend!: boolean;
}

export class AssignGdapAccessDto {
  @IsLedgerId('The assignment’s id; by default derived from the Idempotency-Key.', { optional: true })
  assignmentId?: string;

  @IsLedgerId('The partner’s security group that gets access.', { example: 'helpdesk-agents' })
  securityGroupId!: string;

  @IsRoleList()
  roles!: string[];

  toCommand(customerId: string, gdapId: string, defaultId: string): CommandInput<AssignGdapAccess> {
    return {
      type: 'AssignGdapAccess',
      data: { customerId, gdapId, assignmentId: this.assignmentId ?? defaultId, securityGroupId: this.securityGroupId, roles: [...this.roles] },
    };
  }
}
