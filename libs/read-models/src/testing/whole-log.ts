import type { EventStore, RecordedEvent } from '@ledger/event-store';
import { ReadModelStore } from '../read-model-store';

/** Every event of the log, read a page at a time. */
export async function readWholeLog(store: EventStore, pageSize = 1000): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll({ maxCount: pageSize }); page.length > 0;
    page = await store.readAll({ after: page[page.length - 1].position, maxCount: pageSize })) events.push(...page);
  return events;
}

/**
 * The read models built from scratch in one pass over the whole log, in batches that cut it elsewhere than a
 * projector's would (into `file`, closed after), as `ReadModelStore.dump` lists them: what a projector that
 * applied every event once must equal.
 */
export async function cleanRebuildDump(store: EventStore, file: string): Promise<string[]> {
  const clean = new ReadModelStore(file);
  const all = await readWholeLog(store);
  for (let i = 0; i < all.length; i += 777) clean.apply(all.slice(i, i + 777));
  const dump = [...clean.dump()];
  clean.close();
  return dump;
}
