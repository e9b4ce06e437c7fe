import { acceptInvitation } from './commands/accept-invitation';
import { cancelSubscription } from './commands/cancel-subscription';
import { createInvitation } from './commands/create-invitation';
import { endLicenseTerm } from './commands/end-license-term';
import { expireDelegatedAdmin } from './commands/expire-delegated-admin';
import { expireInvitation } from './commands/expire-invitation';
import { grantDelegatedAdmin } from './commands/grant-delegated-admin';
import { recordSubscription } from './commands/record-subscription';
import { registerCustomer } from './commands/register-customer';
import { revokeDelegatedAdmin } from './commands/revoke-delegated-admin';
import { revokeInvitation } from './commands/revoke-invitation';
import { switchSubscription } from './commands/switch-subscription';
import { terminateRelationship } from './commands/terminate-relationship';
import { requestGdapRelationship } from './commands/request-gdap-relationship';
import { approveGdapRelationship } from './commands/approve-gdap-relationship';
import { establishGdapRelationship } from './commands/establish-gdap-relationship';
import { expireGdapRequest } from './commands/expire-gdap-request';
import { setGdapAutoExtend } from './commands/set-gdap-auto-extend';
import { endGdapTerm } from './commands/end-gdap-term';
import { terminateGdapRelationship } from './commands/terminate-gdap-relationship';
import { assignGdapAccess } from './commands/assign-gdap-access';
import { removeGdapAccess } from './commands/remove-gdap-access';
import { requestTransfer } from './commands/request-transfer';
import { approveTransfer } from './commands/approve-transfer';
import { rejectTransfer, cancelTransfer, expireTransfer } from './commands/end-transfer';
import type { CustomerCommand } from './customer.commands';
import type { CustomerEvent } from './customer.events';
import type { CustomerCommandHandler, CustomerDecisionInput } from './customer.handler';
import type { CustomerState } from './customer.state';

export { grantIdForInvitation } from './commands/accept-invitation';
export type { CustomerCommandHandler, CustomerDecisionInput } from './customer.handler';

/** The customer aggregate: every customer command type and its module. A command type missing here does not compile. */
export const CUSTOMER_COMMANDS: { readonly [T in CustomerCommand['type']]: CustomerCommandHandler<Extract<CustomerCommand, { type: T }>> } = {
  RegisterCustomer: registerCustomer,
  RecordSubscription: recordSubscription,
  CancelSubscription: cancelSubscription,
  SwitchSubscription: switchSubscription,
  EndLicenseTerm: endLicenseTerm,
  CreateInvitation: createInvitation,
  RevokeInvitation: revokeInvitation,
  ExpireInvitation: expireInvitation,
  AcceptInvitation: acceptInvitation,
  TerminateRelationship: terminateRelationship,
  GrantDelegatedAdmin: grantDelegatedAdmin,
  RevokeDelegatedAdmin: revokeDelegatedAdmin,
  ExpireDelegatedAdmin: expireDelegatedAdmin,
  RequestGdapRelationship: requestGdapRelationship,
  ApproveGdapRelationship: approveGdapRelationship,
  EstablishGdapRelationship: establishGdapRelationship,
  ExpireGdapRequest: expireGdapRequest,
  SetGdapAutoExtend: setGdapAutoExtend,
  EndGdapTerm: endGdapTerm,
  TerminateGdapRelationship: terminateGdapRelationship,
  AssignGdapAccess: assignGdapAccess,
  RemoveGdapAccess: removeGdapAccess,
  RequestTransfer: requestTransfer,
  ApproveTransfer: approveTransfer,
  RejectTransfer: rejectTransfer,
  CancelTransfer: cancelTransfer,
  ExpireTransfer: expireTransfer,
};

function handlerOf<C extends CustomerCommand>(command: C): CustomerCommandHandler<C> {
  // The map is keyed by the command's type, so the handler found is the command's own.
  return CUSTOMER_COMMANDS[command.type] as unknown as CustomerCommandHandler<C>;
}

/** The partners whose state the decision needs: the acting partner, and those the command's module reads. */
export function partnersReferencedByCustomerCommand(command: CustomerCommand, state: CustomerState): string[] {
  const { actor } = command.metadata;
  const ids = [actor.kind === 'partner' ? actor.id : undefined, ...handlerOf(command).reads(command, state)];
  return [...new Set(ids.filter((id): id is string => Boolean(id)))];
}

export function decideCustomer(command: CustomerCommand, input: CustomerDecisionInput): CustomerEvent[] {
  return handlerOf(command).decide(command, input);
}
