import { enforce } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import { isAtOrAfter } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import { requireActiveGrant, requireGrant } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type ExpireDelegatedAdmin = CommandOf<'ExpireDelegatedAdmin', { customerId: string; grantId: string }>;

export const expireDelegatedAdmin: CustomerCommandHandler<ExpireDelegatedAdmin> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    const customer = registeredCustomer(state, customerId);
    permitActor(command.metadata.actor, [['system']], 'record the expiry of a delegated admin grant');
    const grant = requireGrant(customer, command.data.grantId);
    requireActiveGrant(grant);
    enforce(isAtOrAfter(command.metadata.now, grant.endsAt), 'MC-15', `Grant ${grant.grantId} ends at ${grant.endsAt}, not before`);
    return [{ type: 'DelegatedAdminExpired', data: { customerId, grantId: grant.grantId, partnerId: grant.partnerId } }];
  },
};
