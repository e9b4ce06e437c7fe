/**
 * Write-side benchmark (not a test): accepted commands per second and latency percentiles, in-process
 * (the command runner on the SQLite store) and over HTTP (the service in its own process, 32 clients).
 *
 *   npm run bench:write                       # both, 10 s each
 *   BENCH_SECONDS=30 BENCH_CLIENTS=32 npm run bench:write
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  addDays, CommandRefused, customerDecider, type Decider, DEFAULT_LEDGER_POLICY, type LedgerEvent, partnerDecider,
} from '@ledger/domain';
import { ChainedEventStore, SqliteEventStore, SqliteRefusalLog } from '@ledger/event-store';
import { SystemClock } from '../apps/ledger/src/clock';
import { CommandRunner } from '../apps/ledger/src/commands/command-runner';
import { parseActor } from '../apps/ledger/src/auth/principal';
import { LedgerProcess } from '../test/support/ledger-process';
import { customerStory, PARTNERS, report, type WorkloadCommand } from './write-workload';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const TOKEN = 'bench-token-0123456789abcdef';
const GRANT_ENDS_AT = addDays(new Date().toISOString(), 365);

/** Runs `clients` loops, each telling new customers' stories, for the benchmark's duration. */
async function drive(
  clients: number,
  send: (command: WorkloadCommand, key: string) => Promise<boolean>,
): Promise<{ latencies: number[]; elapsed: number; accepted: number }> {
  const latencies: number[] = [];
  let accepted = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    for (let story = 0; performance.now() < deadline; story += 1) {
      const customerId = `c${client}-${story}`;
      for (const [step, command] of customerStory(customerId, GRANT_ENDS_AT).entries()) {
        const sent = performance.now();
        if (await send(command, `${customerId}-${step}`)) accepted += 1;
        latencies.push(performance.now() - sent);
      }
    }
  }));
  return { latencies, elapsed: performance.now() - started, accepted };
}

async function inProcess(dir: string): Promise<void> {
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const refusals = new SqliteRefusalLog(join(dir, 'refusals.sqlite'));
  const runner = new CommandRunner(new ChainedEventStore(store), refusals, new SystemClock(), { policy: DEFAULT_LEDGER_POLICY, maxAttempts: 5 });
  const send = async (command: WorkloadCommand, key: string): Promise<boolean> => {
    const decider = (command.input.type in PARTNER_TYPES ? partnerDecider : customerDecider) as Decider<never, LedgerEvent, unknown>;
    const actor = parseActor(command.actor) ?? { kind: 'operator' as const, id: 'bench' };
    try {
      await runner.run(decider, command.input as never, { commandId: key, actor, client: 'bench', credential: { type: 'static-token', client: 'bench' }, correlationId: key });
      return true;
    } catch (error) {
      if (!(error instanceof CommandRefused)) throw error;
      return false;
    }
  };
  for (const [i, command] of PARTNERS.entries()) await send(command, `partner-${i}`);
  const { latencies, elapsed, accepted } = await drive(CLIENTS, send);
  report(`in-process, ${CLIENTS} concurrent callers`, latencies, elapsed, accepted,
    `; ${store.stats.appends} appends in ${store.stats.commits} commits`);
  await store.close();
  await refusals.close();
}

const PARTNER_TYPES = { EnrollPartner: true, MovePartnerToCsp: true, AuthorizeIndirectReseller: true };

async function overHttp(dir: string): Promise<void> {
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify([{ client: 'bench', token: TOKEN, scopes: ['write'], actsFor: ['partner:*', 'customer:*', 'operator:self'] }]), { mode: 0o600 });
  // Capacity, not policy: the one benchmark client is not rate limited.
  const ledger = await LedgerProcess.start({ LEDGER_DATA_DIR: join(dir, 'http'), LEDGER_TOKENS_FILE: join(dir, 'tokens.json'), LEDGER_RATE_LIMIT_PER_MINUTE: '0' });
  // node:http with keep-alive costs the load generator less CPU than fetch: the server gets the cores.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const send = (command: WorkloadCommand, key: string): Promise<boolean> => new Promise((resolve, reject) => {
    const body = command.body ? JSON.stringify(command.body) : '';
    const req = httpRequest(`${ledger.baseUrl}${command.path}`, {
      method: 'POST',
      agent,
      headers: {
        Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
        'Idempotency-Key': key, 'Ledger-Actor': command.actor,
      },
    }, (response) => {
      response.resume();
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status === 201 || status === 422) resolve(status === 201);
        else reject(new Error(`${command.path}: ${status}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  try {
    for (const [i, command] of PARTNERS.entries()) await send(command, `partner-${i}`);
    const { latencies, elapsed, accepted } = await drive(CLIENTS, send);
    report(`over HTTP, ${CLIENTS} concurrent clients`, latencies, elapsed, accepted);
  } finally {
    agent.destroy();
    await ledger.kill();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  console.log(`Write benchmark: ${SECONDS} s per run, ${CLIENTS} concurrent callers, seven-command customer stories ` +
    `(one refused with MC-10), SQLite in ${dir}; node ${process.version}`);
  try {
    if (process.env.BENCH_ONLY !== 'http') await inProcess(dir);
    if (process.env.BENCH_ONLY !== 'in-process') await overHttp(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
