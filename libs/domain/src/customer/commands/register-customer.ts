import { refuse } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import type { Cloud, CommandOf } from '../../shared/vocabulary';
import { type CustomerCommandHandler, READS_NO_PARTNER } from '../customer.handler';

export type RegisterCustomer = CommandOf<'RegisterCustomer', { customerId: string; name: string; cloud: Cloud; isPartnerTenant: boolean }>;

export const registerCustomer: CustomerCommandHandler<RegisterCustomer> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    permitActor(command.metadata.actor, [['operator'], ['customer', customerId]], `register customer ${customerId}`);
    if (state.status !== 'unknown') refuse('CUSTOMER_ALREADY_REGISTERED', 'conflict', `Customer ${customerId} is already registered.`);
    return [{ type: 'CustomerRegistered', data: { ...command.data } }];
  },
};
