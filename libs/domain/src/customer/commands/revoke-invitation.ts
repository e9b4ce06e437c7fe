import { enforce } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import type { CommandOf } from '../../shared/vocabulary';
import { requireInvitation } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type RevokeInvitation = CommandOf<'RevokeInvitation', { customerId: string; invitationId: string }>;

export const revokeInvitation: CustomerCommandHandler<RevokeInvitation> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId } = command.data;
    const invitation = requireInvitation(registeredCustomer(state, customerId), command.data.invitationId);
    permitActor(command.metadata.actor, [['partner', invitation.partnerId], ['customer', customerId]],
      `revoke invitation ${invitation.invitationId}`);
    enforce(invitation.status === 'pending', 'MC-04',
      `Invitation ${invitation.invitationId} is ${invitation.status}; only a pending invitation is revoked`);
    return [{ type: 'InvitationRevoked', data: { customerId, invitationId: invitation.invitationId } }];
  },
};
