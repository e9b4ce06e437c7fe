import { existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@ledger/event-store';
import request from 'supertest';
import { SqliteEventStore } from '@ledger/event-store';
import { ReadSide } from '@ledger/read-models';
import { writeHistory } from '../libs/read-models/src/testing/history-generator';
import { LedgerProcess } from './support/ledger-process';
import { TestLedger, TOKENS } from './support/test-ledger';

const READ_MODELS = 'read-models.sqlite';

/** Overwrites `length` bytes with garbage at each offset (not page-aligned: the damage lands mid-page). */
function scribble(file: string, offsets: readonly number[], length: number): void {
  const fd = openSync(file, 'r+');
  try {
    for (const offset of offsets) writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

/** Damage spread over the file: 4 KB at 1,000 bytes into every 64 KB past the header page. */
function scribbleAcross(file: string): void {
  const size = statSync(file).size;
  const offsets: number[] = [];
  for (let offset = 65_536 + 1000; offset + 4096 < size; offset += 65_536) offsets.push(offset);
  scribble(file, offsets, 4096);
}

async function untilHealed(ledger: TestLedger): Promise<void> {
  const readSide = ledger.app.get(ReadSide);
  for (let waited = 0; !readSide.available; waited += 20) {
    if (waited > 60_000) throw new Error('the read models were not rebuilt within a minute');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await ledger.projected();
}

describe('read models that are damaged heal themselves', () => {
  let dataDir: string;
  let customers: string[];
  let expected: Map<string, unknown>;

  /** Each sampled customer's ownership as the service answers it: 200 with a body, or 503 while rebuilding. */
  async function ownership(ledger: TestLedger, customerId: string): Promise<request.Response> {
    return request(ledger.app.getHttpServer()).get(`/customers/${customerId}/ownership`).set('Authorization', `Bearer ${TOKENS.reader}`);
  }

  async function expectAnswersAsBefore(ledger: TestLedger): Promise<void> {
    const wrong: string[] = [];
    for (const customerId of customers) {
      const answer = await ownership(ledger, customerId);
      if (answer.status !== 200 || JSON.stringify(answer.body) !== JSON.stringify(expected.get(customerId))) wrong.push(customerId);
    }
    expect(wrong).toEqual([]);
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-healing-'));
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    await writeHistory(store, { customers: 3000, partners: 100 }, 256);
    const ids = new Set<string>();
    for (const event of await store.readAll({ maxCount: 1_000_000 })) {
      if (event.stream.startsWith('customer-')) ids.add(event.stream.slice('customer-'.length));
    }
    await store.close();
    customers = [...ids].filter((_, i) => i % 5 === 0);
    const ledger = await TestLedger.start(undefined, 'SQLite', dataDir);
    await ledger.projected();
    expected = new Map();
    for (const customerId of customers) expected.set(customerId, (await ownership(ledger, customerId).then((a) => a.body)) as unknown);
    await ledger.stop();
  }, 120_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['damaged mid-page', (file: string) => scribbleAcross(file)],
    ['a garbage header', (file: string) => scribble(file, [0], 100)],
  ])('while stopped (%s): found at start, set aside, rebuilt; reads answer 503 meanwhile, then as before', async (_, damage) => {
    damage(join(dataDir, READ_MODELS));
    const ledger = await TestLedger.start(undefined, 'SQLite', dataDir);
    try {
      const readSide = ledger.app.get(ReadSide);
      expect(readSide.available).toBe(false);
      const during = await ownership(ledger, customers[0]);
      if (during.status !== 200) expect(during.body).toMatchObject({ status: 503, code: 'READ_MODELS_UNAVAILABLE' });
      await untilHealed(ledger);
      expect(existsSync(join(dataDir, `${READ_MODELS}.damaged`))).toBe(true);
      await expectAnswersAsBefore(ledger);
      await request(ledger.app.getHttpServer()).get('/health/ready').expect(200);
    } finally {
      await ledger.stop();
    }
  }, 120_000);

  it('while running: damage met by a query or the projector is healed without a restart, and no crash loop', async () => {
    const ledger = await TestLedger.start(undefined, 'SQLite', dataDir);
    try {
      await ledger.projected();
      // Another connection moves everything from the write-ahead log into the file, so the damage is what reads meet.
      const other = new Database(join(dataDir, READ_MODELS));
      other.pragma('wal_checkpoint(TRUNCATE)');
      other.close();
      scribbleAcross(join(dataDir, READ_MODELS));

      const statuses = new Set<number>();
      for (const customerId of customers) {
        const answer = await ownership(ledger, customerId);
        statuses.add(answer.status);
        if (answer.status !== 200) expect(answer.body).toMatchObject({ status: 503, code: 'READ_MODELS_UNAVAILABLE' });
      }
      // A command after the damage: the projector writes through the rebuilt file.
      await ledger.command('/partners', { partnerId: 'after-damage', name: 'After', program: 'direct-bill', cloud: 'global' }).expect(201);
      expect(statuses.has(503)).toBe(true);
      await untilHealed(ledger);
      await expectAnswersAsBefore(ledger);
      expect(ledger.app.get(ReadSide).projectorState).toBe('running');
    } finally {
      await ledger.stop();
    }
  }, 120_000);

  it('(d) SIGKILL during a rebuild leaves no scratch file after the next start', async () => {
    const token = 'healing-test-token-0123456789';
    writeFileSync(join(dataDir, 'tokens.json'), JSON.stringify([{ client: 'ops', token, scopes: ['read', 'system'] }]), { mode: 0o600 });
    const env = { LEDGER_DATA_DIR: dataDir, LEDGER_TOKENS_FILE: join(dataDir, 'tokens.json') };
    const scratchFiles = () => readdirSync(dataDir).filter((name) => name.startsWith(`${READ_MODELS}.rebuild`));
    let ledger = await LedgerProcess.start(env);
    try {
      const started = await fetch(`${ledger.baseUrl}/admin/read-models/rebuild`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expect(started.status).toBe(202);
      while (scratchFiles().length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      await ledger.kill();
      expect(scratchFiles().length).toBeGreaterThan(0);

      ledger = await LedgerProcess.start(env);
      expect(scratchFiles()).toEqual([]);
      const answer = await fetch(`${ledger.baseUrl}/customers/${customers[0]}/ownership`, { headers: { Authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
    } finally {
      await ledger.kill();
    }
  }, 120_000);
});
