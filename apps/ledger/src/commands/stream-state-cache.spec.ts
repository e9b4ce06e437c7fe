import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventToAppend, type RecordedEvent, SqliteEventStore } from '@ledger/event-store';
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
    expect(commands.appliedBy('a', 'k').map((e) => e.revision)).toEqual([0n, 1n]);
    expect(commands.appliedBy('b', 'k')).toEqual([]);
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
});
