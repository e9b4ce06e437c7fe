import { Body } from '@nestjs/common';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandController, CommandEndpoint } from '../commands/command-controller.decorator';
import type { CommandEnvelope } from '../commands/command-runner';
import { derivedId } from '../commands/derived-id';
import { LedgerCommands } from '../commands/submit-command';
import { EmptyBodyPipe, PathId } from '../http/ledger-id.pipe';
import { AssignGdapAccessDto, EstablishGdapRelationshipDto, GdapAutoExtendDto, RequestGdapRelationshipDto } from './gdap.dto';

type OnGdap = 'ApproveGdapRelationship' | 'TerminateGdapRelationship' | 'ExpireGdapRequest' | 'EndGdapTerm';

@CommandController('customers/:customerId/gdap-relationships', 'GDAP relationships')
export class GdapController {
  constructor(private readonly commands: LedgerCommands) {}

  @CommandEndpoint('', 'A CSP partner asks the customer for GDAP roles for a time (MC-16)')
  request(@PathId('customerId') customerId: string, @Body() body: RequestGdapRelationshipDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.customer(body.toCommand(customerId, derivedId(envelope, 'gdap')), envelope);
  }

  @CommandEndpoint('established', 'Record a GDAP relationship the customer did not approve: Microsoft-led or default roles (the operator; MC-20)')
  establish(@PathId('customerId') customerId: string, @Body() body: EstablishGdapRelationshipDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.customer(body.toCommand(customerId, derivedId(envelope, 'gdap')), envelope);
  }

  @CommandEndpoint(':gdapId/approval', 'The customer approves every requested role (MC-17)')
  approve(@PathId('customerId') customerId: string, @PathId('gdapId') gdapId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.onGdap('ApproveGdapRelationship', customerId, gdapId, envelope);
  }

  @CommandEndpoint(':gdapId/termination', 'The partner or the customer ends a relationship in force (MC-18)')
  terminate(@PathId('customerId') customerId: string, @PathId('gdapId') gdapId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.onGdap('TerminateGdapRelationship', customerId, gdapId, envelope);
  }

  @CommandEndpoint(':gdapId/auto-extend', 'The partner or the customer turns auto-extension on or off (MC-18)')
  autoExtend(@PathId('customerId') customerId: string, @PathId('gdapId') gdapId: string, @Body() body: GdapAutoExtendDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.customer({ type: 'SetGdapAutoExtend', data: { customerId, gdapId, autoExtend: body.autoExtend } }, envelope);
  }

  @CommandEndpoint(':gdapId/request-expiry', 'Record that a request left pending 90 days expired (the system; MC-17)')
  expireRequest(@PathId('customerId') customerId: string, @PathId('gdapId') gdapId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.onGdap('ExpireGdapRequest', customerId, gdapId, envelope);
  }

  @CommandEndpoint(':gdapId/term-end', 'Record a relationship’s end: extended by 180 days with auto-extend, else expired (the system; MC-18)')
  endTerm(@PathId('customerId') customerId: string, @PathId('gdapId') gdapId: string, @Body(EmptyBodyPipe) _: unknown, @Envelope() envelope: CommandEnvelope) {
    return this.onGdap('EndGdapTerm', customerId, gdapId, envelope);
  }

  @CommandEndpoint(':gdapId/access-assignments', 'The relationship’s partner gives a security group some of its roles (MC-19, MC-21)')
  assign(@PathId('customerId') customerId: string, @PathId('gdapId') gdapId: string, @Body() body: AssignGdapAccessDto, @Envelope() envelope: CommandEnvelope) {
    return this.commands.customer(body.toCommand(customerId, gdapId, derivedId(envelope, 'gdap-assignment')), envelope);
  }

  @CommandEndpoint(':gdapId/access-assignments/:assignmentId/removal', 'The relationship’s partner removes an access assignment (MC-19)')
  removeAccess(
    @PathId('customerId') customerId: string,
    @PathId('gdapId') gdapId: string,
    @PathId('assignmentId') assignmentId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'RemoveGdapAccess', data: { customerId, gdapId, assignmentId } }, envelope);
  }

  private onGdap(type: OnGdap, customerId: string, gdapId: string, envelope: CommandEnvelope) {
    return this.commands.customer({ type, data: { customerId, gdapId } }, envelope);
  }
}
