import { enforce, ruleBroken } from '../../shared/ledger-error';
import { isActor, permitActor } from '../../shared/parties';
import type { CommandOf } from '../../shared/vocabulary';
import { requireRelationship } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type TerminateRelationship = CommandOf<'TerminateRelationship', { customerId: string; relationshipId: string }>;

export const terminateRelationship: CustomerCommandHandler<TerminateRelationship> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    const { actor } = command.metadata;
    const relationship = requireRelationship(registeredCustomer(state, customerId), command.data.relationshipId);
    if (relationship.resellerId !== null && isActor(actor, 'partner', relationship.resellerId)) {
      throw ruleBroken('MC-05', `Reseller ${actor.id} is linked to relationship ${relationship.relationshipId} but ` +
        `does not own it; only its owner ${relationship.partnerId} or the customer ends it`);
    }
    permitActor(actor, [['partner', relationship.partnerId], ['customer', customerId]],
      `terminate relationship ${relationship.relationshipId}`);
    enforce(relationship.status === 'active', 'MC-15',
      `Relationship ${relationship.relationshipId} is already ${relationship.status}; it ends only once`);
    return [{
      type: 'RelationshipTerminated',
      data: { customerId, relationshipId: relationship.relationshipId, partnerId: relationship.partnerId },
    }];
  },
};
