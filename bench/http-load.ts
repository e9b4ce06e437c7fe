import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { RIGHTS } from '@ledger/domain';
import { customerViews, type ReadModelStore } from '@ledger/read-models';

/** node:http with keep-alive costs the load generator less CPU than fetch: the server gets the cores. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, noDelay: true });
}

/** A request that resolves with its latency in ms when answered with `status`, and rejects otherwise. */
export function timedRequest(
  agent: Agent, url: string, options: { method?: string; headers?: Record<string, string | number>; body?: string; status?: number } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === (options.status ?? 200)
        ? resolve(performance.now() - started)
        : reject(new Error(`${options.method ?? 'GET'} ${url}: ${response.statusCode}`))));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Offers `rate` requests a second for `seconds` whatever the answers' pace (open loop), so a slow answer
 * cannot hold the load back; returns each request's latency (ms) and the rate achieved.
 */
export async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<number>): Promise<{ samples: number[]; achieved: number }> {
  const samples: number[] = [];
  const pending: Array<Promise<void>> = [];
  const total = seconds * rate;
  const started = performance.now();
  for (let sent = 0; sent < total; sent += 1) {
    const wait = started + (sent * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(sent).then((ms) => {
      samples.push(ms);
    }));
  }
  await Promise.all(pending);
  return { samples, achieved: Math.round(samples.length / ((performance.now() - started) / 1000)) };
}

/** The same spread of customer ids in every run: `count` ids drawn across the customers the read models hold. */
export function sampleCustomers(store: ReadModelStore, count: number): string[] {
  let known = 0;
  while (store.query(customerViews).customer(`customer-${known + 1000}`)) known += 1000;
  return Array.from({ length: count }, (_, i) => `customer-${Math.floor(((i * 2654435761) % 4294967296) / 4294967296 * known)}`);
}

/** Half ownership, half right checks, over the sampled customers (partner ids as bench:generate names them). */
export function queryPaths(customers: readonly string[]): string[] {
  return customers.map((customerId, i) => (i % 2 === 0
    ? `/customers/${customerId}/ownership`
    : `/customers/${customerId}/partners/partner-${i % 3000}/rights/${RIGHTS[i % RIGHTS.length]}`));
}

/** The CPU time a process has used so far (ms), from /proc on Linux; undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // utime and stime, fields 14 and 15, counted after the command's name (which may hold spaces and parentheses), in ticks of 10 ms.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function machineTimes(): { idle: number; total: number } {
  return cpus().reduce((sum, { times }) => ({
    idle: sum.idle + times.idle,
    total: sum.total + times.user + times.nice + times.sys + times.idle + times.irq,
  }), { idle: 0, total: 0 });
}

/**
 * Runs `run` and says how much CPU went where meanwhile: the server process's use in cores (when its pid is
 * given and /proc has it) and the machine's idle share, which shows the headroom a single event loop leaves.
 */
export async function measuringCpu<T>(pid: number | undefined, run: () => Promise<T>): Promise<{ result: T; cpu: string }> {
  const [machineBefore, processBefore, started] = [machineTimes(), processCpuMs(pid), performance.now()];
  const result = await run();
  const [machineAfter, processAfter, elapsed] = [machineTimes(), processCpuMs(pid), performance.now() - started];
  const idle = (machineAfter.idle - machineBefore.idle) / (machineAfter.total - machineBefore.total);
  const server = processBefore === undefined || processAfter === undefined ? '' : `server ${((processAfter - processBefore) / elapsed).toFixed(2)} cores, `;
  return { result, cpu: `${server}machine idle ${(idle * 100).toFixed(0)}%` };
}
