import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { Database } from './driver';
import { chainEvents, verifyLog } from '../hash-chain';
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
    expect((reopened as unknown as { db: BetterSqlite3.Database }).db.pragma('synchronous', { simple: true })).toBe(2);
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

  it('keeps each event as the exact bytes its hash covers, and metadata others add outside them', async () => {
    const file = join(dir.dir, 'events.sqlite');
    const store = new SqliteEventStore({ file });
    const [chained] = chainEvents('s', undefined, [{ ...event(), data: { b: 1, a: 'ü' }, metadata: { actor: 'x', $traceId: 't-1' } }]);
    await store.appendToStream('s', [chained], { expectedRevision: 'no-stream' });
    const db = new Database(file);
    const row = db.prepare('SELECT hashed, hash, extra FROM events').get() as { hashed: string; hash: string; extra: string };
    expect(row.hashed).toBe('{"data":{"a":"ü","b":1},"metadata":{"actor":"x","previousHash":null},"revision":"0","schemaVersion":1,"stream":"s","type":"ThingHappened"}');
    expect(row).toMatchObject({ hash: chained.metadata.hash, extra: '{"$traceId":"t-1"}' });
    // Trace ids added later (as an EventStoreDB client's instrumentation does) are no part of the hash; the ledger's own metadata is.
    db.prepare(`UPDATE events SET extra = '{"$traceId":"t-2","$spanId":"s-1"}'`).run();
    expect((await store.readStream('s'))[0].metadata).toEqual({ actor: 'x', previousHash: null, hash: chained.metadata.hash, $traceId: 't-2', $spanId: 's-1' });
    expect((await verifyLog(store)).brokenLink).toBeUndefined();
    db.prepare(`UPDATE events SET hashed = replace(hashed, '"actor":"x"', '"actor":"y"')`).run();
    expect((await verifyLog(store)).brokenLink).toMatchObject({ reason: expect.stringMatching(/altered/) });
    db.close();
    await store.close();
  });

  it('migrates a log of the first format (data and metadata columns) once, keeping positions, hashes, and any alteration', async () => {
    const file = join(dir.dir, 'events.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
      revision INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream, revision))`);
    const insert = db.prepare('INSERT INTO events (position, event_id, stream, revision, type, schema_version, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const a = chainEvents('a', undefined, [event(), event(), event()]);
    const b = chainEvents('b', undefined, [{ ...event(), data: { n: 1 } }]);
    [...a.map((e, i) => ['a', i, e] as const), ['b', 0, b[0]] as const].forEach(([stream, revision, e], i) => {
      insert.run((i + 1) * 10, e.id, stream, revision, e.type, e.schemaVersion, JSON.stringify(e.data), JSON.stringify(e.metadata));
    });
    db.close();

    const store = new SqliteEventStore({ file });
    const events = await store.readAll({ maxCount: 10 });
    expect(events.map((e) => [e.stream, e.revision, e.position.commit, e.metadata.hash])).toEqual([
      ['a', 0n, 10n, a[0].metadata.hash], ['a', 1n, 20n, a[1].metadata.hash], ['a', 2n, 30n, a[2].metadata.hash], ['b', 0n, 40n, b[0].metadata.hash],
    ]);
    expect(events[3].data).toEqual({ n: 1 });
    expect((await verifyLog(store)).brokenLink).toBeUndefined();
    const next = await store.appendToStream('b', chainEvents('b', { revision: 0n, hash: String(b[0].metadata.hash) }, [event()]), { expectedRevision: 0n });
    expect(next.position.commit).toBe(41n);
    await store.close();
    const reopened = new SqliteEventStore({ file });
    expect(await reopened.readAll({ maxCount: 10 })).toHaveLength(5);
    await reopened.close();

    // An event altered before the migration keeps failing after it: its recorded hash is kept, not recomputed.
    const tampered = join(dir.dir, 'tampered.sqlite');
    const old = new Database(tampered);
    old.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
      revision INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream, revision))`);
    old.prepare('INSERT INTO events (event_id, stream, revision, type, schema_version, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(b[0].id, 'b', 0, b[0].type, 1, JSON.stringify({ n: 2 }), JSON.stringify(b[0].metadata));
    old.close();
    const migrated = new SqliteEventStore({ file: tampered });
    expect((await verifyLog(migrated)).brokenLink).toMatchObject({ stream: 'b', reason: expect.stringMatching(/altered/) });
    await migrated.close();
  });
});
