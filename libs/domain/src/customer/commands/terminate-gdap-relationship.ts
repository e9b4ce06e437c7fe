import { permitActor } from '../../shared/parties';
import type { CommandOf } from '../../shared/vocabulary';
import { requireGdap, requireGdapInForce } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type TerminateGdapRelationship = CommandOf<'TerminateGdapRelationship', { customerId: string; gdapId: string }>;

/** Either side ends a relationship in force (MC-18); its access assignments give nothing after. */
export const terminateGdapRelationship: CustomerCommandHandler<TerminateGdapRelationship> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId, gdapId } = command.data;
    const { actor, now } = command.metadata;
    const relationship = requireGdap(registeredCustomer(state, customerId), gdapId);
    permitActor(actor, [['partner', relationship.partnerId], ['customer', customerId]], `terminate GDAP relationship ${gdapId}`);
    requireGdapInForce(relationship, now, 'MC-18');
    return [{
      type: 'GdapRelationshipTerminated',
      data: { customerId, gdapId, partnerId: relationship.partnerId, requestedBy: actor.kind === 'customer' ? 'customer' : 'partner' },
    }];
  },
};
