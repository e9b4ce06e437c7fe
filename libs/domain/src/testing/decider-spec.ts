import type { CustomerCommand } from '../customer/customer.commands';
import type { CustomerEvent } from '../customer/customer.events';
import { customerDecider, DEFAULT_LEDGER_POLICY, partnerDecider } from '../deciders';
import type { PartnerCommand } from '../partner/partner.commands';
import type { PartnerEvent } from '../partner/partner.events';
import type { PartnerState } from '../partner/partner.state';
import { CommandRefused } from '../shared/ledger-error';
import type { Actor, Cloud, Commerce, PartnerProgram } from '../shared/vocabulary';

export const NOW = '2026-03-01T12:00:00.000Z';

export const operator: Actor = { kind: 'operator', id: 'back-office' };
export const systemActor: Actor = { kind: 'system', id: 'scheduler' };
export const partner = (id: string): Actor => ({ kind: 'partner', id });
export const customer = (id: string): Actor => ({ kind: 'customer', id });

export function enrolled(partnerId: string, program: PartnerProgram, cloud: Cloud = 'global'): PartnerEvent {
  return { type: 'PartnerEnrolled', data: { partnerId, name: partnerId, program, cloud } };
}

export function authorized(providerId: string, resellerId: string): PartnerEvent {
  return { type: 'IndirectResellerAuthorized', data: { providerId, resellerId } };
}

/** The cast most scenarios need: one partner of each program per cloud, and one authorized reseller. */
export const CAST: PartnerEvent[] = [
  enrolled('direct', 'direct-bill'),
  enrolled('direct-2', 'direct-bill'),
  enrolled('provider', 'indirect-provider'),
  enrolled('reseller', 'indirect-reseller'),
  enrolled('stray-reseller', 'indirect-reseller'),
  enrolled('advisor', 'advisor'),
  enrolled('direct-de', 'direct-bill', 'germany'),
  enrolled('direct-cn', 'direct-bill', 'china'),
  enrolled('reseller-cn', 'indirect-reseller', 'china'),
  authorized('provider', 'reseller'),
];

function directory(history: PartnerEvent[]): Map<string, PartnerState> {
  const partners = new Map<string, PartnerState>();
  for (const event of history) {
    const id = event.type === 'IndirectResellerAuthorized' ? event.data.providerId : event.data.partnerId;
    partners.set(id, partnerDecider.evolve(partners.get(id) ?? partnerDecider.initialState(), event));
  }
  return partners;
}

interface Outcome<E> {
  then(expected: E[]): void;
  thenRefused(code: string): CommandRefused;
}

function outcome<E>(run: () => E[]): Outcome<E> {
  return {
    then(expected) {
      expect(run()).toEqual(expected);
    },
    thenRefused(code) {
      let refusal: unknown;
      try {
        run();
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(CommandRefused);
      expect((refusal as CommandRefused).code).toBe(code);
      return refusal as CommandRefused;
    },
  };
}

/** given(customer events) / when(command) / then(events | refusal code), with {@link CAST} enrolled. */
export function givenCustomer(history: CustomerEvent[], partners: PartnerEvent[] = CAST) {
  return {
    when(command: CustomerCommand): Outcome<CustomerEvent> {
      return outcome(() => {
        const state = history.reduce(customerDecider.evolve, customerDecider.initialState());
        return customerDecider.decide(command, state, directory(partners), DEFAULT_LEDGER_POLICY);
      });
    },
  };
}

/** given(partner events, all streams) / when(command) / then(events | refusal code). */
export function givenPartners(history: PartnerEvent[]) {
  return {
    when(command: PartnerCommand): Outcome<PartnerEvent> {
      return outcome(() => {
        const partners = directory(history);
        const state = partners.get(partnerDecider.entityId(command)) ?? partnerDecider.initialState();
        return partnerDecider.decide(command, state, partners, DEFAULT_LEDGER_POLICY);
      });
    },
  };
}

type DataOf<T extends CustomerCommand['type']> = Extract<CustomerCommand, { type: T }>['data'];

/** A customer command for customer `contoso` unless the data says otherwise. */
export function command<T extends CustomerCommand['type']>(
  type: T,
  data: Omit<DataOf<T>, 'customerId'> & { customerId?: string },
  actor: Actor,
  now: string = NOW,
): CustomerCommand {
  return { type, data: { customerId: 'contoso', ...data }, metadata: { actor, now } } as unknown as CustomerCommand;
}

export function registered(cloud: Cloud = 'global', isPartnerTenant = false, customerId = 'contoso'): CustomerEvent {
  return { type: 'CustomerRegistered', data: { customerId, name: customerId, cloud, isPartnerTenant } };
}

export function invited(invitationId: string, partnerId: string, resellerId: string | null = null,
  expiresAt = '2026-05-30T12:00:00.000Z'): CustomerEvent {
  return {
    type: 'InvitationCreated',
    data: { customerId: 'contoso', invitationId, partnerId, resellerId, delegatedAdmin: null, expiresAt },
  };
}

export function accepted(invitationId: string, partnerId: string, resellerId: string | null = null): CustomerEvent {
  return {
    type: 'RelationshipAccepted',
    data: { customerId: 'contoso', relationshipId: invitationId, invitationId, partnerId, resellerId },
  };
}

/** Invited and accepted: the partner owns relationship `rel-<partner>`. */
export function related(partnerId: string, resellerId: string | null = null): CustomerEvent[] {
  return [invited(`rel-${partnerId}`, partnerId, resellerId), accepted(`rel-${partnerId}`, partnerId, resellerId)];
}

export function subscription(subscriptionId: string, kind: 'license' | 'usage', channel: DataOf<'RecordSubscription'>['channel'],
  partnerOfRecordId: string | null = null, termEndsAt: string | null = kind === 'license' ? '2026-09-01T00:00:00.000Z' : null,
  commerce: Commerce = 'legacy',
): CustomerEvent {
  return {
    type: 'SubscriptionRecorded',
    data: { customerId: 'contoso', subscriptionId, kind, channel, partnerOfRecordId, termEndsAt, commerce },
  };
}

export function granted(grantId: string, partnerId: string, endsAt = '2026-06-01T00:00:00.000Z',
  roles = ['Helpdesk Administrator']): CustomerEvent {
  return { type: 'DelegatedAdminGranted', data: { customerId: 'contoso', grantId, partnerId, roles, endsAt } };
}
