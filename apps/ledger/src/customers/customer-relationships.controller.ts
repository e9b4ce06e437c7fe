import { Body } from '@nestjs/common';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandController, CommandEndpoint } from '../commands/command-controller.decorator';
import type { CommandEnvelope } from '../commands/command-runner';
import { derivedId } from '../commands/derived-id';
import { LedgerCommands } from '../commands/submit-command';
import { EmptyBodyPipe, PathId } from '../http/ledger-id.pipe';
import { CreateInvitationDto } from './create-invitation.dto';
import { GrantDelegatedAdminDto } from './grant-delegated-admin.dto';

@CommandController('customers/:customerId', 'invitations, relationships and delegated admin')
export class CustomerRelationshipsController {
  constructor(private readonly commands: LedgerCommands) {}

  @CommandEndpoint('invitations', 'Invite the customer into a reseller relationship (MC-01 … MC-03)')
  createInvitation(
    @PathId('customerId') customerId: string,
    @Body() body: CreateInvitationDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId, derivedId(envelope, 'invitation')), envelope);
  }

  @CommandEndpoint('invitations/:invitationId/acceptance', 'The customer accepts a pending invitation (MC-04 … MC-06)')
  accept(
    @PathId('customerId') customerId: string,
    @PathId('invitationId') invitationId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'AcceptInvitation', data: { customerId, invitationId } }, envelope);
  }

  @CommandEndpoint('invitations/:invitationId/revocation', 'Revoke a pending invitation (the inviting partner or the customer)')
  revoke(
    @PathId('customerId') customerId: string,
    @PathId('invitationId') invitationId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'RevokeInvitation', data: { customerId, invitationId } }, envelope);
  }

  @CommandEndpoint('invitations/:invitationId/expiry', 'Record that a pending invitation expired (the system, once its time has come)')
  expireInvitation(
    @PathId('customerId') customerId: string,
    @PathId('invitationId') invitationId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'ExpireInvitation', data: { customerId, invitationId } }, envelope);
  }

  @CommandEndpoint('relationships/:relationshipId/termination', 'Terminate a reseller relationship (its owner or the customer; MC-05, MC-15)')
  terminate(
    @PathId('customerId') customerId: string,
    @PathId('relationshipId') relationshipId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'TerminateRelationship', data: { customerId, relationshipId } }, envelope);
  }

  @CommandEndpoint('delegated-admin-grants', 'The customer grants a partner delegated admin (MC-07)')
  grant(
    @PathId('customerId') customerId: string,
    @Body() body: GrantDelegatedAdminDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId, derivedId(envelope, 'grant')), envelope);
  }

  @CommandEndpoint('delegated-admin-grants/:grantId/revocation', 'Revoke a delegated admin grant (the customer or the grantee; MC-15)')
  revokeGrant(
    @PathId('customerId') customerId: string,
    @PathId('grantId') grantId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'RevokeDelegatedAdmin', data: { customerId, grantId } }, envelope);
  }

  @CommandEndpoint('delegated-admin-grants/:grantId/expiry', 'Record that a grant expired (the system, at its end; MC-15)')
  expireGrant(
    @PathId('customerId') customerId: string,
    @PathId('grantId') grantId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'ExpireDelegatedAdmin', data: { customerId, grantId } }, envelope);
  }
}
