import { describeRefusalLogContract } from '../testing/refusal-log.contract';
import { eventStoreDbForTests, eventStoreDbTargetName, stopEventStoreDbForTests } from '../../../../test/support/eventstoredb/target';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { EventStoreDbRefusalLog } from './eventstoredb-refusal-log';

afterAll(stopEventStoreDbForTests);

describeRefusalLogContract(`EventStoreDB (${eventStoreDbTargetName()})`, async () => {
  const store = new EventStoreDbEventStore({ connection: (await eventStoreDbForTests()).connectionString });
  const refusals = new EventStoreDbRefusalLog(store);
  return {
    refusals,
    dispose: async () => {
      await refusals.close();
      await store.close();
    },
  };
});
