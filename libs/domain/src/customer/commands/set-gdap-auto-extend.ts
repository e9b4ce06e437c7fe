import { refuse } from '../../shared/ledger-error';
import { permitActor } from '../../shared/parties';
import type { CommandOf } from '../../shared/vocabulary';
import { requireGdap, requireGdapInForce, requireNoAutoExtendWithGlobalAdmin } from '../customer.guards';
import { type CustomerCommandHandler, READS_NO_PARTNER, registeredCustomer } from '../customer.handler';

export type SetGdapAutoExtend = CommandOf<'SetGdapAutoExtend', { customerId: string; gdapId: string; autoExtend: boolean }>;

/** The partner or the customer turns auto-extension on or off while the relationship is in force (MC-18). */
export const setGdapAutoExtend: CustomerCommandHandler<SetGdapAutoExtend> = {
  reads: READS_NO_PARTNER,
  decide(command, { state }) {
    const { customerId, gdapId, autoExtend } = command.data;
    const relationship = requireGdap(registeredCustomer(state, customerId), gdapId);
    permitActor(command.metadata.actor, [['partner', relationship.partnerId], ['customer', customerId]],
      `change auto-extension of GDAP relationship ${gdapId}`);
    requireGdapInForce(relationship, command.metadata.now, 'MC-18');
    requireNoAutoExtendWithGlobalAdmin(relationship.roles, autoExtend, 'MC-18');
    if (relationship.autoExtend === autoExtend) {
      refuse('GDAP_AUTO_EXTEND_UNCHANGED', 'conflict', `Auto-extension of GDAP relationship ${gdapId} is already ${autoExtend ? 'on' : 'off'}.`);
    }
    return [{ type: 'GdapAutoExtendChanged', data: { customerId, gdapId, partnerId: relationship.partnerId, autoExtend } }];
  },
};
