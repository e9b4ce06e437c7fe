/**
 * The ledger beside its limits (not a test): each row runs the ledger and what bounds it on this machine,
 * interleaved (ledger, limit, ledger, limit …), and prints the medians and their ratio.
 *
 *   1. commands over HTTP, 32 connections of `POST /customers`: the ledger (its own process, defaults) against
 *      a bare Nest 11 app with that one route and the ledger's ValidationPipe (bench/bare-nest-app.ts), both
 *      warmed up for 3 s first; each run also says how many cores the server used and how much of the
 *      machine stayed idle;
 *   2. commands in-process (bench:write's stories through the command runner) against the event store alone,
 *      32 writers appending one event at a time;
 *   3. rebuild of the read models against reading the same rows and parsing their JSON, with a floor: the
 *      ledger's own read path alone (a rebuild whose one projection writes nothing);
 *   4. query p99 at 1,000 requests/s offered (half ownership, half right checks): the ledger (scheduler and
 *      checkpoint signing off) against the bare Nest app answering the same paths with the same JSON bodies.
 *
 *   npm run bench:limits                               # rows 3 and 4 on a generated history of 20,000 customers
 *   npm run bench:limits -- /tmp/ledger-history        # … on a history written by bench:generate (1.1M events)
 *   BENCH_ROWS=http,in-process BENCH_ROUNDS=5 BENCH_SECONDS=10 BENCH_RATE=1000 npm run bench:limits
 *
 * One in-process run alone (rebuild, read-path, parse, commands, appends), as a row runs it, to compare two
 * trees one run at a time:
 *
 *   BENCH_TASK=rebuild BENCH_ARGS='{"events":"/tmp/ledger-history/events.sqlite","readModels":"/tmp/rebuilt.sqlite"}' \
 *     node --max-semi-space-size=64 -r ts-node/register/transpile-only -r tsconfig-paths/register bench/limits.ts
 *
 * Every in-process measurement runs in a fresh process of its own, so that one's heap does not slow the next.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteEventStore } from '@ledger/event-store';
import { LEDGER_EVENT_TYPES } from '@ledger/domain';
import { buildReadModels, type Projection, ReadModelStore } from '@ledger/read-models';
import { Database } from '../libs/event-store/src/sqlite/driver';
import { writeHistory } from '../libs/read-models/src/testing/history-generator';
import { LedgerProcess } from '../test/support/ledger-process';
import { keepAliveAgent, measuringCpu, openLoop, queryPaths, sampleCustomers, timedRequest } from './http-load';
import { drive, inProcessLedger, percentile } from './write-workload';

// Three rounds a side by default: the median of two is their mean, which one disturbed run pulls half its way.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const CONNECTIONS = 32;
const TOKEN = 'bench-limits-token-0123456789';
const ROWS = ['http', 'in-process', 'rebuild', 'queries'] as const;
type Row = (typeof ROWS)[number];

/** One run's figures: what the row compares (`value`) and a line to print. */
interface Run {
  readonly value: number;
  readonly line: string;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);
const p99 = (samples: readonly number[]): number => percentile([...samples].sort((a, b) => a - b), 99);

/**
 * Runs the two sides in turn, `ROUNDS` times each, and prints each run, the medians and their ratio. A floor,
 * when given, runs in the same rounds: a part of the ledger's own work alone, which bounds what the ratio can reach.
 */
async function compare(
  title: string, unit: string,
  sides: { ledger: () => Promise<Run>; limit: () => Promise<Run>; floor?: { what: string; run: () => Promise<Run> } },
  aim: string,
): Promise<string> {
  console.log(`\n${title}`);
  const runs = { ledger: sides.ledger, limit: sides.limit, ...(sides.floor && { floor: sides.floor.run }) };
  const values: Record<string, number[]> = {};
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const [side, run] of Object.entries(runs)) {
      const { value, line } = await run();
      (values[side] ??= []).push(value);
      console.log(`  ${side.padEnd(6)} ${round}: ${line}`);
    }
  }
  const figure = (value: number) => `${value.toFixed(unit === 'ms' ? 2 : 0)} ${unit}`;
  const ledger = median(values.ledger);
  const limit = median(values.limit);
  const floor = sides.floor && `; ${sides.floor.what} alone ${figure(median(values.floor))}, ratio ${(median(values.floor) / limit).toFixed(2)}`;
  const summary = `${title.split(':')[0]}: ledger ${figure(ledger)}, limit ${figure(limit)}, ratio ${(ledger / limit).toFixed(2)} (aim ${aim})${floor ?? ''}`;
  console.log(`  medians → ${summary}`);
  return summary;
}

/** Runs `task` in a fresh process of this script and returns what it printed as its result (its last line, JSON). */
function inChild(task: string, args: Record<string, string>): Run {
  const run = spawnSync(process.execPath, [...process.execArgv, __filename], {
    env: { ...process.env, BENCH_TASK: task, BENCH_ARGS: JSON.stringify(args) }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${task} failed:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Run;
}

// ---- Row 1: commands over HTTP ----

async function httpRow(scratch: string): Promise<string> {
  const dir = join(scratch, 'http');
  mkdirSync(dir, { recursive: true });
  const tokens = join(dir, 'tokens.json');
  writeFileSync(tokens, JSON.stringify([{ client: 'bench', token: TOKEN, scopes: ['write'], actsFor: ['operator:self'] }]), { mode: 0o600 });
  const ledger = await LedgerProcess.start({ LEDGER_DATA_DIR: join(dir, 'data'), LEDGER_TOKENS_FILE: tokens, LEDGER_RATE_LIMIT_PER_MINUTE: '0' });
  const bare = await LedgerProcess.start({}, 60_000, 'bench/bare-nest-app.ts');
  const agent = keepAliveAgent(CONNECTIONS);
  let round = 0;
  const register = (server: LedgerProcess, seconds = SECONDS) => async (): Promise<Run> => {
    round += 1;
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const { cpu } = await measuringCpu(server.pid, () => Promise.all(Array.from({ length: CONNECTIONS }, async (_, connection) => {
      for (let i = 0; performance.now() < deadline; i += 1) {
        const customerId = `r${round}-c${connection}-${i}`;
        const body = JSON.stringify({ customerId, name: `Customer ${customerId}`, cloud: 'global' });
        latencies.push(await timedRequest(agent, `${server.baseUrl}/customers`, {
          method: 'POST', status: 201, body,
          headers: {
            Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
            'Idempotency-Key': customerId, 'Ledger-Actor': 'operator:bench',
          },
        }));
      }
    })));
    const rate = perSecond(latencies.length, performance.now() - started);
    return { value: rate, line: `${rate} commands/s, p99 ${p99(latencies).toFixed(1)} ms; ${cpu}` };
  };
  try {
    // Both warmed up first (V8 compiles the hot paths), as the query row does.
    for (const server of [ledger, bare]) await register(server, 3)();
    return await compare(`commands over HTTP: ${CONNECTIONS} connections of POST /customers for ${SECONDS} s; the limit is a bare Nest 11 app with that route and the ledger's ValidationPipe`,
      'commands/s', { ledger: register(ledger), limit: register(bare) }, '≥ 0.75');
  } finally {
    agent.destroy();
    await ledger.kill();
    await bare.kill();
  }
}

// ---- Row 2: commands in-process ----

async function inProcessRow(scratch: string): Promise<string> {
  let round = 0;
  const side = (task: string) => async (): Promise<Run> => inChild(task, { dir: join(scratch, `in-process-${round += 1}`) });
  return compare(`commands in-process: ${CONNECTIONS} callers telling seven-command customer stories for ${SECONDS} s; the limit is the event store alone, ${CONNECTIONS} writers appending one event at a time`,
    'per s', { ledger: side('commands'), limit: side('appends') }, '≥ 0.35');
}

async function commandsTask({ dir }: Record<string, string>): Promise<Run> {
  mkdirSync(dir, { recursive: true });
  const ledger = await inProcessLedger(dir);
  const { latencies, elapsed } = await drive(CONNECTIONS, SECONDS, ledger.send);
  const rate = perSecond(latencies.length, elapsed);
  const { appends, commits } = ledger.store.stats;
  await ledger.close();
  return { value: rate, line: `${rate} commands/s, p99 ${p99(latencies).toFixed(1)} ms; ${appends} appends in ${commits} commits` };
}

async function appendsTask({ dir }: Record<string, string>): Promise<Run> {
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  // An event the size of the ledger's (a registered customer with its metadata).
  const event = (writer: number, i: number) => ({
    id: `w${writer}-${i}`, type: 'CustomerRegistered', schemaVersion: 1,
    data: { customerId: `w${writer}-${i}`, name: `Customer w${writer}-${i}`, cloud: 'global', isPartnerTenant: false },
    metadata: {
      commandId: `w${writer}-${i}`, commandType: 'RegisterCustomer', commandHash: 'a'.repeat(64), actor: { kind: 'operator', id: 'bench' },
      client: 'bench', credential: { type: 'static-token', client: 'bench' }, correlationId: `w${writer}-${i}`, causationId: `w${writer}-${i}`,
      recordedAt: new Date().toISOString(), policy: '2025-01', previousHash: null, hash: 'b'.repeat(64),
    },
  });
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONNECTIONS }, async (_, writer) => {
    for (let i = 0; performance.now() < deadline; i += 1) {
      const sent = performance.now();
      await store.appendToStream(`customer-w${writer}-${i}`, [event(writer, i)], { expectedRevision: 'no-stream' });
      latencies.push(performance.now() - sent);
    }
  }));
  const rate = perSecond(latencies.length, performance.now() - started);
  const { appends, commits } = store.stats;
  await store.close();
  return { value: rate, line: `${rate} appends/s, p99 ${p99(latencies).toFixed(1)} ms; ${appends} appends in ${commits} commits` };
}

// ---- Rows 3 and 4 need a history ----

async function history(scratch: string, given: string | undefined): Promise<string> {
  if (given) return given;
  const dir = join(scratch, 'history');
  mkdirSync(dir, { recursive: true });
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 20_000);
  const events = await writeHistory(store, { customers, partners: 3000 }, 256);
  await store.close();
  console.log(`\n(generated a history of ${events} events for ${customers} customers and 3,000 partners in ${dir})`);
  return dir;
}

async function rebuildRow(scratch: string, dir: string): Promise<string> {
  const args = { events: join(dir, 'events.sqlite'), readModels: join(scratch, 'rebuilt.sqlite') };
  return compare('rebuild: the read models from position 0; the limit is reading the same rows and JSON.parse of each event (data and metadata)',
    'events/s', {
      ledger: async () => inChild('rebuild', args),
      limit: async () => inChild('parse', args),
      floor: {
        what: 'the ledger\'s read path (a rebuild whose one projection writes nothing)',
        run: async () => inChild('read-path', { ...args, readModels: join(scratch, 'read-path.sqlite') }),
      },
    }, '≥ 0.6');
}

/** Takes every event and writes nothing: a rebuild with it alone is the ledger's read path (read the log, decode, move the checkpoint). */
const WRITES_NOTHING: Projection = {
  name: 'writes-nothing', version: 1, eventTypes: LEDGER_EVENT_TYPES, tables: [],
  open: () => ({ apply: () => undefined, queries: {} }),
};

async function rebuildTask({ events, readModels }: Record<string, string>, projections?: readonly Projection[]): Promise<Run> {
  const store = new SqliteEventStore({ file: events });
  const report = await buildReadModels(store, readModels, { batchSize: 5000, projections });
  await store.close();
  const rate = Math.round(report.events / report.seconds);
  return { value: rate, line: `${report.events} events in ${report.seconds.toFixed(2)} s = ${rate} events/s` };
}

function parseTask({ events }: Record<string, string>): Run {
  const db = new Database(events, { readonly: true });
  const page = db.prepare('SELECT position, event_id, stream, revision, hashed, hash, extra FROM events WHERE position > ? ORDER BY position LIMIT 5000').safeIntegers(true).raw();
  const started = performance.now();
  let count = 0;
  let parsed = 0;
  for (let rows = page.all(-1n) as unknown[][]; rows.length > 0; rows = page.all(rows[rows.length - 1][0]) as unknown[][]) {
    for (const row of rows) {
      const form = JSON.parse(row[4] as string) as { data: object };
      if (row[6] !== null) JSON.parse(row[6] as string);
      parsed += form.data ? 1 : 0;
      count += 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  const rate = Math.round(count / seconds);
  return { value: rate, line: `${count} events (${parsed} parsed) in ${seconds.toFixed(2)} s = ${rate} events/s` };
}

async function queriesRow(scratch: string, dir: string): Promise<string> {
  const serviceDir = join(scratch, 'service');
  mkdirSync(serviceDir, { recursive: true });
  const readModels = join(scratch, 'rebuilt.sqlite');
  if (!existsSync(readModels)) inChild('rebuild', { events: join(dir, 'events.sqlite'), readModels });
  copyFileSync(join(dir, 'events.sqlite'), join(serviceDir, 'events.sqlite'));
  copyFileSync(readModels, join(serviceDir, 'read-models.sqlite'));
  const probe = new ReadModelStore(readModels);
  const paths = queryPaths(sampleCustomers(probe, 20_000));
  probe.close();
  const tokens = join(serviceDir, 'tokens.json');
  writeFileSync(tokens, JSON.stringify([{ client: 'bench', token: TOKEN, scopes: ['read'] }]), { mode: 0o600 });
  const ledger = await LedgerProcess.start({
    LEDGER_DATA_DIR: serviceDir, LEDGER_TOKENS_FILE: tokens, LEDGER_RATE_LIMIT_PER_MINUTE: '0',
    LEDGER_SCHEDULER_INTERVAL_MS: '0', LEDGER_CHECKPOINT_INTERVAL_MS: '0',
  });
  const agent = keepAliveAgent(64);
  const headers = { Authorization: `Bearer ${TOKEN}` };
  let bare: LedgerProcess | undefined;
  try {
    // The bare app answers each path with the ledger's own body for it.
    const answers: Record<string, unknown> = {};
    for (const path of paths) answers[path] = await (await fetch(`${ledger.baseUrl}${path}`, { headers })).json();
    const answersFile = join(scratch, 'answers.json');
    writeFileSync(answersFile, JSON.stringify(answers));
    bare = await LedgerProcess.start({ BARE_ANSWERS: answersFile }, 60_000, 'bench/bare-nest-app.ts');
    const side = (server: LedgerProcess) => async (): Promise<Run> => {
      for (const path of paths.slice(0, 2000)) await timedRequest(agent, `${server.baseUrl}${path}`, { headers }); // warm-up
      const { result: { samples, achieved }, cpu } = await measuringCpu(server.pid,
        () => openLoop(RATE, SECONDS, (i) => timedRequest(agent, `${server.baseUrl}${paths[i % paths.length]}`, { headers })));
      const sorted = [...samples].sort((a, b) => a - b);
      const value = percentile(sorted, 99);
      return { value, line: `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${value.toFixed(2)} ms (${achieved}/s achieved); ${cpu}` };
    };
    return await compare(`query p99: ${RATE} requests/s offered for ${SECONDS} s, half ownership, half right checks; the limit is the bare Nest app answering the same paths with the same bodies`,
      'ms', { ledger: side(ledger), limit: side(bare as LedgerProcess) }, '≤ 1.3');
  } finally {
    agent.destroy();
    await ledger.kill();
    await bare?.kill();
  }
}

const TASKS: Record<string, (args: Record<string, string>) => Run | Promise<Run>> = {
  commands: commandsTask, appends: appendsTask, rebuild: rebuildTask, parse: parseTask,
  'read-path': async (args) => rebuildTask(args, [WRITES_NOTHING]),
};

async function main(): Promise<void> {
  const task = process.env.BENCH_TASK;
  if (task) {
    console.log(JSON.stringify(await TASKS[task](JSON.parse(process.env.BENCH_ARGS ?? '{}') as Record<string, string>)));
    return;
  }
  const given = process.argv[2] ? resolve(process.argv[2]) : undefined;
  if (given && !existsSync(join(given, 'events.sqlite'))) throw new Error('usage: limits [data-dir written by bench:generate]');
  const rows = (process.env.BENCH_ROWS?.split(',') ?? ROWS) as Row[];
  const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
  console.log(`The ledger beside its limits: ${ROUNDS} rounds of each side, interleaved, ${SECONDS} s a run; node ${process.version}, ` +
    `${cpus().length} cores; load average ${load()}`);
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-limits-'));
  const summaries: string[] = [];
  try {
    if (rows.includes('http')) summaries.push(await httpRow(scratch));
    if (rows.includes('in-process')) summaries.push(await inProcessRow(scratch));
    if (rows.includes('rebuild') || rows.includes('queries')) {
      const dir = await history(scratch, given);
      if (rows.includes('rebuild')) summaries.push(await rebuildRow(scratch, dir));
      if (rows.includes('queries')) summaries.push(await queriesRow(scratch, dir));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nSummary (load average now ${load()}):\n${summaries.map((line) => `  ${line}`).join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
