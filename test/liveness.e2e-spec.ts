import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { SqliteEventStore } from '@ledger/event-store';
import { ReadSide } from '@ledger/read-models';
import { writeHistory } from '../libs/read-models/src/testing/history-generator';
import { TestLedger, TOKENS } from './support/test-ledger';

/**
 * Probes answered while the work ran, at the least. Were the work to hold the event loop, the probes would
 * wait for it and only one or two would be answered before it ended; the work takes seconds, and a free loop
 * answers a probe every few milliseconds. How long a probe takes is measured, not asserted: bench:startup
 * prints the slowest probe (a timed assertion fails on a busy machine, as it did in CI beside Chromium).
 */
const PROBES_DURING_WORK = 20;

/** Probes /health/live back to back until `work` settles; returns how many were answered meanwhile. */
async function probeWhile(ledger: TestLedger, work: Promise<unknown>): Promise<number> {
  const server = ledger.app.getHttpServer();
  let answered = 0;
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  while (!settled) {
    await request(server).get('/health/live').expect(200);
    answered += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await done;
  return answered;
}

describe('the service keeps answering while it works through a 100k-event log', () => {
  let dataDir: string;
  let ledger: TestLedger;
  let events: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-liveness-'));
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    events = await writeHistory(store, { customers: 14_500, partners: 300 }, 256);
    await store.close();
    expect(events).toBeGreaterThan(100_000);
  }, 120_000);

  afterAll(async () => {
    await ledger?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers probes while the projector catches up from zero', async () => {
    ledger = await TestLedger.start(undefined, 'SQLite', dataDir);
    const readSide = ledger.app.get(ReadSide);
    const head = (await ledger.store.headPosition())!;
    const answered = await probeWhile(ledger, readSide.waitFor(head, 110_000));
    expect(readSide.store.checkpoint()?.eventsSeen).toBe(events);
    expect(answered).toBeGreaterThanOrEqual(PROBES_DURING_WORK);
  }, 120_000);

  it('answers probes while a digest and a rebuild run, and concurrent digests read the log once', async () => {
    const server = ledger.app.getHttpServer();
    const digest = () => request(server).get('/audit/digest').set('Authorization', `Bearer ${TOKENS.auditOnly}`).expect(200);
    const digests = Promise.all([digest(), digest(), digest()]);
    const readSide = ledger.app.get(ReadSide);
    await request(server).post('/admin/read-models/rebuild').set('Authorization', `Bearer ${TOKENS.admin}`).expect(202);
    const rebuilt = new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        const { state, error } = readSide.rebuildStatus;
        if (state === 'running') return;
        clearInterval(poll);
        if (state === 'succeeded') resolve();
        else reject(new Error(error));
      }, 20);
    });
    expect(await probeWhile(ledger, Promise.all([digests, rebuilt]))).toBeGreaterThanOrEqual(PROBES_DURING_WORK);

    const answers = await digests;
    expect(new Set(answers.map((answer) => answer.body.digest)).size).toBe(1);
    expect(answers[0].body).toMatchObject({ intact: true, eventsChecked: events });
    expect(readSide.rebuildStatus).toMatchObject({ state: 'succeeded', events });
    const scrape = await request(server).get('/metrics').expect(200);
    expect(scrape.text).toMatch(/^ledger_audit_digests_total 1$/m);
  }, 120_000);
});
