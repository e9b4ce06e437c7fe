import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** A process that did not start: the error names why, with the last 64 KiB it wrote; its log goes. */
function notStarted(why: string, logDir: string): Error {
  const output = readFileSync(join(logDir, 'output.log'), 'utf8').slice(-64 * 1024);
  rmSync(logDir, { recursive: true, force: true });
  return new Error(`${why}:\n${output}`);
}

/**
 * The service as an operator runs it: its own process, from source, on a data directory and a port, its
 * output going to a log file (not through a pipe that this process, perhaps a benchmark's load generator,
 * would have to read). A benchmark starts its bare Nest app (`script`) the same way, to compare like with like.
 */
export class LedgerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    private readonly logDir: string,
  ) {}

  static async start(env: Record<string, string>, timeoutMs = 60_000, script = 'apps/ledger/src/main.ts'): Promise<LedgerProcess> {
    const port = await freePort();
    const logDir = mkdtempSync(join(tmpdir(), 'ledger-process-'));
    const fd = openSync(join(logDir, 'output.log'), 'a');
    const child = spawn(process.execPath, [
      ...(process.env.LEDGER_NODE_OPTIONS ? process.env.LEDGER_NODE_OPTIONS.split(' ') : []),
      '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', script,
    ], {
      cwd: ROOT,
      env: { ...process.env, ...env, LEDGER_PORT: String(port), LEDGER_HOST: '127.0.0.1', TS_NODE_PROJECT: 'tsconfig.json' },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const started = Date.now();
    const baseUrl = `http://127.0.0.1:${port}`;
    while (!(await answers(`${baseUrl}/health/live`))) {
      if (child.exitCode !== null) throw notStarted(`${script} exited (${child.exitCode})`, logDir);
      if (Date.now() - started > timeoutMs) {
        child.kill('SIGKILL');
        throw notStarted(`${script} did not start within ${timeoutMs} ms`, logDir);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return new LedgerProcess(child, baseUrl, logDir);
  }

  /** The process's id, for a benchmark that measures its CPU. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Kills the process at once, as a power cut would: no shutdown hooks run. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.logDir, { recursive: true, force: true });
  }
}
