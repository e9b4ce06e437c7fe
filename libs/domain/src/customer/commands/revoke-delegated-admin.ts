import { permitActor } from '../../shared/parties';
import type { CommandOf } from '../../shared/vocabulary';
import { requireActiveGrant, requireGrant } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type RevokeDelegatedAdmin = CommandOf<'RevokeDelegatedAdmin', { customerId: string; grantId: string }>;

export const revokeDelegatedAdmin: CustomerCommandHandler<RevokeDelegatedAdmin> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    const grant = requireGrant(registeredCustomer(state, customerId), command.data.grantId);
    permitActor(command.metadata.actor, [['customer', customerId], ['partner', grant.partnerId]], `revoke grant ${grant.grantId}`);
    requireActiveGrant(grant);
    return [{ type: 'DelegatedAdminRevoked', data: { customerId, grantId: grant.grantId, partnerId: grant.partnerId } }];
  },
};
