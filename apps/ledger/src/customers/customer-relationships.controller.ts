import { Body, Controller, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.guard';
import { Envelope } from '../commands/command-envelope.decorator';
import { CommandHeaders } from '../commands/command-headers.decorator';
import { CommandAccepted, CommandResultInterceptor } from '../commands/command-result.interceptor';
import type { CommandEnvelope } from '../commands/command-runner';
import { derivedId } from '../commands/derived-id';
import { LedgerCommands } from '../commands/submit-command';
import { EmptyBodyPipe, LedgerIdPipe } from '../http/ledger-id.pipe';
import { CreateInvitationDto } from './create-invitation/create-invitation.dto';
import { GrantDelegatedAdminDto } from './grant-delegated-admin/grant-delegated-admin.dto';

@ApiTags('invitations, relationships and delegated admin')
@ApiBearerAuth()
@CommandHeaders()
@RequireScope('write')
@UseInterceptors(CommandResultInterceptor)
@Controller('customers/:customerId')
export class CustomerRelationshipsController {
  constructor(private readonly commands: LedgerCommands) {}

  @Post('invitations')
  @ApiOperation({ summary: 'Invite the customer into a reseller relationship (MC-01 … MC-03)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  createInvitation(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Body() body: CreateInvitationDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId, derivedId(envelope.commandId, 'invitation')), envelope);
  }

  @Post('invitations/:invitationId/acceptance')
  @ApiOperation({ summary: 'The customer accepts a pending invitation (MC-04 … MC-06)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  accept(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('invitationId', LedgerIdPipe) invitationId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'AcceptInvitation', data: { customerId, invitationId } }, envelope);
  }

  @Post('invitations/:invitationId/revocation')
  @ApiOperation({ summary: 'Revoke a pending invitation (the inviting partner or the customer)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  revoke(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('invitationId', LedgerIdPipe) invitationId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'RevokeInvitation', data: { customerId, invitationId } }, envelope);
  }

  @Post('invitations/:invitationId/expiry')
  @ApiOperation({ summary: 'Record that a pending invitation expired (the system, once its time has come)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  expireInvitation(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('invitationId', LedgerIdPipe) invitationId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'ExpireInvitation', data: { customerId, invitationId } }, envelope);
  }

  @Post('relationships/:relationshipId/termination')
  @ApiOperation({ summary: 'Terminate a reseller relationship (its owner or the customer; MC-05, MC-15)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  terminate(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('relationshipId', LedgerIdPipe) relationshipId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'TerminateRelationship', data: { customerId, relationshipId } }, envelope);
  }

  @Post('delegated-admin-grants')
  @ApiOperation({ summary: 'The customer grants a partner delegated admin (MC-07)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  grant(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Body() body: GrantDelegatedAdminDto,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer(body.toCommand(customerId, derivedId(envelope.commandId, 'grant')), envelope);
  }

  @Post('delegated-admin-grants/:grantId/revocation')
  @ApiOperation({ summary: 'Revoke a delegated admin grant (the customer or the grantee; MC-15)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  revokeGrant(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('grantId', LedgerIdPipe) grantId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'RevokeDelegatedAdmin', data: { customerId, grantId } }, envelope);
  }

  @Post('delegated-admin-grants/:grantId/expiry')
  @ApiOperation({ summary: 'Record that a grant expired (the system, at its end; MC-15)' })
  @ApiCreatedResponse({ type: CommandAccepted })
  expireGrant(
    @Param('customerId', LedgerIdPipe) customerId: string,
    @Param('grantId', LedgerIdPipe) grantId: string,
    @Body(EmptyBodyPipe) _: unknown,
    @Envelope() envelope: CommandEnvelope,
  ) {
    return this.commands.customer({ type: 'ExpireDelegatedAdmin', data: { customerId, grantId } }, envelope);
  }
}
