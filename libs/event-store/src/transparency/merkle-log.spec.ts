import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ChainedEventStore } from '../chained-event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle';
import { leafData, MerkleLog, MerkleLogMismatchError } from './merkle-log';

describe('the Merkle log over the event store', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-merkle-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    const chained = new ChainedEventStore(store);
    for (let i = 0; i < 37; i += 1) {
      const stream = `customer-c${i % 5}`;
      const revision = BigInt(Math.floor(i / 5));
      await chained.appendToStream(stream, [{ id: randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: { i }, metadata: {} }],
        { expectedRevision: revision === 0n ? 'no-stream' : revision - 1n });
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has one leaf per event in log order, and proves each against the tree heads of two sizes', async () => {
    const log = new MerkleLog(join(dir, 'merkle.sqlite'));
    expect(await log.catchUp(store, 8)).toBe(37);
    const events = await store.readAll({ maxCount: 100 });
    for (const size of [20, 37]) {
      const root = log.root(size);
      for (let index = 0; index < size; index += 1) {
        const leaf = log.leafAt(index);
        expect(leaf).toMatchObject({ eventId: events[index].id, stream: events[index].stream, revision: events[index].revision });
        const proof = log.inclusionProof(index, size);
        expect(verifyInclusion(leafHash(leafData(leaf!)), index, size, proof, root)).toBe(true);
      }
    }
    expect(verifyConsistency(20, 37, log.root(20), log.root(37), log.consistencyProof(20, 37))).toBe(true);
    log.close();
  });

  it('resumes where it stopped: a reopened tree grows to the same heads as one built at once', async () => {
    const first = new MerkleLog(join(dir, 'resumed.sqlite'));
    await first.catchUp(store, 8);
    const chained = new ChainedEventStore(store);
    await chained.appendToStream('customer-new', [{ id: randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: {}, metadata: {} }],
      { expectedRevision: 'no-stream' });
    first.close();
    const reopened = new MerkleLog(join(dir, 'resumed.sqlite'));
    expect(reopened.size).toBe(37);
    expect(await reopened.catchUp(store)).toBe(38);
    const whole = new MerkleLog(join(dir, 'whole.sqlite'));
    await whole.catchUp(store, 1000);
    for (const size of [1, 2, 36, 37, 38]) expect(reopened.root(size).equals(whole.root(size))).toBe(true);
    expect(() => reopened.root(39)).toThrow(RangeError);
    reopened.close();
    whole.close();
  });

  it('refuses to extend a tree whose last leaf the log no longer holds (another log, or a rewritten one)', async () => {
    const tree = new MerkleLog(join(dir, 'elsewhere.sqlite'));
    await tree.catchUp(store);
    tree.close();
    const otherDir = mkdtempSync(join(tmpdir(), 'ledger-merkle-other-'));
    const other = new SqliteEventStore({ file: join(otherDir, 'events.sqlite') });
    await new ChainedEventStore(other).appendToStream('customer-c0', [{ id: randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: {}, metadata: {} }],
      { expectedRevision: 'no-stream' });
    const reopened = new MerkleLog(join(dir, 'elsewhere.sqlite'));
    await expect(reopened.catchUp(other)).rejects.toBeInstanceOf(MerkleLogMismatchError);
    expect(reopened.size).toBe(37);
    reopened.close();
    await other.close();
    rmSync(otherDir, { recursive: true, force: true });
  });
});
