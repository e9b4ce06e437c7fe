/**
 * Writes a realistic history through the domain's deciders into a ledger data directory (not a test).
 *
 *   npm run bench:generate -- <data-dir> [customers=150000] [partners=3000]
 *
 * 150,000 customers and 3,000 partners make about 1.1 million events.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '@ledger/event-store';
import { writeHistory } from '../libs/read-models/src/testing/history-generator';

async function main(): Promise<void> {
  const [dirArg, customersArg, partnersArg] = process.argv.slice(2);
  if (!dirArg) throw new Error('usage: generate-history <data-dir> [customers] [partners]');
  const dir = resolve(dirArg);
  const shape = { customers: Number(customersArg ?? 150_000), partners: Number(partnersArg ?? 3_000) };
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const started = performance.now();
  const events = await writeHistory(store, shape, 256);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  console.log(`generated ${events} events for ${shape.customers} customers and ${shape.partners} partners in ${seconds.toFixed(1)} s ` +
    `(${Math.round(events / seconds)} events/s) into ${dir}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
