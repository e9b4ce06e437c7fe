import { enforce, refuse } from '../shared/ledger-error';
import { type PartnerDirectory, permitActor, requirePartner } from '../shared/parties';
import { assertNever } from '../shared/assert-never';
import type { PartnerCommand } from './partner.commands';
import type { PartnerEvent } from './partner.events';
import type { PartnerState } from './partner.state';

export interface PartnerDecisionInput {
  /** The state of the partner whose stream the command appends to. */
  readonly state: PartnerState;
  /** The other partners the command names (see {@link partnersReferencedByPartnerCommand}). */
  readonly partners: PartnerDirectory;
}

/** The id of the partner whose stream a command appends to. */
export function partnerCommandTarget(command: PartnerCommand): string {
  return command.type === 'AuthorizeIndirectReseller' ? command.data.providerId : command.data.partnerId;
}

/** The other partners whose state the decision needs. */
export function partnersReferencedByPartnerCommand(command: PartnerCommand): string[] {
  return command.type === 'AuthorizeIndirectReseller' ? [command.data.resellerId] : [];
}

export function decidePartner(command: PartnerCommand, { state, partners }: PartnerDecisionInput): PartnerEvent[] {
  const { actor } = command.metadata;
  switch (command.type) {
    case 'EnrollPartner': {
      const { partnerId } = command.data;
      permitActor(actor, [['operator'], ['partner', partnerId]], `enroll partner ${partnerId}`);
      if (state.status !== 'unknown') {
        refuse('PARTNER_ALREADY_ENROLLED', 'conflict', `Partner ${partnerId} is already enrolled.`);
      }
      return [{ type: 'PartnerEnrolled', data: { ...command.data } }];
    }
    case 'MovePartnerToCsp': {
      const { partnerId, program } = command.data;
      permitActor(actor, [['operator'], ['partner', partnerId]], `move partner ${partnerId} to CSP`);
      const partner = requirePartner(new Map([[partnerId, state]]), partnerId);
      if (partner.program !== 'advisor') {
        refuse('PARTNER_NOT_ADVISOR', 'conflict', `Partner ${partnerId} is in the ${partner.program} program, not Advisor.`);
      }
      return [{ type: 'PartnerMovedToCsp', data: { partnerId, fromProgram: 'advisor', toProgram: program } }];
    }
    case 'AuthorizeIndirectReseller': {
      const { providerId, resellerId } = command.data;
      permitActor(actor, [['operator'], ['partner', providerId]], `authorize resellers for provider ${providerId}`);
      const provider = requirePartner(new Map([[providerId, state]]), providerId);
      const reseller = requirePartner(partners, resellerId);
      enforce(provider.cloud === reseller.cloud, 'MC-01',
        `Provider ${providerId} (${provider.cloud} cloud) cannot authorize reseller ${resellerId} of the ${reseller.cloud} cloud`);
      enforce(provider.program === 'indirect-provider', 'MC-03',
        `Only an indirect provider authorizes indirect resellers; ${providerId} is a ${provider.program} partner`);
      enforce(reseller.program === 'indirect-reseller', 'MC-03',
        `${resellerId} is a ${reseller.program} partner, not an indirect reseller`);
      if (provider.authorizedResellers.includes(resellerId)) {
        refuse('RESELLER_ALREADY_AUTHORIZED', 'conflict', `Reseller ${resellerId} is already authorized by ${providerId}.`);
      }
      return [{ type: 'IndirectResellerAuthorized', data: { providerId, resellerId } }];
    }
    default:
      return assertNever(command);
  }
}
