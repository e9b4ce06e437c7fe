/**
 * Startup on a long log with no read models (a new replica, or after deleting them), not a test: how soon
 * the port answers, how long the read models take to catch up, and the service's peak memory meanwhile.
 * Runs the built service (`npm run build` first), on a copy of the log so the history stays as generated.
 *
 *   npm run bench:generate -- /tmp/ledger-history
 *   npm run build && npm run bench:startup -- /tmp/ledger-history
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../test/support/ledger-process';

const MAIN = resolve(__dirname, '..', 'dist', 'apps', 'ledger', 'main.js');

async function status(url: string): Promise<number | undefined> {
  try {
    return (await fetch(url)).status;
  } catch {
    return undefined;
  }
}

/** The process's resident memory now and at its peak (VmRSS, VmHWM), in MB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function main(): Promise<void> {
  const history = process.argv[2];
  if (!history || !existsSync(join(history, 'events.sqlite'))) throw new Error('usage: bench:startup <dir holding events.sqlite from bench:generate>');
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-startup-'));
  copyFileSync(join(resolve(history), 'events.sqlite'), join(dataDir, 'events.sqlite'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LEDGER_PORT: String(port), LEDGER_LOG_LEVEL: 'warn', LEDGER_SCHEDULER_INTERVAL_MS: '0' },
    stdio: 'ignore',
  });
  try {
    while ((await status(`${base}/health/live`)) !== 200) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const listening = performance.now() - started;
    console.log(`port answers /health/live after ${(listening / 1000).toFixed(2)} s (readiness: ${await status(`${base}/health/ready`)})`);
    // Liveness every 200 ms, readiness every second (it counts the events the read models have not seen).
    let slowestProbe = 0;
    for (let round = 1; round % 5 !== 0 || (await status(`${base}/health/ready`)) !== 200; round += 1) {
      const probe = performance.now();
      await status(`${base}/health/live`);
      slowestProbe = Math.max(slowestProbe, performance.now() - probe);
      await new Promise((r) => setTimeout(r, 200));
    }
    const ready = performance.now() - started;
    const memory = memoryOf(child.pid!);
    console.log(`ready (read models caught up) after ${(ready / 1000).toFixed(1)} s; slowest liveness probe meanwhile ${slowestProbe.toFixed(0)} ms`);
    console.log(`resident memory: peak ${memory.peak.toFixed(0)} MB, now ${memory.rss.toFixed(0)} MB`);
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
