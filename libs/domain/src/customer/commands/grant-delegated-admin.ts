import { enforce, refuse } from '../../shared/ledger-error';
import { isActor, requirePartner } from '../../shared/parties';
import { type CommandOf, isCspProgram } from '../../shared/vocabulary';
import type { EnrolledPartner } from '../../partner/partner.state';
import { checkGrantTerms, requireSameCloud } from '../customer.guards';
import { type CustomerCommandHandler, registeredCustomer } from '../customer.handler';
import { linkedActiveRelationships, ownedActiveRelationships, type RegisteredCustomer } from '../customer.state';

export type GrantDelegatedAdmin = CommandOf<'GrantDelegatedAdmin', {
  customerId: string;
  grantId: string;
  partnerId: string;
  roles: string[];
  endsAt: string;
}>;

export const grantDelegatedAdmin: CustomerCommandHandler<GrantDelegatedAdmin> = {
  reads: (command) => [command.data.partnerId],
  decide(command, { state, partners, policy }) {
    const { customerId, grantId, partnerId, roles, endsAt } = command.data;
    const { actor, now } = command.metadata;
    const customer = registeredCustomer(state, customerId);
    enforce(isActor(actor, 'customer', customerId), 'MC-07',
      `Only customer ${customerId} grants delegated admin over its tenant; ${actor.kind} ${actor.id} cannot`);
    const grantee = requirePartner(partners, partnerId);
    requireSameCloud(customer, grantee);
    enforce(isCspProgram(grantee.program), 'MC-07',
      `Partner ${partnerId} is an ${grantee.program} partner; delegated admin is granted only to CSP partners`);
    enforce(isEligibleGrantee(customer, grantee), 'MC-07',
      `Partner ${partnerId} has no active relationship with customer ${customerId} and is not an indirect reseller ` +
        'linked to one; an ended relationship gives no rights (MC-15)');
    checkGrantTerms(roles, endsAt, now, policy);
    if (customer.grants[grantId]) refuse('GRANT_ALREADY_EXISTS', 'conflict', `Grant ${grantId} already exists.`);
    return [{ type: 'DelegatedAdminGranted', data: { customerId, grantId, partnerId, roles: [...roles], endsAt } }];
  },
};

function isEligibleGrantee(customer: RegisteredCustomer, grantee: EnrolledPartner): boolean {
  if (ownedActiveRelationships(customer, grantee.partnerId).length > 0) return true;
  if (grantee.program === 'indirect-reseller' && linkedActiveRelationships(customer, grantee.partnerId).length > 0) {
    return true;
  }
  // The 21Vianet edition lets the customer choose another reseller of its cloud.
  return customer.cloud === 'china' && grantee.program === 'indirect-reseller';
}
