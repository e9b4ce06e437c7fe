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
}, { uniqueEventIdsAcrossStreams: false });

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
  }, { uniqueEventIdsAcrossStreams: false });
}

describe('EventStoreDB adapter without a server', () => {
  // A real client against a loopback port where nothing listens: the outage path, runnable anywhere.
  const store = new EventStoreDbEventStore({
    connection: 'esdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1&discoveryInterval=10&gossipTimeout=1',
    appendAttempts: 2,
    backoff: { initialDelayMs: 5, maxDelayMs: 5, factor: 1 },
  });

  afterAll(() => store.close());

  it('answers an append it could not make with the port’s unavailable error, after retrying', async () => {
    const event = { id: '0b8f5c8e-2f0e-4c1d-9d7e-5c3b2a1f0e9d', type: 'T', schemaVersion: 1, data: {}, metadata: {} };
    await expect(store.appendToStream('customer-x', [event], { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });
});
