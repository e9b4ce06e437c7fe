import { describeEventStoreContract } from '../testing/event-store.contract';
import { eventStoreDbAvailability, eventStoreDbForTests } from '../testing/eventstoredb-target';
import { EventStoreUnavailableError } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const availability = eventStoreDbAvailability();

if (availability.available) {
  afterAll(async () => (await eventStoreDbForTests()).stop());
  describeEventStoreContract(`EventStoreDB (${availability.how})`, async () => {
    const { connectionString } = await eventStoreDbForTests();
    const store = new EventStoreDbEventStore({ connection: connectionString, streamPrefixes: ['contract_'] });
    return { store, dispose: () => store.close() };
  }, { uniqueEventIdsAcrossStreams: false });
} else {
  // One line, and the rest of the suite runs as before.
  console.warn(`EventStoreDB contract suite skipped: ${availability.reason}.`);
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
