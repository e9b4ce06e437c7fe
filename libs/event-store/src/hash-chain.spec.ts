import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from './sqlite/driver';
import { randomUUID } from 'node:crypto';
import type { EventToAppend, RecordedEvent } from './event-store.port';
import { ChainVerifier, chainEvents, digestOfHeads, eventHash, verifyLog } from './hash-chain';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { verifyStoredLog } from './sqlite/verify-stored';

const events = (n: number, tag = 'x'): EventToAppend[] => Array.from({ length: n }, (_, i) => ({
  id: randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: { i, tag, note: 'ünïcode' }, metadata: { commandId: `c${i}` },
}));

function recorded(stream: string, chained: EventToAppend[], from = 0): RecordedEvent[] {
  return chained.map((e, i) => ({ ...e, stream, revision: BigInt(from + i), position: { commit: BigInt(from + i), prepare: BigInt(from + i) } }));
}

describe('hash chain', () => {
  it('chains each event to the one before it, the same way every time', () => {
    const source = events(3);
    const chained = chainEvents('s', undefined, source);
    expect(chained[0].metadata.previousHash).toBeNull();
    expect(chained[1].metadata.previousHash).toBe(chained[0].metadata.hash);
    expect(chained[2].metadata.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainEvents('s', undefined, source)).toEqual(chained);
    const more = chainEvents('s', { revision: 2n, hash: String(chained[2].metadata.hash) }, events(1));
    expect(more[0].metadata.previousHash).toBe(chained[2].metadata.hash);
  });

  it('hashes the canonical form: key order does not matter, content does', () => {
    const a = { type: 'T', schemaVersion: 1, data: { x: 1, y: 2 }, metadata: { b: 1, a: 2 } };
    const b = { type: 'T', schemaVersion: 1, data: { y: 2, x: 1 }, metadata: { a: 2, b: 1 } };
    expect(eventHash('s', 0n, a, null)).toBe(eventHash('s', 0n, b, null));
    expect(eventHash('s', 0n, { ...a, data: { x: 1, y: 3 } }, null)).not.toBe(eventHash('s', 0n, a, null));
    expect(eventHash('s', 1n, a, null)).not.toBe(eventHash('s', 0n, a, null));
  });

  it('verifies an intact chain, and names the first altered, removed or re-pointed event', () => {
    const log = recorded('s', chainEvents('s', undefined, events(4)));
    const intact = new ChainVerifier();
    expect(log.every((e) => intact.check(e))).toBe(true);

    const altered = new ChainVerifier();
    log.map((e, i) => (i === 2 ? { ...e, data: { ...(e.data as object), i: 99 } } : e)).forEach((e) => altered.check(e));
    expect(altered.firstBrokenLink).toMatchObject({ stream: 's', revision: 2n, reason: expect.stringMatching(/altered/) });

    const removed = new ChainVerifier();
    log.filter((_, i) => i !== 1).forEach((e) => removed.check(e));
    expect(removed.firstBrokenLink).toMatchObject({ revision: 2n, reason: expect.stringMatching(/missing/) });
  });

  it('digests the streams’ heads: the same log gives the same digest, one more event another', () => {
    const heads = new Map([['b', { revision: 1n, hash: 'h2' }], ['a', { revision: 0n, hash: 'h1' }]]);
    expect(digestOfHeads(heads)).toBe(digestOfHeads(new Map([...heads].reverse())));
    expect(digestOfHeads(new Map([...heads, ['a', { revision: 1n, hash: 'h3' }]]))).not.toBe(digestOfHeads(heads));
  });

  describe('over a SQLite file', () => {
    let dir: string;
    let file: string;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ledger-chain-'));
      file = join(dir, 'events.sqlite');
      const store = new SqliteEventStore({ file });
      for (const stream of ['customer-a', 'customer-b']) {
        const first = chainEvents(stream, undefined, events(3, stream));
        await store.appendToStream(stream, first, { expectedRevision: 'no-stream' });
        await store.appendToStream(stream, chainEvents(stream, { revision: 2n, hash: String(first[2].metadata.hash) }, events(2, stream)),
          { expectedRevision: 2n });
      }
      await store.close();
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Verifies through the port, event by event, and as stored across worker threads: both must say the same. */
    const verify = async () => {
      const store = new SqliteEventStore({ file });
      const report = await verifyLog(store);
      await store.close();
      expect(await verifyStoredLog(file, { workers: 2 })).toEqual(report);
      return report;
    };

    it('reports an intact log and its digest', async () => {
      const report = await verify();
      expect(report).toMatchObject({ eventsChecked: 10, streams: 2, brokenLink: undefined });
      expect((await verify()).digest).toBe(report.digest);
    });

    it('finds one byte changed in one stored event, and names it', async () => {
      const db = new Database(file);
      db.prepare("UPDATE events SET hashed = replace(hashed, 'customer-b', 'customer-c') WHERE stream = 'customer-b' AND revision = 3").run();
      db.close();
      expect((await verify()).brokenLink).toMatchObject({ stream: 'customer-b', revision: 3n, reason: expect.stringMatching(/altered/) });
    });

    it('finds an event deleted from the file', async () => {
      const db = new Database(file);
      db.prepare("DELETE FROM events WHERE stream = 'customer-a' AND revision = 1").run();
      db.close();
      expect((await verify()).brokenLink).toMatchObject({ stream: 'customer-a', revision: 2n, reason: expect.stringMatching(/missing/) });
    });

    it('finds an event moved to another stream, though its stored bytes are untouched', async () => {
      const db = new Database(file);
      db.prepare("UPDATE events SET stream = 'customer-c' WHERE stream = 'customer-b' AND revision = 4").run();
      db.close();
      expect((await verify()).brokenLink).toMatchObject({ stream: 'customer-c', revision: 4n, reason: expect.stringMatching(/missing/) });
    });

    it('holds each decision to the streams it read as they stood at its place in the log, and names one made on a stale read', async () => {
      const store = new SqliteEventStore({ file });
      const decided = (reads: Record<string, string> | undefined, data: unknown = {}): EventToAppend =>
        ({ id: randomUUID(), type: 'ThingDecided', schemaVersion: 1, data, metadata: reads ? { commandId: randomUUID(), reads } : { commandId: randomUUID() } });
      // Appended as the store would never take them (it checks reads it is given): here they are only recorded.
      const chained = chainEvents('customer-c', undefined, [
        decided({ 'customer-a': '4', 'partner-x': '-1' }),
        decided({ 'customer-a': '2', 'customer-b': '4' }, { note: 'its data mentions "reads":{ too' }),
        decided({}, { text: '"reads":{"customer-a":"0"}' }),
        decided(undefined, { reads: { 'customer-a': '0' } }),
        { ...decided({ 'customer-b': '1' }), metadata: { reads: { 'customer-b': '1' } } },
      ]);
      await store.appendToStream('customer-c', chained, { expectedRevision: 'no-stream' });
      await store.close();

      const report = await verify();
      expect(report.brokenLink).toBeUndefined();
      expect(report.staleReads).toEqual({
        count: 2,
        first: [
          { stream: 'customer-c', revision: 1n, eventId: chained[1].id, read: { stream: 'customer-a', revision: 2n }, actual: 4n },
          { stream: 'customer-c', revision: 4n, eventId: chained[4].id, read: { stream: 'customer-b', revision: 1n }, actual: 4n },
        ],
      });
    });

    it('digests the log as of a position, so an auditor can compare later', async () => {
      const store = new SqliteEventStore({ file });
      const [, , third] = await store.readAll({ maxCount: 3 });
      const asOfThird = await verifyLog(store, { upTo: third.position });
      await store.close();
      expect(await verifyStoredLog(file, { upTo: third.position, workers: 2 })).toEqual(asOfThird);
      expect(asOfThird.eventsChecked).toBe(3);
      expect(asOfThird.digest).not.toBe((await verify()).digest);
    });
  });
});
