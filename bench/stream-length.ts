/**
 * Command latency against the length of the command's stream (not a test). One customer's stream is grown to
 * each length with invitations, then further invitations are timed on it, in-process on the SQLite store:
 * the first one with an empty state cache (a restarted service), the rest warm.
 *
 *   npm run bench:stream-length                  # lengths 10, 1000, 10000; 200 timed commands each
 *   BENCH_LENGTHS=10,1000,10000,50000 BENCH_TIMED=500 npm run bench:stream-length
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CommandInput, type CustomerCommand, customerDecider, DEFAULT_LEDGER_POLICY, partnerDecider } from '@ledger/domain';
import { ChainedEventStore, SqliteEventStore, SqliteRefusalLog } from '@ledger/event-store';
import { SystemClock } from '../apps/ledger/src/clock';
import { type CommandEnvelope, CommandRunner } from '../apps/ledger/src/commands/command-runner';
import { SqliteStateSnapshots } from '../apps/ledger/src/commands/state-snapshots';
import { percentile } from './write-workload';

const LENGTHS = (process.env.BENCH_LENGTHS ?? '10,1000,10000').split(',').map(Number);
const TIMED = Number(process.env.BENCH_TIMED ?? 200);

function envelope(commandId: string, actor: CommandEnvelope['actor']): CommandEnvelope {
  return { commandId, actor, client: 'bench', credential: { type: 'static-token', client: 'bench' }, correlationId: commandId };
}

const invite = (customerId: string, n: number): CommandInput<CustomerCommand> =>
  ({ type: 'CreateInvitation', data: { customerId, invitationId: `inv-${n}`, partnerId: 'northwind' } });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-length-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const refusals = new SqliteRefusalLog(join(dir, 'refusals.sqlite'));
  // Kept every 1,000 events of a stream; the measured runner starts with an empty cache, as after a restart.
  const snapshots = new SqliteStateSnapshots(join(dir, 'state-snapshots.sqlite'));
  const runner = () => new CommandRunner(new ChainedEventStore(store), refusals, new SystemClock(), { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 5, snapshots });
  const operator = { kind: 'operator' as const, id: 'bench' };
  const partner = { kind: 'partner' as const, id: 'northwind' };
  try {
    const setup = runner();
    await setup.run(partnerDecider, { type: 'EnrollPartner', data: { partnerId: 'northwind', name: 'N', program: 'direct-bill', cloud: 'global' } },
      envelope('enrol', operator));
    const results: Array<{ length: number; cold: number; p50: number; p99: number }> = [];
    for (const length of LENGTHS) {
      const customerId = `c-${length}`;
      await setup.run(customerDecider, { type: 'RegisterCustomer', data: { customerId, name: customerId, cloud: 'global', isPartnerTenant: false } }, envelope(`reg-${length}`, operator));
      const built = performance.now();
      for (let n = 1; n < length; n += 1) await setup.run(customerDecider, invite(customerId, n), envelope(`${customerId}-${n}`, partner));
      const buildSeconds = (performance.now() - built) / 1000;

      const measured = runner();
      const timings: number[] = [];
      for (let n = length; n < length + 1 + TIMED; n += 1) {
        const started = performance.now();
        await measured.run(customerDecider, invite(customerId, n), envelope(`${customerId}-${n}`, partner));
        timings.push(performance.now() - started);
      }
      const [cold, ...warm] = timings;
      const sorted = warm.sort((a, b) => a - b);
      results.push({ length, cold, p50: percentile(sorted, 50), p99: percentile(sorted, 99) });
      console.log(`stream of ${length} events (built in ${buildSeconds.toFixed(1)} s): first command ${cold.toFixed(2)} ms (empty cache); ` +
        `then ${TIMED} commands p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`);
    }
    const base = results[0];
    for (const result of results.slice(1)) {
      console.log(`p50 at ${result.length} events / p50 at ${base.length}: ${(result.p50 / base.p50).toFixed(2)}× (aim ≤ 1.5×)`);
    }
  } finally {
    await store.close();
    await refusals.close();
    snapshots.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
