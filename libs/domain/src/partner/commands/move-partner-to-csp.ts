import { refuse } from '../../shared/ledger-error';
import { permitActor, requirePartner } from '../../shared/parties';
import type { CommandOf, CspProgram } from '../../shared/vocabulary';
import type { PartnerCommandHandler } from '../partner.handler';

export type MovePartnerToCsp = CommandOf<'MovePartnerToCsp', { partnerId: string; program: CspProgram }>;

export const movePartnerToCsp: PartnerCommandHandler<MovePartnerToCsp> = {
  target: (command) => command.data.partnerId,
  reads: () => [],
  decide(command, { state }) {
    const { partnerId, program } = command.data;
    permitActor(command.metadata.actor, [['operator'], ['partner', partnerId]], `move partner ${partnerId} to CSP`);
    const partner = requirePartner(new Map([[partnerId, state]]), partnerId);
    if (partner.program !== 'advisor') {
      refuse('PARTNER_NOT_ADVISOR', 'conflict', `Partner ${partnerId} is in the ${partner.program} program, not Advisor.`);
    }
    return [{ type: 'PartnerMovedToCsp', data: { partnerId, fromProgram: 'advisor', toProgram: program } }];
  },
};
