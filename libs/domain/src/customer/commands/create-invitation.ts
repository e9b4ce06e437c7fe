import { enforce, refuse } from '../../shared/ledger-error';
import { permitActor, requirePartner } from '../../shared/parties';
import { isInForce } from '../../shared/policy';
import { addDays } from '../../shared/time';
import { type CommandOf, isSellingProgram } from '../../shared/vocabulary';
import type { DelegatedAdminRequest } from '../customer.events';
import { checkGrantTerms, requireNoActiveRelationship, requireSameCloud } from '../customer.guards';
import { type CustomerCommandHandler, registeredCustomer } from '../customer.handler';

export type CreateInvitation = CommandOf<'CreateInvitation', {
  customerId: string;
  invitationId: string;
  partnerId: string;
  resellerId?: string;
  delegatedAdmin?: DelegatedAdminRequest;
}>;

export const createInvitation: CustomerCommandHandler<CreateInvitation> = {
  reads: (command) => [command.data.partnerId, command.data.resellerId],
  decide(command, { state, partners, policy }) {
    const { customerId, invitationId, partnerId, resellerId, delegatedAdmin } = command.data;
    const { actor, now } = command.metadata;
    const customer = registeredCustomer(state, customerId);
    const inviter = requirePartner(partners, partnerId);
    if (actor.kind === 'partner' && actor.id !== partnerId) {
      const actingPartner = partners.get(actor.id);
      enforce(actingPartner?.status !== 'enrolled' || actingPartner.program !== 'indirect-reseller', 'MC-03',
        `Reseller ${actor.id} cannot create an invitation, not even in its provider's name; it hands on its ` +
          "provider's invitation");
    }
    permitActor(actor, [['partner', partnerId]], `create invitations in partner ${partnerId}'s name`);
    enforce(inviter.program !== 'indirect-reseller', 'MC-03',
      `Partner ${partnerId} is an indirect reseller and cannot create its own invitation; it uses its provider's`);
    enforce(isSellingProgram(inviter.program), 'MC-02',
      `Partner ${partnerId} is a ${inviter.program} partner; only direct-bill partners and indirect providers invite`);
    requireSameCloud(customer, inviter);
    if (resellerId) {
      const reseller = requirePartner(partners, resellerId);
      requireSameCloud(customer, reseller);
      enforce(inviter.program === 'indirect-provider' && inviter.authorizedResellers.includes(resellerId), 'MC-03',
        `Reseller ${resellerId} is not authorized by ${partnerId}; an invitation is routed only through a reseller ` +
          'the inviting provider has authorized');
    }
    if (isInForce(policy, 'MC-24')) requireNoActiveRelationship(customer, partnerId);
    if (delegatedAdmin) checkGrantTerms(delegatedAdmin.roles, addDays(now, delegatedAdmin.durationDays), now, policy);
    if (customer.invitations[invitationId]) {
      refuse('INVITATION_ALREADY_EXISTS', 'conflict', `Invitation ${invitationId} already exists.`);
    }
    return [{
      type: 'InvitationCreated',
      data: {
        customerId, invitationId, partnerId,
        resellerId: resellerId ?? null,
        delegatedAdmin: delegatedAdmin ? { roles: [...delegatedAdmin.roles], durationDays: delegatedAdmin.durationDays } : null,
        expiresAt: addDays(now, policy.invitationTtlDays),
      },
    }];
  },
};
