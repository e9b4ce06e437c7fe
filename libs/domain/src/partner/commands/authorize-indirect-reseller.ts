import { enforce, refuse } from '../../shared/ledger-error';
import { permitActor, requirePartner } from '../../shared/parties';
import type { CommandOf } from '../../shared/vocabulary';
import type { PartnerCommandHandler } from '../partner.handler';

export type AuthorizeIndirectReseller = CommandOf<'AuthorizeIndirectReseller', { providerId: string; resellerId: string }>;

export const authorizeIndirectReseller: PartnerCommandHandler<AuthorizeIndirectReseller> = {
  target: (command) => command.data.providerId,
  reads: (command) => [command.data.resellerId],
  decide(command, { state, partners }) {
    const { providerId, resellerId } = command.data;
    permitActor(command.metadata.actor, [['operator'], ['partner', providerId]], `authorize resellers for provider ${providerId}`);
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
  },
};
