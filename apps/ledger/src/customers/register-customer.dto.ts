import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { type Cloud, CLOUDS, type CommandInput, type RegisterCustomer } from '@ledger/domain';
import { IsAbsentOr, IsLedgerId, IsName } from '../http/validation';

export class RegisterCustomerDto {
  @IsLedgerId('The customer tenant’s id.', { example: 'contoso' })
  customerId!: string;

  @IsName('Contoso Ltd')
  name!: string;

  @ApiProperty({ enum: CLOUDS })
  @IsIn(CLOUDS)
  cloud!: Cloud;

  @ApiPropertyOptional({ description: 'The tenant is a CSP partner’s own tenant (MC-06).', default: false })
  @IsAbsentOr()
  @IsBoolean()
  isPartnerTenant?: boolean;

  toCommand(): CommandInput<RegisterCustomer> {
    return {
      type: 'RegisterCustomer',
      data: { customerId: this.customerId, name: this.name, cloud: this.cloud, isPartnerTenant: this.isPartnerTenant ?? false },
    };
  }
}
