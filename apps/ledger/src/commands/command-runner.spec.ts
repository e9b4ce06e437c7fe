import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandInput, type CustomerCommand, customerDecider, DEFAULT_LEDGER_POLICY } from '@ledger/domain';
import { ChainedEventStore, SqliteEventStore, SqliteRefusalLog } from '@ledger/event-store';
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
    const snapshots = new SqliteStateSnapshots(join(dir, 'snapshots.sqlite'));
    const clock = new MovableClock('2026-03-01T09:00:00.000Z');
    const make = () => new CommandRunner(new ChainedEventStore(store), refusals, clock, { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 5, snapshots });
    const record = (n: number): CommandInput<CustomerCommand> =>
      ({ type: 'RecordSubscription', data: { customerId: 'contoso', subscriptionId: `s${n}`, kind: 'usage', channel: 'microsoft' } });
    const before = make();
    for (let n = 0; n < 1001; n += 1) await before.run(customerDecider, record(n), envelope(`k${n}`));

    const restarted = make();
    const retry = await restarted.run(customerDecider, record(3), envelope('k3'));
    expect(retry).toMatchObject({ replayed: true, revision: 4n });
    // The snapshot's state knows subscription s5: recording it again is refused (MC-08), not appended.
    await expect(restarted.run(customerDecider, record(5), envelope('again-5'))).rejects.toMatchObject({ code: 'MC-08' });
    expect((await restarted.run(customerDecider, record(2000), envelope('k2000'))).revision).toBe(1002n);
    snapshots.close();
  });
});
