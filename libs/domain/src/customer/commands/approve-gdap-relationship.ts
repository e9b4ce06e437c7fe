import { enforce } from '../../shared/ledger-error';
import { isActor } from '../../shared/parties';
import { requireInForce } from '../../shared/policy';
import { addDays, isBefore } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import { requireGdap } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type ApproveGdapRelationship = CommandOf<'ApproveGdapRelationship', { customerId: string; gdapId: string }>;

/** The customer approves every requested role at once; the relationship is active from now for its duration (MC-17). */
export const approveGdapRelationship: CustomerCommandHandler<ApproveGdapRelationship> = {
  reads: READS_NO_PARTNER,
  decide(command, { state, policy }) {
    const { customerId, gdapId } = command.data;
    const { actor, now } = command.metadata;
    requireInForce(policy, 'MC-17', 'Approving a GDAP relationship');
    const request = requireGdap(registeredCustomer(state, customerId), gdapId);
    enforce(isActor(actor, 'customer', customerId), 'MC-17',
      `Only customer ${customerId} approves GDAP relationship ${gdapId}; ${actor.kind} ${actor.id} cannot`);
    enforce(request.status === 'approval-pending', 'MC-17', `GDAP relationship ${gdapId} is ${request.status}; only a pending request is approved`);
    enforce(request.requestExpiresAt !== null && isBefore(now, request.requestExpiresAt), 'MC-17',
      `The request for GDAP relationship ${gdapId} expired at ${request.requestExpiresAt}`);
    return [{
      type: 'GdapRelationshipApproved',
      data: { customerId, gdapId, partnerId: request.partnerId, endsAt: addDays(now, request.durationDays ?? 0) },
    }];
  },
};
