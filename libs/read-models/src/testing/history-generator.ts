import {
  addDays,
  type Actor,
  type Cloud,
  type CommandInput,
  type CustomerCommand,
  customerDecider,
  type CustomerState,
  type Decider,
  DEFAULT_LEDGER_POLICY,
  EVENT_SCHEMA_VERSIONS,
  type LedgerEvent,
  type PartnerCommand,
  partnerDecider,
  type PartnerProgram,
  type PartnerState,
  streamName,
} from '@ledger/domain';
import { chainEvents, type ChainHead, eventIdFor, type EventStore, type EventToAppend, readsMetadata } from '@ledger/event-store';

export interface HistoryShape {
  readonly partners: number;
  readonly customers: number;
  readonly seed?: number;
  readonly start?: string;
  /** Mean time between two commands: how much time the history spans, and so how many terms end. */
  readonly secondsBetweenCommands?: number;
}

export interface GeneratedAppend {
  readonly stream: string;
  readonly events: EventToAppend[];
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLOUD_WEIGHTS: Array<[Cloud, number]> = [['global', 0.9], ['germany', 0.05], ['china', 0.05]];
const PROGRAM_WEIGHTS: Array<[PartnerProgram, number]> = [
  ['direct-bill', 0.55], ['indirect-provider', 0.1], ['indirect-reseller', 0.3], ['advisor', 0.05],
];
const ROLES = ['Helpdesk Administrator', 'Global Reader', 'User Administrator', 'License Administrator'];

/**
 * Generates a realistic history through the domain's deciders: partners of every program in three clouds,
 * providers authorizing resellers, and customers whose stories run from registration through invitations,
 * acceptances, delegated admin, CSP sales, switches, term ends, revocations and terminations. Every event
 * is one a decider produced from a command, so the history obeys MC-01 … MC-15.
 */
export function* generateHistory(shape: HistoryShape): Generator<GeneratedAppend> {
  const rand = random(shape.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const weighted = <T>(weights: Array<[T, number]>): T => {
    let r = rand();
    for (const [value, weight] of weights) {
      if ((r -= weight) < 0) return value;
    }
    return weights[weights.length - 1][0];
  };
  let now = shape.start ?? '2024-01-01T00:00:00.000Z';
  let commandNumber = 0;
  const gapMs = (shape.secondsBetweenCommands ?? 30) * 1000;
  const partnerStates = new Map<string, PartnerState>();
  // Each partner stream's last revision as decided so far (every event decided is appended, in order).
  const partnerRevisions = new Map<string, bigint>();
  const byCloudAndProgram = new Map<string, string[]>();

  const run = <C, E extends LedgerEvent, S>(
    decider: Pick<Decider<C, E, S>, 'category' | 'decide' | 'evolve' | 'referencedPartners'>,
    stream: string,
    input: CommandInput<C>,
    actor: Actor,
    state: S,
  ): { state: S; events: EventToAppend[] } => {
    now = new Date(Date.parse(now) + Math.floor((0.5 + rand()) * gapMs)).toISOString();
    const commandId = `gen-${(commandNumber += 1)}`;
    const command = { ...input, metadata: { actor, now } } as unknown as C;
    try {
      const events = decider.decide(command, state, partnerStates, DEFAULT_LEDGER_POLICY);
      // What the command runner records: the partners the decision read, at the revisions read.
      const reads = decider.referencedPartners(command, state).map((id) => streamName('partner', id))
        .filter((read) => read !== stream).map((read) => ({ stream: read, revision: partnerRevisions.get(read) ?? -1n }));
      if (decider.category === 'partner') partnerRevisions.set(stream, (partnerRevisions.get(stream) ?? -1n) + BigInt(events.length));
      return {
        state: events.reduce(decider.evolve, state),
        events: events.map((event, index) => ({
          id: eventIdFor(commandId, index), type: event.type, schemaVersion: EVENT_SCHEMA_VERSIONS[event.type], data: event.data,
          metadata: {
            commandId, commandType: (input as unknown as { type: string }).type, actor, client: 'history-generator', correlationId: commandId,
            causationId: commandId, recordedAt: now, ...(reads.length > 0 ? { reads: readsMetadata(reads) } : {}),
          },
        })),
      };
    } catch {
      return { state, events: [] };
    }
  };

  for (let i = 0; i < shape.partners; i += 1) {
    const partnerId = `partner-${i}`;
    const program = weighted(PROGRAM_WEIGHTS);
    const cloud = weighted(CLOUD_WEIGHTS);
    const input: CommandInput<PartnerCommand> = { type: 'EnrollPartner', data: { partnerId, name: `Partner ${i}`, program, cloud } };
    const stream = streamName('partner', partnerId);
    const result = run(partnerDecider, stream, input, { kind: 'operator', id: 'generator' }, partnerDecider.initialState());
    partnerStates.set(partnerId, result.state);
    const key = `${cloud}/${program}`;
    byCloudAndProgram.set(key, [...(byCloudAndProgram.get(key) ?? []), partnerId]);
    yield { stream, events: result.events };
  }
  for (const cloud of ['global', 'germany', 'china'] as const) {
    const resellers = byCloudAndProgram.get(`${cloud}/indirect-reseller`) ?? [];
    for (const providerId of byCloudAndProgram.get(`${cloud}/indirect-provider`) ?? []) {
      const stream = streamName('partner', providerId);
      const events: EventToAppend[] = [];
      for (let k = 0; k < 3 + Math.floor(rand() * 10) && resellers.length > 0; k += 1) {
        const input: CommandInput<PartnerCommand> = { type: 'AuthorizeIndirectReseller', data: { providerId, resellerId: pick(resellers) } };
        const result = run(partnerDecider, stream, input, { kind: 'partner', id: providerId }, partnerStates.get(providerId) as PartnerState);
        partnerStates.set(providerId, result.state);
        events.push(...result.events);
      }
      if (events.length > 0) yield { stream, events };
    }
  }

  // Facts that time brings (term ends, expiries), by day, and the states of the customers they concern.
  const due = new Map<number, Array<{ customerId: string; input: CommandInput<CustomerCommand> }>>();
  const waiting = new Map<string, { state: CustomerState; pending: number }>();
  const dayOf = (iso: string): number => Math.floor(Date.parse(iso) / 86_400_000);
  let nextDay = dayOf(now);
  const schedule = (customerId: string, at: string, input: CommandInput<CustomerCommand>): void => {
    const day = dayOf(at) + 1;
    due.set(day, [...(due.get(day) ?? []), { customerId, input }]);
  };
  function* timePasses(): Generator<GeneratedAppend> {
    for (; nextDay <= dayOf(now); nextDay += 1) {
      for (const { customerId, input } of due.get(nextDay) ?? []) {
        const entry = waiting.get(customerId);
        if (!entry) continue;
        const stream = streamName('customer', customerId);
        const result = run(customerDecider, stream, input, { kind: 'system', id: 'scheduler' }, entry.state);
        entry.state = result.state;
        if ((entry.pending -= 1) === 0) waiting.delete(customerId);
        if (result.events.length > 0) yield { stream, events: result.events };
      }
      due.delete(nextDay);
    }
  }

  for (let i = 0; i < shape.customers; i += 1) {
    yield* timePasses();
    const customerId = `customer-${i}`;
    const cloud = weighted(CLOUD_WEIGHTS);
    const stream = streamName('customer', customerId);
    let state: CustomerState = customerDecider.initialState();
    const events: EventToAppend[] = [];
    const act = (input: CommandInput<CustomerCommand>, actor: Actor): void => {
      const result = run(customerDecider, stream, input, actor, state);
      state = result.state;
      events.push(...result.events);
    };
    const asCustomer: Actor = { kind: 'customer', id: customerId };
    act({ type: 'RegisterCustomer', data: { customerId, name: `Customer ${i}`, cloud, isPartnerTenant: rand() < 0.01 } }, { kind: 'operator', id: 'generator' });
    act({ type: 'RecordSubscription', data: { customerId, subscriptionId: 'azure-ea', kind: 'usage', channel: pick(['ea', 'microsoft', 'open'] as const) } },
      { kind: 'operator', id: 'generator' });
    const licenseEnds = addDays(now, 30 + Math.floor(rand() * 300));
    if (rand() < 0.6) {
      act({ type: 'RecordSubscription', data: { customerId, subscriptionId: 'm365', kind: 'license', channel: 'advisor', termEndsAt: licenseEnds } },
        { kind: 'operator', id: 'generator' });
    }
    const providers = byCloudAndProgram.get(`${cloud}/indirect-provider`) ?? [];
    const directs = byCloudAndProgram.get(`${cloud}/direct-bill`) ?? [];
    const sellers: string[] = [];
    for (let k = 0; k < 1 + Math.floor(rand() * 2); k += 1) {
      const viaProvider = rand() < 0.5 && providers.length > 0;
      const partnerId = viaProvider ? pick(providers) : directs.length > 0 ? pick(directs) : undefined;
      if (!partnerId) continue;
      const authorized = (partnerStates.get(partnerId) as { authorizedResellers?: readonly string[] }).authorizedResellers ?? [];
      const resellerId = viaProvider && authorized.length > 0 ? pick(authorized) : undefined;
      const invitationId = `inv-${k}`;
      const delegatedAdmin = rand() < 0.3 ? { roles: [pick(ROLES)], durationDays: 30 + Math.floor(rand() * 700) } : undefined;
      act({ type: 'CreateInvitation', data: { customerId, invitationId, partnerId, resellerId, delegatedAdmin } }, { kind: 'partner', id: partnerId });
      if (rand() < 0.9) {
        act({ type: 'AcceptInvitation', data: { customerId, invitationId } }, asCustomer);
        sellers.push(partnerId);
        if (resellerId && rand() < 0.6) {
          act({ type: 'GrantDelegatedAdmin', data: {
            customerId, grantId: `g-${k}`, partnerId: resellerId, roles: [pick(ROLES), pick(ROLES)].filter((r, n, all) => all.indexOf(r) === n),
            endsAt: addDays(now, 1 + Math.floor(rand() * 700)),
          } }, asCustomer);
        }
      } else if (rand() < 0.5) {
        act({ type: 'RevokeInvitation', data: { customerId, invitationId } }, { kind: 'partner', id: partnerId });
      }
    }
    if (sellers.length > 0 && rand() < 0.6) {
      act({ type: 'RecordSubscription', data: { customerId, subscriptionId: 'azure-csp', kind: 'usage', channel: 'csp', partnerOfRecordId: sellers[0] } },
        { kind: 'partner', id: sellers[0] });
      if (sellers.length > 1 && rand() < 0.3) {
        act({ type: 'SwitchSubscription', data: { customerId, subscriptionId: 'azure-csp', targetPartnerId: sellers[1] } }, asCustomer);
      }
    }
    if (rand() < 0.1) act({ type: 'RevokeDelegatedAdmin', data: { customerId, grantId: 'g-0' } }, asCustomer);
    if (rand() < 0.05 && sellers.length > 0) act({ type: 'TerminateRelationship', data: { customerId, relationshipId: 'inv-0' } }, asCustomer);
    if (events.length > 0) yield { stream, events };
    if (state.status === 'registered') {
      let pending = 0;
      for (const subscription of Object.values(state.subscriptions)) {
        if (subscription.kind === 'license' && subscription.status === 'active' && subscription.termEndsAt) {
          schedule(customerId, subscription.termEndsAt, { type: 'EndLicenseTerm', data: { customerId, subscriptionId: subscription.subscriptionId } });
          pending += 1;
        }
      }
      for (const grant of Object.values(state.grants)) {
        if (grant.status !== 'active') continue;
        schedule(customerId, grant.endsAt, { type: 'ExpireDelegatedAdmin', data: { customerId, grantId: grant.grantId } });
        pending += 1;
      }
      for (const invitation of Object.values(state.invitations)) {
        if (invitation.status !== 'pending') continue;
        schedule(customerId, invitation.expiresAt, { type: 'ExpireInvitation', data: { customerId, invitationId: invitation.invitationId } });
        pending += 1;
      }
      if (pending > 0) waiting.set(customerId, { state, pending });
    }
  }
  yield* timePasses();
}

/**
 * Appends a generated history, `concurrency` appends in flight (so they share commits), each stream's events
 * hash-chained as the command runner chains them. Returns the event count.
 */
export async function writeHistory(store: EventStore, shape: HistoryShape, concurrency = 64): Promise<number> {
  let written = 0;
  let inFlight: Array<Promise<unknown>> = [];
  const heads = new Map<string, ChainHead>();
  for (const append of generateHistory(shape)) {
    if (append.events.length === 0) continue;
    const head = heads.get(append.stream);
    const events = chainEvents(append.stream, head, append.events);
    const last = events[events.length - 1];
    heads.set(append.stream, { revision: (head ? head.revision : -1n) + BigInt(events.length), hash: String(last.metadata.hash) });
    // Appends are committed in the order they are submitted, so each stream's chain lands as computed.
    inFlight.push(store.appendToStream(append.stream, events, { expectedRevision: head ? head.revision : 'no-stream' }));
    written += append.events.length;
    if (inFlight.length >= concurrency) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return written;
}
