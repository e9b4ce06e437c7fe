/**
 * Read-side benchmarks (not tests), over a history written by bench/generate-history.ts. Each runs in a
 * fresh process of its own, so that one's heap does not slow the next:
 *   1. rebuild: the read models built from position zero (bulk load), in events/s;
 *   2. check: in-process "may P do R for C?" — read the customer's view, then checkRight;
 *   3. http: query latency at a fixed 1,000 requests/s against the service in its own process.
 *
 *   npm run bench:generate -- /tmp/ledger-history
 *   npm run bench:read -- /tmp/ledger-history            (BENCH_SECONDS=10 BENCH_RATE=1000)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkRight, RIGHTS } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { buildReadModels, customerViews, ReadModelStore } from '@ledger/read-models';
import { LedgerProcess } from '../test/support/ledger-process';
import { keepAliveAgent, openLoop, queryPaths, sampleCustomers, timedRequest } from './http-load';
import { percentile } from './write-workload';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const TOKEN = 'bench-read-token-0123456789';
const PHASES = ['rebuild', 'check', 'http'] as const;

function summary(label: string, samplesMs: number[], unit: 'ms' | 'µs' = 'ms'): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const scale = unit === 'µs' ? 1000 : 1;
  const f = (n: number) => (n * scale).toFixed(unit === 'µs' ? 1 : 2);
  return `${label}: ${samplesMs.length} samples; ${unit} p50 ${f(percentile(sorted, 50))} p95 ${f(percentile(sorted, 95))} ` +
    `p99 ${f(percentile(sorted, 99))} max ${f(sorted[sorted.length - 1])}`;
}

async function rebuildPhase(dir: string, readModels: string): Promise<void> {
  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const report = await buildReadModels(events, readModels, { batchSize: Number(process.env.BENCH_BATCH ?? 5000) });
  await events.close();
  console.log(`rebuild: ${report.events} events in ${report.seconds.toFixed(2)} s = ${Math.round(report.events / report.seconds)} events/s`);
}

function checkPhase(readModels: string): void {
  const store = new ReadModelStore(readModels);
  const customers = sampleCustomers(store, 50_000);
  const now = new Date().toISOString();
  const samples: number[] = [];
  let allowed = 0;
  for (const [i, customerId] of customers.entries()) {
    const started = performance.now();
    const view = store.query(customerViews).customer(customerId);
    if (!view) continue;
    const partners = Object.values(view.relationships).map((r) => r.partnerId);
    const result = checkRight(view, partners[i % Math.max(1, partners.length)] ?? 'partner-0', RIGHTS[i % RIGHTS.length], now);
    samples.push(performance.now() - started);
    if (result.allowed) allowed += 1;
  }
  store.close();
  console.log(`${summary('in-process check (read the customer’s view, then checkRight)', samples, 'µs')}; ${allowed} allowed`);
}

async function httpPhase(dir: string, readModels: string): Promise<void> {
  const probe = new ReadModelStore(readModels);
  const customers = sampleCustomers(probe, 20_000);
  probe.close();
  const serviceDir = join(dir, 'service');
  rmSync(serviceDir, { recursive: true, force: true });
  mkdirSync(serviceDir, { recursive: true });
  copyFileSync(join(dir, 'events.sqlite'), join(serviceDir, 'events.sqlite'));
  copyFileSync(readModels, join(serviceDir, 'read-models.sqlite'));
  writeFileSync(join(serviceDir, 'tokens.json'), JSON.stringify([{ client: 'bench', token: TOKEN, scopes: ['read'] }]), { mode: 0o600 });
  // Queries alone: the scheduler would record the generated history's past-due facts every 10 s, and the
  // checkpoint job would sign the log every minute, both on the thread that answers the queries.
  const ledger = await LedgerProcess.start({
    LEDGER_DATA_DIR: serviceDir, LEDGER_TOKENS_FILE: join(serviceDir, 'tokens.json'), LEDGER_LOG_LEVEL: 'warn', LEDGER_RATE_LIMIT_PER_MINUTE: '0',
    LEDGER_SCHEDULER_INTERVAL_MS: '0', LEDGER_CHECKPOINT_INTERVAL_MS: '0',
  });
  console.log('HTTP queries against the built service, with its scheduler and checkpoint signing off (queries alone)');
  const agent = keepAliveAgent(64);
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const paths = queryPaths(customers);
  try {
    for (const path of paths.slice(0, 2000)) await timedRequest(agent, `${ledger.baseUrl}${path}`, { headers }); // warm-up
    const { samples, achieved } = await openLoop(RATE, SECONDS, (i) => timedRequest(agent, `${ledger.baseUrl}${paths[i % paths.length]}`, { headers }));
    console.log(summary(`HTTP queries at ${RATE}/s offered (${achieved}/s achieved; half ownership, half right checks)`, samples));
    console.log(`  server-side (its own latency histogram): ${await serverSide(ledger.baseUrl)}`);
  } finally {
    agent.destroy();
    await ledger.kill();
    rmSync(serviceDir, { recursive: true, force: true });
  }
}

/** Reads the service's own request-latency histogram for the query routes: the share answered within each bound. */
async function serverSide(baseUrl: string): Promise<string> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const buckets = new Map<string, number>();
  for (const match of text.matchAll(/ledger_http_request_duration_seconds_bucket\{le="([^"]+)",method="GET",route="\/customers\/[^"]+",status="200"\} (\d+)/g)) {
    buckets.set(match[1], (buckets.get(match[1]) ?? 0) + Number(match[2]));
  }
  const total = buckets.get('+Inf') ?? 0;
  const gc = [...text.matchAll(/nodejs_gc_duration_seconds_sum\{kind="(\w+)"\} (\S+)/g)].map((m) => `${m[1]} ${(Number(m[2]) * 1000).toFixed(0)} ms`);
  return `GC ${gc.join(', ')}; answered ` + ['0.001', '0.0025', '0.005', '0.01', '0.025'].map((le) => `≤ ${Number(le) * 1000} ms: ${((100 * (buckets.get(le) ?? 0)) / total).toFixed(2)}%`).join(', ');
}

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? '');
  if (!existsSync(join(dir, 'events.sqlite'))) throw new Error('usage: read-side <data-dir written by bench:generate>');
  const readModels = join(dir, 'bench-read-models.sqlite');
  const phase = process.env.BENCH_PHASE as (typeof PHASES)[number] | undefined;
  if (phase === 'rebuild') return rebuildPhase(dir, readModels);
  if (phase === 'check') return checkPhase(readModels);
  if (phase === 'http') return httpPhase(dir, readModels);

  const events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  console.log(`Read benchmark over ${dir}: ${await events.countEventsAfter()} events; node ${process.version}; ${process.execArgv.filter((a) => a.startsWith('--max')).join(' ')}`);
  await events.close();
  for (const next of PHASES) {
    const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, BENCH_PHASE: next }, stdio: 'inherit',
    });
    if (run.status !== 0) throw new Error(`phase ${next} failed`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
