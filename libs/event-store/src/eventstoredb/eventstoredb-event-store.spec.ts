import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreUnavailableError } from '../event-store.port';
import { eventStoreDbForTests, eventStoreDbTargetName, stopEventStoreDbForTests } from '../../../../test/support/eventstoredb/target';
import { EventStoreDbTestServer } from '../../../../test/support/eventstoredb/test-server';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

afterAll(stopEventStoreDbForTests);

describeEventStoreContract(`EventStoreDB (${eventStoreDbTargetName()})`, async () => {
  const { connectionString } = await eventStoreDbForTests();
  const store = new EventStoreDbEventStore({ connection: connectionString, streamPrefixes: ['contract_'] });
  return { store, dispose: () => store.close() };
});

if (!process.env.EVENTSTORE_CONNECTION_STRING) {
  // Servers before 21.10 offer no BatchAppend, and the client then appends with Streams.Append: both paths hold.
  let legacy: EventStoreDbTestServer;
  beforeAll(async () => {
    legacy = await EventStoreDbTestServer.start({ batchAppend: false });
  });
  afterAll(() => legacy.stop());

  describeEventStoreContract('EventStoreDB without BatchAppend (the in-process test server)', async () => {
    const store = new EventStoreDbEventStore({ connection: legacy.connectionString, streamPrefixes: ['contract_'] });
    return { store, dispose: () => store.close() };
  });
}

/** Faults only the in-process test server can be told to make. */
describe('EventStoreDB adapter against a node that misbehaves (the in-process test server)', () => {
  const QUICK = { initialDelayMs: 5, maxDelayMs: 20, factor: 2, jitter: 0.5 };
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
    store = new EventStoreDbEventStore({ connection: server.connectionString, backoff: QUICK });
  });

  afterEach(async () => {
    await store.close();
    await server.stop();
  });

  function events(count: number) {
    return Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: { i }, metadata: {} }));
  }

  it('retries an append whose answer was lost after the write, and the server applies it once', async () => {
    const appended = events(3);
    server.faults.failAfterWrite = 1;
    const result = await store.appendToStream('customer-lost-answer', appended, { expectedRevision: 'no-stream' });

    expect(server.faults.failAfterWrite).toBe(0);
    expect(result.nextRevision).toBe(2n);
    expect((await store.readStream('customer-lost-answer')).map((e) => e.id)).toEqual(appended.map((e) => e.id));
  });

  it('follows a node that is not the leader to the leader it names', async () => {
    const leader = await EventStoreDbTestServer.start({ log: server.log });
    try {
      server.faults.notLeader = leader.address;
      await store.appendToStream('customer-led', events(2), { expectedRevision: 'no-stream' });
      expect(leader.log.streamRecords('customer-led')).toHaveLength(2);
      expect(await store.readStream('customer-led')).toHaveLength(2);
    } finally {
      await leader.stop();
    }
  });

  it('gives up on a node that stays unavailable with the port’s unavailable error, and nothing is written', async () => {
    server.faults.unavailable = true;
    await expect(store.appendToStream('customer-away', events(1), { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    server.faults.unavailable = false;
    expect(await store.readStream('customer-away')).toEqual([]);
  });

  it('answers through a slow node, in order', async () => {
    server.faults.delayMs = 30;
    await Promise.all([1, 2, 3].map((n) => store.appendToStream(`customer-slow-${n}`, events(2), { expectedRevision: 'no-stream' })));
    const read = await store.readAll({ maxCount: 10 });
    expect(read.map((e) => e.stream).sort()).toEqual(['customer-slow-1', 'customer-slow-1', 'customer-slow-2', 'customer-slow-2', 'customer-slow-3', 'customer-slow-3']);
  });

  it('reads again once a node that was down when the store was made comes back', async () => {
    await store.close();
    await server.stop();
    store = new EventStoreDbEventStore({ connection: server.connectionString, appendAttempts: 2, backoff: QUICK });
    await expect(store.readStream('customer-later')).rejects.toBeInstanceOf(EventStoreUnavailableError);

    await server.restart();
    await store.appendToStream('customer-later', events(1), { expectedRevision: 'no-stream' });
    expect(await store.readStream('customer-later')).toHaveLength(1);
  });

  it('fails a read that a node does not answer within the deadline with the port’s unavailable error', async () => {
    await store.appendToStream('customer-stalled', events(1), { expectedRevision: 'no-stream' });
    const impatient = new EventStoreDbEventStore({ connection: `${server.connectionString}&defaultDeadline=200`, appendAttempts: 2, backoff: QUICK });
    try {
      server.faults.delayMs = 2_000;
      await expect(impatient.readStream('customer-stalled')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      server.faults.delayMs = 0;
      expect(await impatient.readStream('customer-stalled')).toHaveLength(1);
    } finally {
      await impatient.close();
    }
  });

  it('reads `$all` filtered on the server: other streams never cross the wire', async () => {
    server.log.writeForeign('$stats-127.0.0.1:2113', '$statsCollected', 400);
    await store.appendToStream('partner-p', events(2), { expectedRevision: 'no-stream' });
    server.log.writeForeign('inventory-42', 'StockCounted', 400);
    await store.appendToStream('customer-c', events(3), { expectedRevision: 'no-stream' });
    server.log.writeForeign('$$customer-c', '$metadata', 1);

    const sentBefore = server.eventsSent;
    const read = await store.readAll({ maxCount: 100 });
    const head = await store.headPosition();
    expect(read.map((e) => e.stream)).toEqual(['partner-p', 'partner-p', 'customer-c', 'customer-c', 'customer-c']);
    expect(head).toEqual(read[4].position);
    expect(await store.countEventsAfter(read[1].position)).toBe(3);
    // Five for the read, one for the head, four for the count (it starts at the position, inclusive).
    expect(server.eventsSent - sentBefore).toBe(10);
  });
});

describe('EventStoreDB adapter without a server', () => {
  // A real client against a loopback port where nothing listens: the outage path, runnable anywhere.
  const store = new EventStoreDbEventStore({
    connection: 'kurrentdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=1',
    appendAttempts: 2,
    backoff: { initialDelayMs: 5, maxDelayMs: 5, factor: 1 },
  });

  afterAll(() => store.close());

  it('answers an append it could not make with the port’s unavailable error, after retrying', async () => {
    const event = { id: '0b8f5c8e-2f0e-4c1d-9d7e-5c3b2a1f0e9d', type: 'T', schemaVersion: 1, data: {}, metadata: {} };
    await expect(store.appendToStream('customer-x', [event], { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
