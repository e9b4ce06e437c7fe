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
import { LedgerProcess } from '../test/support/ledger-process';
import { drive, inProcessLedger, PARTNERS, report, type WorkloadCommand } from './write-workload';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const TOKEN = 'bench-token-0123456789abcdef';

async function inProcess(dir: string): Promise<void> {
  const ledger = await inProcessLedger(dir);
  const { latencies, elapsed, accepted } = await drive(CLIENTS, SECONDS, ledger.send);
  report(`in-process, ${CLIENTS} concurrent callers`, latencies, elapsed, accepted,
    `; ${ledger.store.stats.appends} appends in ${ledger.store.stats.commits} commits`);
  await ledger.close();
}

async function overHttp(dir: string): Promise<void> {
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify([{ client: 'bench', token: TOKEN, scopes: ['write'], actsFor: ['partner:*', 'customer:*', 'operator:self'] }]), { mode: 0o600 });
  // Capacity, not policy: the one benchmark client is not rate limited.
  const service = await LedgerProcess.start({ LEDGER_DATA_DIR: join(dir, 'http'), LEDGER_TOKENS_FILE: join(dir, 'tokens.json'), LEDGER_RATE_LIMIT_PER_MINUTE: '0' });
  // node:http with keep-alive costs the load generator less CPU than fetch: the server gets the cores.
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const send = (command: WorkloadCommand, key: string): Promise<boolean> => new Promise((resolve, reject) => {
    const body = command.body ? JSON.stringify(command.body) : '';
    const req = httpRequest(`${service.baseUrl}${command.path}`, {
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
    const { latencies, elapsed, accepted } = await drive(CLIENTS, SECONDS, send);
    report(`over HTTP, ${CLIENTS} concurrent clients`, latencies, elapsed, accepted);
  } finally {
    agent.destroy();
    await service.kill();
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
