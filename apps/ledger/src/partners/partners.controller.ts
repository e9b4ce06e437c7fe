import { Body, Controller, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.guard';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandAccepted, CommandResultInterceptor } from '../commands/command-result.interceptor';
import type { CommandEnvelope } from '../commands/command-runner';
import { CommandHeaders } from '../commands/command-headers.decorator';
import { LedgerCommands } from '../commands/submit-command';
import { LedgerIdPipe } from '../http/ledger-id.pipe';
import { AuthorizeIndirectResellerDto } from './authorize-indirect-reseller/authorize-indirect-reseller.dto';
import { EnrollPartnerDto } from './enroll-partner/enroll-partner.dto';
import { MovePartnerToCspDto } from './move-partner-to-csp/move-partner-to-csp.dto';

@ApiTags('partners')
@ApiBearerAuth()
@CommandHeaders()
@RequireScope('write')
@UseInterceptors(CommandResultInterceptor)
@Controller('partners')
export class PartnersController {
  constructor(private readonly commands: LedgerCommands) {}

  @Post()
  @ApiOperation({ summary: 'Enroll a partner in a program and a cloud' })
  @ApiCreatedResponse({ type: CommandAccepted })
  enroll(@Body() body: EnrollPartnerDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.partner(body.toCommand(), envelope);
  }

  @Post(':partnerId/move-to-csp')
  @ApiOperation({ summary: 'Move an Advisor partner into a CSP program' })
  @ApiCreatedResponse({ type: CommandAccepted })
  moveToCsp(
    @Param('partnerId', LedgerIdPipe) partnerId: string,
    @Body() body: MovePartnerToCspDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.partner(body.toCommand(partnerId), envelope);
  }

  @Post(':providerId/indirect-resellers')
  @ApiOperation({ summary: 'Authorize an indirect reseller to sell through this indirect provider (MC-03)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  authorizeReseller(
    @Param('providerId', LedgerIdPipe) providerId: string,
    @Body() body: AuthorizeIndirectResellerDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.partner(body.toCommand(providerId), envelope);
  }
}
