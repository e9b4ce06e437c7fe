import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
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

/**
 * The service as an operator runs it: its own process, from source, on a data directory and a port. A
 * benchmark starts its bare Nest app (`script`) the same way, to compare like with like.
 */
export class LedgerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string>, timeoutMs = 60_000, script = 'apps/ledger/src/main.ts'): Promise<LedgerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [
      ...(process.env.LEDGER_NODE_OPTIONS ? process.env.LEDGER_NODE_OPTIONS.split(' ') : []),
      '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', script,
    ], {
      cwd: ROOT,
      env: { ...process.env, ...env, LEDGER_PORT: String(port), LEDGER_HOST: '127.0.0.1', TS_NODE_PROJECT: 'tsconfig.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Keeps the tail of what the process printed, for the error message when it does not start.
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const started = Date.now();
    const baseUrl = `http://127.0.0.1:${port}`;
    while (!(await answers(`${baseUrl}/health/live`))) {
      if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode}):\n${output}`);
      if (Date.now() - started > timeoutMs) {
        child.kill('SIGKILL');
        throw new Error(`${script} did not start within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return new LedgerProcess(child, baseUrl);
  }

  /** The process's id, for a benchmark that measures its CPU. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Kills the process at once, as a power cut would: no shutdown hooks run. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}
