import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainEvents, type EventToAppend, type RecordedEvent, SqliteEventStore } from '@ledger/event-store';
import { SqliteStateSnapshots } from './state-snapshots';
import { StreamStateCache } from './stream-state-cache';

/** The real SQLite store, counting the events each read hands back. */
class CountingStore extends SqliteEventStore {
  eventsRead = 0;

  override async readStream(stream: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]> {
    const events = await super.readStream(stream, options);
    this.eventsRead += events.length;
    return events;
  }
}

let nextId = 0;
const event = (client: string, commandId: string, n: number): EventToAppend => ({
  id: `00000000-0000-4000-8000-${String((nextId += 1)).padStart(12, '0')}`, type: 'Counted', schemaVersion: 1, data: { n }, metadata: { client, commandId },
});

const counting = { initialState: () => 0, evolve: (sum: number, e: RecordedEvent) => sum + (e.data as { n: number }).n };

describe('the stream state cache', () => {
  let dir: string;
  let store: CountingStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cache-'));
    store = new CountingStore({ file: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the whole stream once, then only what was appended since', async () => {
    await store.appendToStream('s', Array.from({ length: 100 }, (_, i) => event('a', `c${i}`, i + 1)), { expectedRevision: 'no-stream' });
    const cache = new StreamStateCache(store, 10);

    const first = await cache.load('s', counting);
    expect({ revision: first.revision, state: first.state, read: store.eventsRead }).toEqual({ revision: 99n, state: 5050, read: 100 });

    await store.appendToStream('s', [event('b', 'c0', 1000)], { expectedRevision: 99n });
    const second = await cache.load('s', counting);
    expect({ revision: second.revision, state: second.state, read: store.eventsRead }).toEqual({ revision: 100n, state: 6050, read: 101 });
    expect(second.last?.revision).toBe(100n);
  });

  it('finds the events of a client’s command, and keeps clients’ command ids apart', async () => {
    await store.appendToStream('s', [event('a', 'k', 1), event('a', 'k', 2), event('b', 'other', 3)], { expectedRevision: 'no-stream' });
    const { commands } = await new StreamStateCache(store, 10).load('s', counting);
    expect(commands.appliedBy('a', 'k')).toEqual([0n, 1n]);
    expect(commands.appliedBy('b', 'k')).toBeUndefined();
  });

  it('forgets the least recently used streams beyond its bound, and reads them again when asked', async () => {
    for (const stream of ['s1', 's2', 's3']) await store.appendToStream(stream, [event('a', stream, 1)], { expectedRevision: 'no-stream' });
    const cache = new StreamStateCache(store, 2);
    for (const stream of ['s1', 's2', 's3']) await cache.load(stream, counting);
    const before = store.eventsRead;
    await cache.load('s3', counting);
    expect(store.eventsRead).toBe(before);
    await cache.load('s1', counting);
    expect(store.eventsRead).toBe(before + 1);
  });

  describe('with snapshots', () => {
    const chained = (stream: string, from: number, count: number): EventToAppend[] =>
      Array.from({ length: count }, (_, i) => event('a', `c${from + i}`, from + i + 1));
    /** Appends `count` events to `s`, chained by hash like the runner's. */
    async function grow(count: number, chainFrom?: RecordedEvent): Promise<void> {
      const head = chainFrom && { revision: chainFrom.revision, hash: String(chainFrom.metadata.hash) };
      const start = chainFrom ? Number(chainFrom.revision) + 1 : 0;
      await store.appendToStream('s', chainEvents('s', head, chained('s', start, count)), { expectedRevision: chainFrom ? chainFrom.revision : 'no-stream' });
    }

    it('reads a stream it does not hold from its latest snapshot, and finds commands from before it', async () => {
      const snapshots = new SqliteStateSnapshots(join(dir, 'snapshots.sqlite'));
      await grow(2500);
      await new StreamStateCache(store, 10, snapshots, 1000).load('s', counting);
      const last = (await store.readStream('s', { fromRevision: 2499n }))[0];
      await grow(10, last);

      store.eventsRead = 0;
      const restarted = new StreamStateCache(store, 10, snapshots, 1000);
      const loaded = await restarted.load('s', counting);
      // The snapshot was taken at revision 2499; the restarted cache reads that event and the 10 after it.
      expect({ revision: loaded.revision, state: loaded.state, read: store.eventsRead }).toEqual({ revision: 2509n, state: (2510 * 2511) / 2, read: 11 });
      expect(loaded.last?.revision).toBe(2509n);
      expect(loaded.commands.appliedBy('a', 'c7')).toEqual([7n, 7n]);
      expect((await restarted.eventsOf('s', [7n, 7n])).map((e) => e.data)).toEqual([{ n: 8 }]);
      snapshots.close();
    });

    it('folds from the start when the stream no longer holds the event a snapshot was taken after', async () => {
      const snapshots = new SqliteStateSnapshots(join(dir, 'snapshots.sqlite'));
      await grow(1500);
      await new StreamStateCache(store, 10, snapshots, 1000).load('s', counting);
      // Another store (restored from elsewhere) whose stream has other events at the same revisions.
      await store.close();
      rmSync(join(dir, 'events.sqlite'));
      store = new CountingStore({ file: join(dir, 'events.sqlite') });
      await store.appendToStream('s', chainEvents('s', undefined, Array.from({ length: 1500 }, (_, i) => event('b', `d${i}`, 2))),
        { expectedRevision: 'no-stream' });

      const loaded = await new StreamStateCache(store, 10, snapshots, 1000).load('s', counting);
      expect({ revision: loaded.revision, state: loaded.state }).toEqual({ revision: 1499n, state: 3000 });
      expect(loaded.commands.appliedBy('a', 'c0')).toBeUndefined();
      snapshots.close();
    });
  });
});
