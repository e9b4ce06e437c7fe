import { enforce } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import { isAtOrAfter } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import { requireGdap } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type ExpireGdapRequest = CommandOf<'ExpireGdapRequest', { customerId: string; gdapId: string }>;

/** The scheduler records that a request the customer left unanswered for 90 days expired (MC-17). */
export const expireGdapRequest: CustomerCommandHandler<ExpireGdapRequest> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId, gdapId } = command.data;
    const request = requireGdap(registeredCustomer(state, customerId), gdapId);
    permitActor(command.metadata.actor, [['system']], 'record the expiry of a GDAP request');
    enforce(request.status === 'approval-pending', 'MC-17', `GDAP relationship ${gdapId} is ${request.status}, not a pending request`);
    enforce(request.requestExpiresAt !== null && isAtOrAfter(command.metadata.now, request.requestExpiresAt), 'MC-17',
      `The request for GDAP relationship ${gdapId} expires at ${request.requestExpiresAt}, not before`);
    return [{ type: 'GdapRequestExpired', data: { customerId, gdapId, partnerId: request.partnerId } }];
  },
};
