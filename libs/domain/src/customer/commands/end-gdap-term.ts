import { enforce } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import { addDays, isAtOrAfter } from '../../shared/time';
import { type CommandOf, GDAP_TERMS } from '../../shared/vocabulary';
import { requireGdap } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type EndGdapTerm = CommandOf<'EndGdapTerm', { customerId: string; gdapId: string }>;

/** At a relationship's end the scheduler extends it by 180 days when auto-extension is on, and records its expiry otherwise (MC-18). */
export const endGdapTerm: CustomerCommandHandler<EndGdapTerm> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId, gdapId } = command.data;
    const { actor, now } = command.metadata;
    const relationship = requireGdap(registeredCustomer(state, customerId), gdapId);
    permitActor(actor, [['system']], 'record the end of a GDAP relationship’s term');
    enforce(relationship.status === 'active', 'MC-18', `GDAP relationship ${gdapId} is ${relationship.status}; its term ended already`);
    const endsAt = relationship.endsAt ?? now;
    enforce(isAtOrAfter(now, endsAt), 'MC-18', `GDAP relationship ${gdapId} ends at ${endsAt}, not before`);
    const { partnerId } = relationship;
    return relationship.autoExtend
      ? [{ type: 'GdapRelationshipExtended', data: { customerId, gdapId, partnerId, endsAt: addDays(endsAt, GDAP_TERMS.autoExtendDays) } }]
      : [{ type: 'GdapRelationshipExpired', data: { customerId, gdapId, partnerId } }];
  },
};
