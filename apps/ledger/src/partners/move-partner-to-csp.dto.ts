import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { type CommandInput, CSP_PROGRAMS, type CspProgram, type MovePartnerToCsp } from '@ledger/domain';

export class MovePartnerToCspDto {
  @ApiProperty({ enum: CSP_PROGRAMS, description: 'The CSP program the Advisor partner joins.' })
  @IsIn(CSP_PROGRAMS)
  program!: CspProgram;

  toCommand(partnerId: string): CommandInput<MovePartnerToCsp> {
    return { type: 'MovePartnerToCsp', data: { partnerId, program: this.program } };
  }
}
