import { authorizeIndirectReseller } from './commands/authorize-indirect-reseller';
import { enrollPartner } from './commands/enroll-partner';
import { movePartnerToCsp } from './commands/move-partner-to-csp';
import type { CommandInput } from '../deciders';
import type { PartnerCommand } from './partner.commands';
import type { PartnerEvent } from './partner.events';
import type { PartnerCommandHandler, PartnerDecisionInput } from './partner.handler';

export type { PartnerCommandHandler, PartnerDecisionInput } from './partner.handler';

/** The partner aggregate: every partner command type and its module. A command type missing here does not compile. */
export const PARTNER_COMMANDS: { readonly [T in PartnerCommand['type']]: PartnerCommandHandler<Extract<PartnerCommand, { type: T }>> } = {
  EnrollPartner: enrollPartner,
  MovePartnerToCsp: movePartnerToCsp,
  AuthorizeIndirectReseller: authorizeIndirectReseller,
};

function handlerOf<C extends PartnerCommand>(command: Pick<C, 'type'>): PartnerCommandHandler<C> {
  // The map is keyed by the command's type, so the handler found is the command's own.
  return PARTNER_COMMANDS[command.type] as unknown as PartnerCommandHandler<C>;
}

/** The id of the partner whose stream a command appends to. */
export function partnerCommandTarget(input: CommandInput<PartnerCommand>): string {
  return handlerOf(input).target(input);
}

/** The other partners whose state the decision needs. */
export function partnersReferencedByPartnerCommand(command: PartnerCommand): string[] {
  return [...handlerOf(command).reads(command)];
}

export function decidePartner(command: PartnerCommand, input: PartnerDecisionInput): PartnerEvent[] {
  return handlerOf(command).decide(command, input);
}
