import { describeRefusalLogContract } from '../testing/refusal-log.contract';
import { eventStoreDbForTests, eventStoreDbTargetName, stopEventStoreDbForTests } from '../../../../test/support/eventstoredb/target';
import { EventStoreDbRefusalLog } from './eventstoredb-refusal-log';

afterAll(stopEventStoreDbForTests);

describeRefusalLogContract(`EventStoreDB (${eventStoreDbTargetName()})`, async () => {
  const refusals = new EventStoreDbRefusalLog((await eventStoreDbForTests()).connectionString);
  return { refusals, dispose: () => refusals.close() };
});
