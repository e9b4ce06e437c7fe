import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  StaleReadError,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { comparePositions, type Position } from '../position';

export interface ContractSubject {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/** A stream name no other test (nor another run against the same server) uses. */
function uniqueStream(label: string): string {
  return `contract_${label}-${randomUUID()}`;
}

function eventsOf(count: number, type = 'ThingHappened'): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data: { index: i, note: 'ünïcode ✓', nested: { list: [1, 2, 3] } },
    metadata: { commandId: `cmd-${i}`, actor: { kind: 'operator', id: 'contract' } },
  }));
}

async function collect(
  store: EventStore,
  after: Position | undefined,
  streams: ReadonlySet<string>,
  expected: number,
): Promise<RecordedEvent[]> {
  const subscription = store.subscribeToAll({ after });
  const seen: RecordedEvent[] = [];
  for await (const event of subscription) {
    if (streams.has(event.stream)) seen.push(event);
    if (seen.length >= expected) break;
  }
  await subscription.close();
  return seen;
}

/**
 * The behaviour every adapter of the event store port must show. Each adapter's spec calls this with a
 * factory for a fresh store; tests use their own streams, so a shared server works as well as a fresh file.
 */
export function describeEventStoreContract(adapter: string, open: () => Promise<ContractSubject>): void {
  describe(`event store contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    describe('appending and reading a stream', () => {
      it('reads back the appended events in order, with revisions from 0 and rising positions', async () => {
        const stream = uniqueStream('read');
        const events = eventsOf(3);
        const result = await store.appendToStream(stream, events, { expectedRevision: 'no-stream' });
        const read = await store.readStream(stream);

        expect(result.nextRevision).toBe(2n);
        expect(read.map((e) => [e.id, e.type, e.stream, e.revision])).toEqual(events.map((e, i) => [e.id, e.type, stream, BigInt(i)]));
        expect(read.map((e) => e.data)).toEqual(events.map((e) => e.data));
        expect(read.map((e) => e.metadata)).toEqual(events.map((e) => e.metadata));
        expect(read[0].schemaVersion).toBe(1);
        expect(comparePositions(read[0].position, read[1].position)).toBeLessThan(0);
        expect(comparePositions(read[2].position, result.position)).toBe(0);
      });

      it('reads a stream that has no events as empty', async () => {
        await expect(store.readStream(uniqueStream('missing'))).resolves.toEqual([]);
      });

      it('reads a stream from a revision', async () => {
        const stream = uniqueStream('from');
        await store.appendToStream(stream, eventsOf(4), { expectedRevision: 'no-stream' });
        const read = await store.readStream(stream, { fromRevision: 2n });
        expect(read.map((e) => e.revision)).toEqual([2n, 3n]);
      });
    });

    describe('expected revisions', () => {
      it('appends at the exact revision and refuses a stale one', async () => {
        const stream = uniqueStream('exact');
        await store.appendToStream(stream, eventsOf(2), { expectedRevision: 'no-stream' });
        await expect(store.appendToStream(stream, eventsOf(1), { expectedRevision: 1n })).resolves.toMatchObject({ nextRevision: 2n });

        const stale = store.appendToStream(stream, eventsOf(1), { expectedRevision: 1n });
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(stale).rejects.toMatchObject({ stream, actual: 2n });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('refuses no-stream for a stream that has events', async () => {
        const stream = uniqueStream('exists');
        await store.appendToStream(stream, eventsOf(1), { expectedRevision: 'no-stream' });
        await expect(store.appendToStream(stream, eventsOf(1), { expectedRevision: 'no-stream' }))
          .rejects.toBeInstanceOf(WrongExpectedRevisionError);
      });

      it('refuses stream-exists for a stream with no events, and accepts it once there are some', async () => {
        const stream = uniqueStream('must-exist');
        await expect(store.appendToStream(stream, eventsOf(1), { expectedRevision: 'stream-exists' }))
          .rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.appendToStream(stream, eventsOf(1), { expectedRevision: 'any' });
        await expect(store.appendToStream(stream, eventsOf(1), { expectedRevision: 'stream-exists' }))
          .resolves.toMatchObject({ nextRevision: 1n });
      });

      it('lets one of two concurrent appends at the same revision win; the other gets a concurrency error', async () => {
        const stream = uniqueStream('race');
        await store.appendToStream(stream, eventsOf(1), { expectedRevision: 'no-stream' });
        const [first, second] = [eventsOf(2), eventsOf(2)];
        const outcomes = await Promise.allSettled([
          store.appendToStream(stream, first, { expectedRevision: 0n }),
          store.appendToStream(stream, second, { expectedRevision: 0n }),
        ]);

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        const winner = outcomes[0].status === 'fulfilled' ? first : second;
        expect((await store.readStream(stream)).slice(1).map((e) => e.id)).toEqual(winner.map((e) => e.id));
      });
    });

    describe('streams a decision read', () => {
      it('appends while each stream read is still at the revision read (-1: it had no events)', async () => {
        const [read, unborn, target] = [uniqueStream('read'), uniqueStream('unborn'), uniqueStream('target')];
        await store.appendToStream(read, eventsOf(2), { expectedRevision: 'no-stream' });
        const appended = await store.appendToStream(target, eventsOf(1), {
          expectedRevision: 'no-stream', reads: [{ stream: read, revision: 1n }, { stream: unborn, revision: -1n }],
        });
        expect(appended.nextRevision).toBe(0n);
        expect(await store.readStream(target)).toHaveLength(1);
      });

      it('refuses an append when a stream read has moved on (or is behind the revision read), naming it, and appends nothing', async () => {
        const [read, target] = [uniqueStream('moved'), uniqueStream('target')];
        await store.appendToStream(read, eventsOf(1), { expectedRevision: 'no-stream' });
        await store.appendToStream(read, eventsOf(1), { expectedRevision: 0n });

        const stale = store.appendToStream(target, eventsOf(1), { expectedRevision: 'no-stream', reads: [{ stream: read, revision: 0n }] });
        await expect(stale).rejects.toBeInstanceOf(StaleReadError);
        await expect(stale).rejects.toMatchObject({ stream: read, read: 0n, actual: 1n });
        await expect(store.appendToStream(target, eventsOf(1), { expectedRevision: 'no-stream', reads: [{ stream: read, revision: 5n }] }))
          .rejects.toMatchObject({ stream: read, actual: 1n });
        await expect(store.appendToStream(target, eventsOf(1), { expectedRevision: 'no-stream', reads: [{ stream: uniqueStream('none'), revision: 0n }] }))
          .rejects.toMatchObject({ actual: -1n });
        expect(await store.readStream(target)).toEqual([]);
      });

      it('answers a retried append as the first time even after a stream its decision read moved on', async () => {
        const [read, target] = [uniqueStream('read'), uniqueStream('target')];
        await store.appendToStream(read, eventsOf(1), { expectedRevision: 'no-stream' });
        const events = eventsOf(1);
        const first = await store.appendToStream(target, events, { expectedRevision: 'no-stream', reads: [{ stream: read, revision: 0n }] });
        await store.appendToStream(read, eventsOf(1), { expectedRevision: 0n });

        const retry = await store.appendToStream(target, events, { expectedRevision: 'no-stream', reads: [{ stream: read, revision: 0n }] });
        expect(comparePositions(retry.position, first.position)).toBe(0);
        expect(await store.readStream(target)).toHaveLength(1);
      });
    });

    describe('idempotency', () => {
      it('applies a retried append with the same event ids once and answers as the first time', async () => {
        const stream = uniqueStream('retry');
        const events = eventsOf(2);
        const first = await store.appendToStream(stream, events, { expectedRevision: 'no-stream' });
        const retry = await store.appendToStream(stream, events, { expectedRevision: 'no-stream' });

        expect(retry.nextRevision).toBe(first.nextRevision);
        expect(comparePositions(retry.position, first.position)).toBe(0);
        expect(first.alreadyAppended).toBeFalsy();
        expect(retry.alreadyAppended ?? true).toBe(true);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('applies concurrent retries of one append once', async () => {
        const stream = uniqueStream('retry-race');
        const events = eventsOf(2);
        const outcomes = await Promise.all([1, 2, 3].map(() => store.appendToStream(stream, events, { expectedRevision: 'no-stream' })));
        expect(new Set(outcomes.map((o) => o.nextRevision))).toEqual(new Set([1n]));
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses an event id that already names an event of another stream, and appends nothing there', async () => {
        const events = eventsOf(2);
        const second = uniqueStream('second');
        await store.appendToStream(uniqueStream('first'), events, { expectedRevision: 'any' });
        await expect(store.appendToStream(second, events, { expectedRevision: 'any' })).rejects.toBeInstanceOf(DuplicateEventIdError);
        await expect(store.appendToStream(second, events, { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(second)).toEqual([]);
      });
    });

    describe('the global log', () => {
      it('reads events after a position, in order, a page at a time, and moves its head', async () => {
        const before = await store.headPosition();
        const stream = uniqueStream('all');
        const appended = await store.appendToStream(stream, eventsOf(5), { expectedRevision: 'no-stream' });
        const page = await store.readAll({ after: before, maxCount: 3 });
        const rest = await store.readAll({ after: page[page.length - 1].position, maxCount: 100 });
        const ours = [...page, ...rest].filter((e) => e.stream === stream);

        expect(page).toHaveLength(3);
        expect(ours.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        const head = await store.headPosition();
        expect(head && comparePositions(head, appended.position)).toBeGreaterThanOrEqual(0);
        if (before) expect(comparePositions(page[0].position, before)).toBeGreaterThan(0);
      });

      it('counts the events after a position', async () => {
        const before = await store.headPosition();
        const countBefore = await store.countEventsAfter(before);
        await store.appendToStream(uniqueStream('count'), eventsOf(3), { expectedRevision: 'no-stream' });
        expect(countBefore).toBe(0);
        expect(await store.countEventsAfter(before)).toBeGreaterThanOrEqual(3);
        expect(await store.countEventsAfter(await store.headPosition())).toBe(0);
        expect(await store.countEventsAfter()).toBeGreaterThanOrEqual(3);
      });

      it('has no head before the first event of a fresh log, or a head before any later append', async () => {
        const head = await store.headPosition();
        const appended = await store.appendToStream(uniqueStream('head'), eventsOf(1), { expectedRevision: 'any' });
        expect(head === undefined || comparePositions(head, appended.position) < 0).toBe(true);
      });

      it('names its last event: the one appended last, at the head', async () => {
        const stream = uniqueStream('last');
        const events = eventsOf(2);
        await store.appendToStream(stream, events, { expectedRevision: 'no-stream' });
        const last = await store.lastEvent();
        expect(last).toMatchObject({ id: events[1].id, stream, revision: 1n, data: events[1].data });
        expect(comparePositions(last!.position, (await store.headPosition())!)).toBe(0);
      });
    });

    describe('subscriptions', () => {
      it('delivers every event exactly once and in order while appends run concurrently', async () => {
        const before = await store.headPosition();
        const writers = 6;
        const appendsPerWriter = 20;
        const streams = Array.from({ length: writers }, (_, i) => uniqueStream(`sub${i}`));
        const shared = uniqueStream('shared');
        const expected = writers * appendsPerWriter * 2;
        const received = collect(store, before, new Set([...streams, shared]), expected);

        await Promise.all(streams.map(async (stream) => {
          for (let i = 0; i < appendsPerWriter; i += 1) {
            await store.appendToStream(stream, eventsOf(1), { expectedRevision: i === 0 ? 'no-stream' : BigInt(i - 1) });
            await store.appendToStream(shared, eventsOf(1), { expectedRevision: 'any' });
          }
        }));
        const seen = await received;

        expect(seen).toHaveLength(expected);
        expect(new Set(seen.map((e) => e.id)).size).toBe(expected);
        for (let i = 1; i < seen.length; i += 1) {
          expect(comparePositions(seen[i - 1].position, seen[i].position)).toBeLessThan(0);
        }
        for (const stream of streams) {
          expect(seen.filter((e) => e.stream === stream).map((e) => e.revision))
            .toEqual(Array.from({ length: appendsPerWriter }, (_, i) => BigInt(i)));
        }
      });

      it('starts after the position it is given', async () => {
        const stream = uniqueStream('resume');
        await store.appendToStream(stream, eventsOf(2), { expectedRevision: 'no-stream' });
        const [, second] = await store.readStream(stream);
        await store.appendToStream(stream, eventsOf(1), { expectedRevision: 1n });

        const seen = await collect(store, second.position, new Set([stream]), 1);
        expect(seen.map((e) => e.revision)).toEqual([2n]);
      });
    });
  });
}
