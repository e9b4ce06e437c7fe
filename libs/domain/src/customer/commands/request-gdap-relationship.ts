import { enforce, refuse } from '../../shared/ledger-error';
import { isActor, requirePartner } from '../../shared/parties';
import { requireInForce } from '../../shared/policy';
import { addDays } from '../../shared/time';
import { type CommandOf, GDAP_TERMS, isCspProgram } from '../../shared/vocabulary';
import { checkGdapTerms, requireSameCloud } from '../customer.guards';
import { type CustomerCommandHandler, registeredCustomer } from '../customer.handler';

export type RequestGdapRelationship = CommandOf<'RequestGdapRelationship', {
  customerId: string;
  gdapId: string;
  partnerId: string;
  roles: string[];
  durationDays: number;
  autoExtend: boolean;
}>;

/** A CSP partner asks the customer for roles over its tenant for a time (MC-16); the request waits for approval (MC-17). */
export const requestGdapRelationship: CustomerCommandHandler<RequestGdapRelationship> = {
  reads: (command) => [command.data.partnerId],
  decide(command, { state, partners, policy }) {
    const { customerId, gdapId, partnerId, roles, durationDays, autoExtend } = command.data;
    const { actor, now } = command.metadata;
    requireInForce(policy, 'MC-16', 'A GDAP relationship');
    const customer = registeredCustomer(state, customerId);
    enforce(isActor(actor, 'partner', partnerId), 'MC-16',
      `Partner ${partnerId} requests its own GDAP relationships; ${actor.kind} ${actor.id} cannot request one for it`);
    const partner = requirePartner(partners, partnerId);
    requireSameCloud(customer, partner);
    enforce(isCspProgram(partner.program), 'MC-16', `Partner ${partnerId} is an ${partner.program} partner; only CSP partners request GDAP`);
    checkGdapTerms(roles, durationDays, autoExtend);
    if (customer.gdapRelationships[gdapId]) refuse('GDAP_RELATIONSHIP_ALREADY_EXISTS', 'conflict', `GDAP relationship ${gdapId} already exists.`);
    return [{
      type: 'GdapRelationshipRequested',
      data: { customerId, gdapId, partnerId, roles: [...roles], durationDays, autoExtend, requestExpiresAt: addDays(now, GDAP_TERMS.requestTtlDays) },
    }];
  },
};
