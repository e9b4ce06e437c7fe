import { enforce } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import { isAtOrAfter } from '../../shared/time';
import type { CommandOf } from '../../shared/vocabulary';
import { requireInvitation } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type ExpireInvitation = CommandOf<'ExpireInvitation', { customerId: string; invitationId: string }>;

export const expireInvitation: CustomerCommandHandler<ExpireInvitation> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    const customer = registeredCustomer(state, customerId);
    permitActor(command.metadata.actor, [['system']], 'record the expiry of an invitation');
    const invitation = requireInvitation(customer, command.data.invitationId);
    enforce(invitation.status === 'pending', 'MC-04',
      `Invitation ${invitation.invitationId} is ${invitation.status}; only a pending invitation expires`);
    enforce(isAtOrAfter(command.metadata.now, invitation.expiresAt), 'MC-04',
      `Invitation ${invitation.invitationId} expires at ${invitation.expiresAt}, not before`);
    return [{ type: 'InvitationExpired', data: { customerId, invitationId: invitation.invitationId } }];
  },
};
