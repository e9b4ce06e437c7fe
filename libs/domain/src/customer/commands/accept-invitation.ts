import { enforce } from '../../shared/ledger-error';
import { isActor, requirePartner } from '../../shared/parties';
import { isInForce } from '../../shared/policy';
import { addDays, isBefore } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import type { CustomerEvent } from '../customer.events';
import { checkGrantTerms, requireInvitation, requireNoActiveRelationship, requireNotPartnerTenant, requireSameCloud } from '../customer.guards';
import { type CustomerCommandHandler, ifRegistered, registeredCustomer } from '../customer.handler';

export type AcceptInvitation = CommandOf<'AcceptInvitation', { customerId: string; invitationId: string }>;

/** The id of the grant recorded when an invitation that asked for delegated admin is accepted. */
export function grantIdForInvitation(invitationId: string): string {
  return `${invitationId}.admin`;
}

export const acceptInvitation: CustomerCommandHandler<AcceptInvitation> = {
  reads: (command, state) => {
    const invitation = ifRegistered(state)?.invitations[command.data.invitationId];
    return [invitation?.partnerId, invitation?.resellerId];
  },
  decide(command, { state, partners, policy }) {
    const { customerId, invitationId } = command.data;
    const { actor, now } = command.metadata;
    const customer = registeredCustomer(state, customerId);
    const invitation = requireInvitation(customer, invitationId);
    enforce(isActor(actor, 'customer', customerId), 'MC-04',
      `Only customer ${customerId}, who was invited, accepts invitation ${invitationId}; ${actor.kind} ${actor.id} cannot`);
    enforce(invitation.status === 'pending', 'MC-04',
      `Invitation ${invitationId} is ${invitation.status}; an invitation is accepted once, while pending`);
    enforce(isBefore(now, invitation.expiresAt), 'MC-04', `Invitation ${invitationId} expired at ${invitation.expiresAt}`);
    requireNotPartnerTenant(customer, 'accept a CSP invitation');
    const inviter = requirePartner(partners, invitation.partnerId);
    requireSameCloud(customer, inviter);
    if (invitation.resellerId) requireSameCloud(customer, requirePartner(partners, invitation.resellerId));
    if (isInForce(policy, 'MC-24')) requireNoActiveRelationship(customer, invitation.partnerId);

    const events: CustomerEvent[] = [{
      type: 'RelationshipAccepted',
      data: { customerId, invitationId, relationshipId: invitationId, partnerId: invitation.partnerId, resellerId: invitation.resellerId },
    }];
    if (invitation.delegatedAdmin) {
      const endsAt = addDays(now, invitation.delegatedAdmin.durationDays);
      checkGrantTerms(invitation.delegatedAdmin.roles, endsAt, now, policy);
      events.push({
        type: 'DelegatedAdminGranted',
        data: {
          customerId,
          grantId: grantIdForInvitation(invitationId),
          partnerId: invitation.partnerId,
          roles: [...invitation.delegatedAdmin.roles],
          endsAt,
        },
      });
    }
    return events;
  },
};
