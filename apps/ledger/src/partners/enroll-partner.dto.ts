import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import {
  type Cloud, CLOUDS, type CommandInput, type EnrollPartner, PARTNER_PROGRAMS, type PartnerProgram,
} from '@ledger/domain';
import { IsLedgerId, IsName } from '../http/validation';

export class EnrollPartnerDto {
  @IsLedgerId('The partner’s id (e.g. its Partner Center MPN id).', { example: 'northwind-csp' })
  partnerId!: string;

  @IsName('Northwind Traders')
  name!: string;

  @ApiProperty({ enum: PARTNER_PROGRAMS })
  @IsIn(PARTNER_PROGRAMS)
  program!: PartnerProgram;

  @ApiProperty({ enum: CLOUDS })
  @IsIn(CLOUDS)
  cloud!: Cloud;

  toCommand(): CommandInput<EnrollPartner> {
    return { type: 'EnrollPartner', data: { partnerId: this.partnerId, name: this.name, program: this.program, cloud: this.cloud } };
  }
}
