import { Body } from '@nestjs/common';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandController, CommandEndpoint } from '../commands/command-controller.decorator';
import type { CommandEnvelope } from '../commands/command-runner';
import { LedgerCommands } from '../commands/submit-command';
import { PathId } from '../http/ledger-id.pipe';
import { AuthorizeIndirectResellerDto } from './authorize-indirect-reseller.dto';
import { EnrollPartnerDto } from './enroll-partner.dto';
import { MovePartnerToCspDto } from './move-partner-to-csp.dto';

@CommandController('partners', 'partners')
export class PartnersController {
  constructor(private readonly commands: LedgerCommands) {}

  @CommandEndpoint('', 'Enroll a partner in a program and a cloud')
  enroll(@Body() body: EnrollPartnerDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.partner(body.toCommand(), envelope);
  }

  @CommandEndpoint(':partnerId/move-to-csp', 'Move an Advisor partner into a CSP program')
  moveToCsp(
    @PathId('partnerId') partnerId: string,
    @Body() body: MovePartnerToCspDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.partner(body.toCommand(partnerId), envelope);
  }

  @CommandEndpoint(':providerId/indirect-resellers', 'Authorize an indirect reseller to sell through this indirect provider (MC-03)')
  authorizeReseller(
    @PathId('providerId') providerId: string,
    @Body() body: AuthorizeIndirectResellerDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.partner(body.toCommand(providerId), envelope);
  }
}
