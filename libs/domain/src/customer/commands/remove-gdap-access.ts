import { enforce, refuse } from '../../shared/ledger-error';
import type { CommandOf } from '../../shared/vocabulary';
import { requireGdap } from '../customer.guards';
import { type CustomerCommandHandler, ifRegistered, registeredCustomer } from '../customer.handler';
import { requireRelationshipPartner } from './assign-gdap-access';

export type RemoveGdapAccess = CommandOf<'RemoveGdapAccess', { customerId: string; gdapId: string; assignmentId: string }>;

/** The relationship's partner removes an access assignment (MC-19). */
export const removeGdapAccess: CustomerCommandHandler<RemoveGdapAccess> = {
  reads: (command, state) => [ifRegistered(state)?.gdapRelationships[command.data.gdapId]?.partnerId],
  decide(command, { state, partners }) {
    const { customerId, gdapId, assignmentId } = command.data;
    const relationship = requireGdap(registeredCustomer(state, customerId), gdapId);
    requireRelationshipPartner(command.metadata.actor, relationship, partners, 'removes its access');
    const assignment = relationship.assignments[assignmentId]
      ?? refuse('GDAP_ASSIGNMENT_NOT_FOUND', 'not-found', `GDAP relationship ${gdapId} has no access assignment ${assignmentId}.`);
    enforce(assignment.status === 'active', 'MC-19', `Access assignment ${assignmentId} is already ${assignment.status}`);
    return [{ type: 'GdapAccessRemoved', data: { customerId, gdapId, partnerId: relationship.partnerId, assignmentId } }];
  },
};
