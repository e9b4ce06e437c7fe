import { refuse } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import type { Cloud, CommandOf, PartnerProgram } from '../../shared/vocabulary';
import type { PartnerCommandHandler } from '../partner.handler';

export type EnrollPartner = CommandOf<'EnrollPartner', { partnerId: string; name: string; program: PartnerProgram; cloud: Cloud }>;

export const enrollPartner: PartnerCommandHandler<EnrollPartner> = {
  target: (command) => command.data.partnerId,
  reads: () => [],
  decide(command, { state }) {
    const { partnerId } = command.data;
    permitActor(command.metadata.actor, [['operator'], ['partner', partnerId]], `enroll partner ${partnerId}`);
    if (state.status !== 'unknown') refuse('PARTNER_ALREADY_ENROLLED', 'conflict', `Partner ${partnerId} is already enrolled.`);
    return [{ type: 'PartnerEnrolled', data: { ...command.data } }];
  },
};
