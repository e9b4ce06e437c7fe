import { enforce, refuse, ruleBroken } from '../../shared/ledger-error';
import { isActor, type PartnerDirectory } from '../../shared/parties';
import type { Actor, CommandOf } from '../../shared/vocabulary';
import { requireGdap, requireGdapInForce } from '../customer.guards';
import { type CustomerCommandHandler, ifRegistered, registeredCustomer } from '../customer.handler';
import type { GdapRelationshipState } from '../customer.state';

export type AssignGdapAccess = CommandOf<'AssignGdapAccess', {
  customerId: string;
  gdapId: string;
  assignmentId: string;
  securityGroupId: string;
  roles: string[];
}>;

/** The relationship's partner gives one of its security groups some of the relationship's roles (MC-19). */
export const assignGdapAccess: CustomerCommandHandler<AssignGdapAccess> = {
  reads: (command, state) => [ifRegistered(state)?.gdapRelationships[command.data.gdapId]?.partnerId],
  decide(command, { state, partners }) {
    const { customerId, gdapId, assignmentId, securityGroupId, roles } = command.data;
    const { actor, now } = command.metadata;
    const relationship = requireGdap(registeredCustomer(state, customerId), gdapId);
    requireRelationshipPartner(actor, relationship, partners, 'assigns its access');
    requireGdapInForce(relationship, now, 'MC-19');
    const outside = roles.filter((role) => !relationship.roles.includes(role));
    enforce(roles.length > 0 && outside.length === 0, 'MC-19', roles.length === 0
      ? 'An access assignment names at least one role'
      : `GDAP relationship ${gdapId} does not hold ${outside.join(', ')}; an assignment gives a subset of its roles`);
    const taken = Object.values(relationship.assignments).find((a) => a.status === 'active' && a.securityGroupId === securityGroupId);
    enforce(!taken, 'MC-19', `Security group ${securityGroupId} already has assignment ${taken?.assignmentId} in GDAP relationship ${gdapId}`);
    if (relationship.assignments[assignmentId]) refuse('GDAP_ASSIGNMENT_ALREADY_EXISTS', 'conflict', `Access assignment ${assignmentId} already exists.`);
    return [{
      type: 'GdapAccessAssigned',
      data: { customerId, gdapId, partnerId: relationship.partnerId, assignmentId, securityGroupId, roles: [...roles] },
    }];
  },
};

/**
 * Only the relationship's own partner manages its access (MC-19). A provider acting on its reseller's
 * relationship, or a reseller on its provider's, is refused with MC-21: GDAP is not inherited.
 */
export function requireRelationshipPartner(actor: Actor, relationship: GdapRelationshipState, partners: PartnerDirectory, what: string): void {
  if (isActor(actor, 'partner', relationship.partnerId)) return;
  const owner = partners.get(relationship.partnerId);
  const acting = actor.kind === 'partner' ? partners.get(actor.id) : undefined;
  const related = (owner?.status === 'enrolled' && owner.authorizedResellers.includes(actor.id))
    || (acting?.status === 'enrolled' && acting.authorizedResellers.includes(relationship.partnerId));
  enforce(!related, 'MC-21', `Partner ${actor.id} does not inherit GDAP relationship ${relationship.gdapId} of partner ` +
    `${relationship.partnerId}: each partner holds GDAP only through its own relationships`);
  throw ruleBroken('MC-19', `Only partner ${relationship.partnerId} ${what} in GDAP relationship ${relationship.gdapId}; ${actor.kind} ${actor.id} cannot`);
}
