import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ChainedEventStore } from '../chained-event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { createHash } from 'node:crypto';
import { Database } from '../sqlite/driver';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle';
import { leafData, type LeafEntry, MerkleLog, MerkleLogMismatchError } from './merkle-log';
import { checkStreamHeads, compareStreams, StreamHeads } from './stream-heads';

/** RFC 6962's MTH written out once more, straight from the RFC's definition, for the stream-heads tree's root. */
function referenceRoot(leaves: readonly string[]): Buffer {
  const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return sha(Buffer.from([0]), Buffer.from(leaves[0]));
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

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

  it('commits every stream\'s head as of each size, sorted by name, and proves each head or a stream\'s absence', async () => {
    const log = new MerkleLog(join(dir, 'merkle.sqlite'));
    await log.catchUp(store, 8);
    const events = await store.readAll({ maxCount: 100 });
    for (let size = 0; size <= events.length; size += 1) {
      // The heads, worked out from the log itself: each stream's last event among the first `size`.
      const expected = new Map<string, LeafEntry>();
      for (const event of events.slice(0, size)) expected.set(event.stream, { stream: event.stream, revision: event.revision, hash: String(event.metadata.hash) });
      const sorted = [...expected.values()].sort((a, b) => compareStreams(a.stream, b.stream));
      const heads = await log.streamHeads(size);
      expect(heads.map(({ stream, revision, hash }) => ({ stream, revision, hash }))).toEqual(sorted);
      const tree = await StreamHeads.of(heads);
      expect(tree.committed.root.equals(referenceRoot(sorted.map(leafData)))).toBe(true);
      for (const { stream, revision } of sorted) {
        const proof = tree.proof(stream);
        expect(proof.head?.head.revision).toBe(revision);
        expect(checkStreamHeads(stream, proof, tree.committed)).toBeUndefined();
        // The same head claimed for another stream, or the stream claimed absent, is refused.
        expect(checkStreamHeads('customer-c9', proof, tree.committed)).toMatch(/not customer-c9's/);
        expect(checkStreamHeads(stream, { count: proof.count, before: proof.head }, tree.committed)).toBeDefined();
      }
      for (const absent of ['a-first', 'customer-c0a', 'zz-last']) expect(checkStreamHeads(absent, tree.proof(absent), tree.committed)).toBeUndefined();
    }
    log.close();
  });

  it('works out the heads of a tree written before it kept its stream index', async () => {
    const file = join(dir, 'older.sqlite');
    const log = new MerkleLog(file);
    await log.catchUp(store);
    const heads = await log.streamHeads();
    log.close();
    const raw = new Database(file);
    raw.exec('DROP INDEX leaves_by_stream');
    raw.close();
    const reopened = new MerkleLog(file);
    expect(await reopened.streamHeads()).toEqual(heads);
    expect(heads).toHaveLength(5);
    reopened.close();
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
