import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ChainedEventStore } from './chained-event-store';
import { type EventToAppend, WrongExpectedRevisionError } from './event-store.port';
import { verifyLog } from './hash-chain';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

const events = (n: number): EventToAppend[] => Array.from({ length: n }, (_, i) => ({
  id: randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: { i }, metadata: { commandId: `c${i}` },
}));

describe('the chaining event store', () => {
  let dir: string;
  let inner: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-chained-'));
    inner = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await inner.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chains every append to its stream’s last event, also when another writer appended in between', async () => {
    const one = new ChainedEventStore(inner);
    const other = new ChainedEventStore(inner);
    await one.appendToStream('s', events(2), { expectedRevision: 'no-stream' });
    await other.appendToStream('s', events(1), { expectedRevision: 1n }); // `other` has never seen s: it reads revision 1
    await one.appendToStream('s', events(3), { expectedRevision: 2n }); // `one` remembers revision 1 only: it reads revision 2
    await one.appendToStream('t', events(1), { expectedRevision: 'no-stream' });

    const report = await verifyLog(inner);
    expect(report).toMatchObject({ eventsChecked: 7, streams: 2, brokenLink: undefined });
    const stored = await inner.readStream('s');
    expect(stored[3].metadata.previousHash).toBe(stored[2].metadata.hash);
  });

  it('refuses an append that does not say which revision it follows, and appends nothing', async () => {
    const chained = new ChainedEventStore(inner);
    await chained.appendToStream('s', events(1), { expectedRevision: 'no-stream' });
    await expect(chained.appendToStream('s', events(1), { expectedRevision: 'any' })).rejects.toThrow(/names the revision it follows/);
    await expect(chained.appendToStream('s', events(1), { expectedRevision: 'stream-exists' })).rejects.toThrow(TypeError);
    expect(await inner.readStream('s')).toHaveLength(1);
  });

  it('refuses an append after a revision the stream has not reached, naming the revision it is at', async () => {
    const chained = new ChainedEventStore(inner);
    await chained.appendToStream('s', events(2), { expectedRevision: 'no-stream' });
    const refused = chained.appendToStream('s', events(1), { expectedRevision: 5n });
    await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(refused).rejects.toMatchObject({ actual: 1n });
    expect(await inner.readStream('s')).toHaveLength(2);
  });

  it('gives a retried append the same hashes, so the store takes it as the retry it is', async () => {
    const chained = new ChainedEventStore(inner);
    const batch = events(2);
    const first = await chained.appendToStream('s', batch, { expectedRevision: 'no-stream' });
    const retry = await new ChainedEventStore(inner).appendToStream('s', batch, { expectedRevision: 'no-stream' });
    expect(retry).toMatchObject({ nextRevision: first.nextRevision, alreadyAppended: true });
  });
});
