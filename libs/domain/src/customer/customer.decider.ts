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
import type { CustomerCommand } from './customer.commands';
import type { CustomerEvent } from './customer.events';
import { type CustomerCommandHandler, type CustomerDecisionInput, DEFAULT_CUSTOMER_POLICY } from './customer.handler';
import type { CustomerState } from './customer.state';

export { grantIdForInvitation } from './commands/accept-invitation';
export { type CustomerCommandHandler, type CustomerDecisionInput, type CustomerPolicy, DEFAULT_CUSTOMER_POLICY } from './customer.handler';

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

export function decideCustomer(
  command: CustomerCommand,
  input: Omit<CustomerDecisionInput, 'policy'> & { readonly policy?: CustomerDecisionInput['policy'] },
): CustomerEvent[] {
  return handlerOf(command).decide(command, { ...input, policy: input.policy ?? DEFAULT_CUSTOMER_POLICY });
}
