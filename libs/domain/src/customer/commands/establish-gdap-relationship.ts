import { enforce, refuse } from '../../shared/ledger-error';
import { permitActor, requirePartner } from '../../shared/parties';
import { requireInForce } from '../../shared/policy';
import { addDays } from '../../shared/time';
import { type CommandOf, type GdapOrigin, isCspProgram } from '../../shared/vocabulary';
import { checkGdapTerms, requireSameCloud } from '../customer.guards';
import { type CustomerCommandHandler, registeredCustomer } from '../customer.handler';
import { isGrantInForce, ownedActiveRelationships, type RegisteredCustomer } from '../customer.state';

export type EstablishGdapRelationship = CommandOf<'EstablishGdapRelationship', {
  customerId: string;
  gdapId: string;
  partnerId: string;
  roles: string[];
  durationDays: number;
  origin: Exclude<GdapOrigin, 'customer-approved'>;
}>;

/**
 * Records a GDAP relationship that came about without the customer's approval (MC-20): the Microsoft-led
 * transition from DAP (for a partner whose delegated admin grant is in force) or default roles (for a customer
 * the partner has a reseller relationship with). The ledger's operator records what Microsoft did.
 */
export const establishGdapRelationship: CustomerCommandHandler<EstablishGdapRelationship> = {
  reads: (command) => [command.data.partnerId],
  decide(command, { state, partners, policy }) {
    const { customerId, gdapId, partnerId, roles, durationDays, origin } = command.data;
    const { actor, now } = command.metadata;
    requireInForce(policy, 'MC-20', 'A GDAP relationship without the customer’s approval');
    const customer = registeredCustomer(state, customerId);
    permitActor(actor, [['operator']], 'record a GDAP relationship the customer did not approve');
    const partner = requirePartner(partners, partnerId);
    requireSameCloud(customer, partner);
    enforce(isCspProgram(partner.program), 'MC-16', `Partner ${partnerId} is an ${partner.program} partner; only CSP partners hold GDAP`);
    checkGdapTerms(roles, durationDays, false);
    enforce(hasBasis(customer, partnerId, origin, now), 'MC-20', origin === 'microsoft-led'
      ? `The Microsoft-led transition moved delegated admin (DAP) to GDAP; partner ${partnerId} holds no delegated admin grant in force for customer ${customerId}`
      : `Default roles are given for a customer of the partner; partner ${partnerId} owns no active reseller relationship with customer ${customerId}`);
    if (customer.gdapRelationships[gdapId]) refuse('GDAP_RELATIONSHIP_ALREADY_EXISTS', 'conflict', `GDAP relationship ${gdapId} already exists.`);
    return [{
      type: 'GdapRelationshipEstablished',
      data: { customerId, gdapId, partnerId, roles: [...roles], origin, endsAt: addDays(now, durationDays) },
    }];
  },
};

function hasBasis(customer: RegisteredCustomer, partnerId: string, origin: EstablishGdapRelationship['data']['origin'], now: string): boolean {
  if (origin === 'default-roles') return ownedActiveRelationships(customer, partnerId).length > 0;
  return Object.values(customer.grants).some((g) => g.partnerId === partnerId && isGrantInForce(g, now));
}
