import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from './support/ledger-process';
import { TestLedger } from './support/test-ledger';

/** A small filesystem of its own (tmpfs), where this process may mount one; undefined where it may not. */
function mountSmallFilesystem(megabytes: number): { dir: string; unmount: () => void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes zeros into `file` until the filesystem has no room left. */
function fillFilesystem(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

const partner = (id: string) => ({ partnerId: id, name: `Partner ${id}`, program: 'direct-bill', cloud: 'global' });

/** Every command answered 201 is in the log exactly once. */
async function expectAcknowledgedOnce(ledger: TestLedger, acknowledged: readonly string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const event of await ledger.store.readAll({ maxCount: 100_000 })) {
    const id = String(event.metadata.commandId);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  expect(acknowledged.filter((id) => counts.get(id) !== 1)).toEqual([]);
}

/** Whether this process may mount a filesystem (root, or the capability): tried once with a tiny one. */
function mayMount(): boolean {
  const probe = mountSmallFilesystem(1);
  probe?.unmount();
  // One line on stderr: console.warn in Jest adds the stack of the call.
  if (!probe) process.stderr.write('Disk-full test skipped: this process may not mount a small filesystem (tmpfs) to fill.\n');
  return probe !== undefined;
}

describe('storage faults get honest answers', () => {
  (mayMount() ? it : it.skip)('(a) disk full: writes answer 503 with Retry-After, readiness says so, and both recover without a restart', async () => {
    const fs = mountSmallFilesystem(8)!;
    const ledger = await TestLedger.start(undefined, 'SQLite', join(fs.dir, 'data'));
    const acknowledged: string[] = [];
    const enroll = async (n: number): Promise<request.Response> => {
      const answer = await ledger.command('/partners', partner(`p${n}`), { key: `enroll-${n}` });
      if (answer.status === 201) acknowledged.push(`enroll-${n}`);
      return answer;
    };
    try {
      for (let n = 0; n < 5; n += 1) expect((await enroll(n)).status).toBe(201);
      await ledger.projected();
      fillFilesystem(join(fs.dir, 'filler'));

      const answers: request.Response[] = [];
      for (let n = 5; n < 60; n += 1) answers.push(await enroll(n));
      const failed = answers.filter((answer) => answer.status !== 201);
      expect(failed.length).toBeGreaterThan(0);
      for (const answer of failed) {
        expect(answer.status).toBe(503);
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(answer.body).toMatchObject({ code: 'STORE_UNAVAILABLE', reason: 'disk-full' });
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      }
      const ready = await request(ledger.app.getHttpServer()).get('/health/ready').expect(503);
      expect(ready.body.checks.eventStore).toMatchObject({ status: 'down', reason: 'disk-full' });
      expect(ready.headers['retry-after']).toBeDefined();

      rmSync(join(fs.dir, 'filler'));
      expect((await enroll(100)).status).toBe(201);
      // A retry of a command refused for want of room is applied now, once.
      expect((await ledger.command('/partners', partner(`p${59}`), { key: 'enroll-59' })).status).toBe(201);
      acknowledged.push('enroll-59');
      await request(ledger.app.getHttpServer()).get('/health/ready').expect(200);
      await expectAcknowledgedOnce(ledger, acknowledged);
    } finally {
      await ledger.stop();
      fs.unmount();
    }
  });

  it('(b) event store unreachable: 503 on commands and readiness, /metrics still 200', async () => {
    const closedPort = await freePort();
    const ledger = await TestLedger.start(undefined, 'SQLite', undefined, {
      eventStoreUrl: `kurrentdb://127.0.0.1:${closedPort}?tls=false&defaultDeadline=2000`,
    });
    try {
      const command = await ledger.command('/partners', partner('northwind'), { key: 'unreachable-1' });
      expect(command.status).toBe(503);
      expect(command.body).toMatchObject({ code: 'STORE_UNAVAILABLE', reason: 'unreachable' });
      expect(command.headers['retry-after']).toBeDefined();
      const ready = await request(ledger.app.getHttpServer()).get('/health/ready').expect(503);
      expect(ready.body.checks.eventStore.status).toBe('down');
      const scrape = await request(ledger.app.getHttpServer()).get('/metrics').expect(200);
      expect(scrape.text).toMatch(/^ledger_projector_lag_events NaN$/im);
    } finally {
      await ledger.close();
    }
  });
});
