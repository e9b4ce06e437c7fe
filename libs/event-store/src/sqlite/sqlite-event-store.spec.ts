import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

function temporaryDirectory(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describeEventStoreContract('SQLite', async () => {
  const { dir, remove } = temporaryDirectory();
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
  return {
    store,
    async dispose() {
      await store.close();
      remove();
    },
  };
});

describe('SQLite event store', () => {
  let dir: ReturnType<typeof temporaryDirectory>;
  beforeEach(() => {
    dir = temporaryDirectory();
  });
  afterEach(() => dir.remove());

  const event = () => ({ id: randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: {}, metadata: {} });

  it('runs in WAL mode with synchronous=FULL', async () => {
    const file = join(dir.dir, 'events.sqlite');
    const store = new SqliteEventStore({ file });
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();
    db.close();
    const reopened = new SqliteEventStore({ file });
    // synchronous is a per-connection setting: read it through the store's own connection.
    expect((reopened as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(2);
    await reopened.close();
  });

  it('makes concurrent appends share commits', async () => {
    const store = new SqliteEventStore({ file: join(dir.dir, 'events.sqlite') });
    await Promise.all(Array.from({ length: 100 }, (_, i) => store.appendToStream(`s-${i}`, [event()], { expectedRevision: 'no-stream' })));
    expect(store.stats.appends).toBe(100);
    expect(store.stats.commits).toBeLessThan(10);
    await store.close();
  });

  it('keeps its events across a reopen and goes on numbering positions after them', async () => {
    const file = join(dir.dir, 'events.sqlite');
    const first = new SqliteEventStore({ file });
    const appended = await first.appendToStream('s', [event(), event()], { expectedRevision: 'no-stream' });
    await first.close();

    const second = new SqliteEventStore({ file });
    expect(await second.readStream('s')).toHaveLength(2);
    const next = await second.appendToStream('s', [event()], { expectedRevision: 1n });
    expect(next.position.commit).toBe(appended.position.commit + 1n);
    await second.close();
  });

  it('refuses appends after it is closed', async () => {
    const store = new SqliteEventStore({ file: join(dir.dir, 'events.sqlite') });
    await store.close();
    await expect(store.appendToStream('s', [event()], { expectedRevision: 'any' })).rejects.toThrow(/closed/);
  });
});
