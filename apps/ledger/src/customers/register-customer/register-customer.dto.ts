import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { type Cloud, CLOUDS, type CommandInput, type RegisterCustomer } from '@ledger/domain';
import { IsLedgerId } from '../../http/validation';

export class RegisterCustomerDto {
  @IsLedgerId('The customer tenant’s id.', { example: 'contoso' })
  customerId!: string;

  @ApiProperty({ example: 'Contoso Ltd' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: CLOUDS })
  @IsIn(CLOUDS)
  cloud!: Cloud;

  @ApiPropertyOptional({ description: 'The tenant is a CSP partner’s own tenant (MC-06).', default: false })
  @IsOptional()
  @IsBoolean()
  isPartnerTenant?: boolean;

  toCommand(): CommandInput<RegisterCustomer> {
    return {
      type: 'RegisterCustomer',
      data: { customerId: this.customerId, name: this.name, cloud: this.cloud, isPartnerTenant: this.isPartnerTenant ?? false },
    };
  }
}
