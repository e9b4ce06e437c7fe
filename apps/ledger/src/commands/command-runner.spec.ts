import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandInput, type CustomerCommand, customerDecider, DEFAULT_LEDGER_POLICY, partnerDecider } from '@ledger/domain';
import {
  ChainedEventStore,
  type EventStore,
  EventStoreDbEventStore,
  EventStoreDbRefusalLog,
  type RefusalLog,
  SqliteEventStore,
  SqliteRefusalLog,
  StaleReadError,
  verifyLog,
} from '@ledger/event-store';
import { eventStoreDbForTests, eventStoreDbTargetName, stopEventStoreDbForTests } from '../../../../test/support/eventstoredb/target';
import { MovableClock } from '../testing/movable-clock';
import { type CommandEnvelope, CommandRunner } from './command-runner';
import { SqliteStateSnapshots } from './state-snapshots';

describe('the command runner', () => {
  let dir: string;
  let store: SqliteEventStore;
  let refusals: SqliteRefusalLog;
  let runner: CommandRunner;
  const operator: CommandEnvelope['actor'] = { kind: 'operator', id: 'ops' };
  const envelope = (commandId: string): CommandEnvelope =>
    ({ commandId, actor: operator, client: 'ops', credential: { type: 'static-token', client: 'ops' }, correlationId: commandId });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-runner-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    refusals = new SqliteRefusalLog(join(dir, 'refusals.sqlite'));
    runner = new CommandRunner(new ChainedEventStore(store), refusals, new MovableClock('2026-03-01T09:00:00.000Z'), { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 5 });
    await runner.run(customerDecider, { type: 'RegisterCustomer', data: { customerId: 'contoso', name: 'Contoso', cloud: 'global', isPartnerTenant: false } },
      envelope('register'));
  });

  afterEach(async () => {
    await store.close();
    await refusals.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when one key arrives many times at once, half with a valid command and half with a refused one', () => {
    it('decides it once: either one event or one refusal is kept, never both, and the rest are answered from it', async () => {
      const valid: CommandInput<CustomerCommand> = { type: 'RecordSubscription', data: { customerId: 'contoso', subscriptionId: 's', kind: 'usage', channel: 'microsoft' } };
      const refused: CommandInput<CustomerCommand> = {
        type: 'RecordSubscription', data: { customerId: 'contoso', subscriptionId: 's', kind: 'usage', channel: 'csp', partnerOfRecordId: 'nobody' },
      };
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, (_, i) =>
        runner.run(customerDecider, i % 2 === 0 ? valid : refused, envelope('k-race'))));

      const appended = (await store.readStream('customer-contoso')).filter((event) => event.metadata.commandId === 'k-race');
      const kept = (await refusals.list({ limit: 100 })).filter((refusal) => refusal.commandId === 'k-race');
      expect(appended.length + kept.length).toBe(1);
      const codes = outcomes.map((o) => (o.status === 'fulfilled' ? 'accepted' : (o.reason as { code: string }).code));
      expect(new Set(codes).size).toBe(2);
      expect(codes).toContain('IDEMPOTENCY_KEY_REUSED');
    });
  });

  it('after a restart, answers the retry of a command from before the latest snapshot as a retry, and decides on the snapshot', async () => {
    const file = join(dir, 'snapshots.sqlite');
    let snapshots = new SqliteStateSnapshots(file);
    const clock = new MovableClock('2026-03-01T09:00:00.000Z');
    const make = () => new CommandRunner(new ChainedEventStore(store), refusals, clock, { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 5, snapshots });
    const record = (n: number): CommandInput<CustomerCommand> =>
      ({ type: 'RecordSubscription', data: { customerId: 'contoso', subscriptionId: `s${n}`, kind: 'usage', channel: 'microsoft' } });
    const before = make();
    for (let n = 0; n < 1001; n += 1) await before.run(customerDecider, record(n), envelope(`k${n}`));
    // The snapshot file opened again, as after a restart: it knows which streams it holds from the file.
    snapshots.close();
    snapshots = new SqliteStateSnapshots(file);
    expect(snapshots.get('customer-contoso')?.revision).toBe(999n);

    const restarted = make();
    const retry = await restarted.run(customerDecider, record(3), envelope('k3'));
    expect(retry).toMatchObject({ replayed: true, revision: 4n });
    // The snapshot's state knows subscription s5: recording it again is refused (MC-08), not appended.
    await expect(restarted.run(customerDecider, record(5), envelope('again-5'))).rejects.toMatchObject({ code: 'MC-08' });
    expect((await restarted.run(customerDecider, record(2000), envelope('k2000'))).revision).toBe(1002n);
    snapshots.close();
  });
});

afterAll(stopEventStoreDbForTests);

/** Each store with its refusal log, fresh (SQLite) or on the shared test server (EventStoreDB: ids of their own). */
type Opened = { store: EventStore & { close(): Promise<void> }; refusals: RefusalLog; close(): Promise<void> };
/** Each store, how to open it, and whether it checks the reads inside the append. */
const STORES: ReadonlyArray<[string, () => Promise<Opened>, boolean]> = [
  ['SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-runner-reads-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const refusals = new SqliteRefusalLog(join(dir, 'refusals.sqlite'));
    return { store, refusals, close: async () => { await store.close(); await refusals.close(); rmSync(dir, { recursive: true, force: true }); } };
  }, true],
  [`EventStoreDB (${eventStoreDbTargetName()})`, async () => {
    const store = new EventStoreDbEventStore({ connection: (await eventStoreDbForTests()).connectionString });
    const refusals = new EventStoreDbRefusalLog(store);
    return { store, refusals, close: async () => { await refusals.close(); await store.close(); } };
  }, false],
];

describe.each(STORES)('a decision that read partner streams, on %s', (_name, open, atomicReads) => {
  let opened: Awaited<ReturnType<typeof open>>;
  let runner: CommandRunner;
  // Fresh ids per test: the EventStoreDB server is shared by the whole file.
  let run: string;
  let [provider, reseller, other, customer] = ['', '', '', ''];
  const operator: CommandEnvelope['actor'] = { kind: 'operator', id: 'ops' };
  const as = (actor: CommandEnvelope['actor'], commandId: string, expectedRevision?: bigint): CommandEnvelope =>
    ({ commandId: `${commandId}-${run}`, actor, client: 'ops', credential: { type: 'static-token', client: 'ops' }, correlationId: commandId, expectedRevision });
  const invite = (invitationId: string): CommandInput<CustomerCommand> =>
    ({ type: 'CreateInvitation', data: { customerId: customer, invitationId, partnerId: provider, resellerId: reseller } });

  beforeEach(async () => {
    run = randomUUID().slice(0, 8);
    [provider, reseller, other, customer] = ['provider', 'reseller', 'other', 'contoso'].map((name) => `${name}-${run}`);
    opened = await open();
    runner = new CommandRunner(new ChainedEventStore(opened.store), opened.refusals, new MovableClock('2026-03-01T09:00:00.000Z'),
      { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 5 });
    for (const [partnerId, program] of [[provider, 'indirect-provider'], [reseller, 'indirect-reseller'], [other, 'indirect-reseller']] as const) {
      await runner.run(partnerDecider, { type: 'EnrollPartner', data: { partnerId, name: partnerId, program, cloud: 'global' } }, as(operator, `enrol-${partnerId}`));
    }
    await runner.run(partnerDecider, { type: 'AuthorizeIndirectReseller', data: { providerId: provider, resellerId: reseller } }, as(operator, 'authorize'));
    await runner.run(customerDecider, { type: 'RegisterCustomer', data: { customerId: customer, name: 'Contoso', cloud: 'global', isPartnerTenant: false } },
      as(operator, 'register'));
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await opened.close();
  });

  /** The provider authorizes another reseller just before the invitation's first append: its stream moves under the decision. */
  function raceTheFirstInvitation(): { refused: unknown[] } {
    const seen = { refused: [] as unknown[] };
    const append = opened.store.appendToStream.bind(opened.store);
    let raced = false;
    jest.spyOn(opened.store, 'appendToStream').mockImplementation(async (stream, events, options) => {
      if (stream === `customer-${customer}` && !raced) {
        raced = true;
        await runner.run(partnerDecider, { type: 'AuthorizeIndirectReseller', data: { providerId: provider, resellerId: other } }, as(operator, 'race'));
      }
      return append(stream, events, options).catch((error: unknown) => {
        seen.refused.push(error);
        throw error;
      });
    });
    return seen;
  }

  it('is decided again when a partner moved before its append, and records the revisions it was decided on', async () => {
    const seen = raceTheFirstInvitation();
    const result = await runner.run(customerDecider, invite('inv-1'), as({ kind: 'partner', id: provider }, 'invite'));

    expect(seen.refused).toEqual([expect.any(StaleReadError)]);
    expect(seen.refused[0]).toMatchObject({ stream: `partner-${provider}`, read: 1n, actual: 2n });
    const [invited] = await opened.store.readStream(`customer-${customer}`, { fromRevision: result.revision });
    expect(invited.metadata.reads).toEqual({ [`partner-${provider}`]: '2', [`partner-${reseller}`]: '0' });
    const report = await verifyLog(opened.store);
    expect(report.brokenLink).toBeUndefined();
    expect(report.staleReads.count).toBe(0);
  });

  it('is decided again under If-Match too: the caller\'s stream did not move, so the answer is not 412', async () => {
    raceTheFirstInvitation();
    await expect(runner.run(customerDecider, invite('inv-2'), as({ kind: 'partner', id: provider }, 'invite-if-match', 0n)))
      .resolves.toMatchObject({ revision: 1n, replayed: false });
  });

  // A claim only a store that checks the reads inside the append makes: on EventStoreDB a partner write in the
  // round trip between the check and the append is not refused (docs/eventstoredb.md), so none is made there.
  if (atomicReads) it('under load, never appends a decision made on a partner revision that moved: verify finds no stale read', async () => {
    const resellers = Array.from({ length: 12 }, (_, i) => `more-${i}-${run}`);
    for (const partnerId of resellers) {
      await runner.run(partnerDecider, { type: 'EnrollPartner', data: { partnerId, name: partnerId, program: 'indirect-reseller', cloud: 'global' } },
        as(operator, `enrol-${partnerId}`));
    }
    const customers = Array.from({ length: 24 }, (_, i) => `load-${i}-${run}`);
    for (const customerId of customers) {
      await runner.run(customerDecider, { type: 'RegisterCustomer', data: { customerId, name: customerId, cloud: 'global', isPartnerTenant: false } },
        as(operator, `register-${customerId}`));
    }
    const patient = new CommandRunner(new ChainedEventStore(opened.store), opened.refusals, new MovableClock('2026-03-01T09:00:00.000Z'),
      { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 50 });

    // The provider's stream moves twelve times while twenty-four decisions read it.
    const outcomes = await Promise.allSettled([
      ...resellers.map((resellerId) => patient.run(partnerDecider, { type: 'AuthorizeIndirectReseller', data: { providerId: provider, resellerId } },
        as(operator, `authorize-${resellerId}`))),
      ...customers.map((customerId) => patient.run(customerDecider,
        { type: 'CreateInvitation', data: { customerId, invitationId: 'inv', partnerId: provider, resellerId: reseller } },
        as({ kind: 'partner', id: provider }, `invite-${customerId}`))),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const report = await verifyLog(opened.store);
    expect(report.brokenLink).toBeUndefined();
    expect(report.staleReads).toEqual({ count: 0, first: [] });
  });

  it('records no reads for a decision that read no partner', async () => {
    const [registered] = await opened.store.readStream(`customer-${customer}`);
    expect(registered.metadata).not.toHaveProperty('reads');
  });
});
