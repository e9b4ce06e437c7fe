import { existsSync, rmSync } from 'node:fs';
import type { EventStore, Position } from '@ledger/event-store';
import { execOffThread } from './off-thread';
import { Projector } from './projector';
import type { Projection } from './projection';
import { LEDGER_PROJECTIONS } from './projections';
import { indexesOf, ReadModelStore } from './read-model-store';

export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) rmSync(file + suffix);
  }
}

/**
 * Builds read models from the start of the log into a new file, in bulk-load mode: the fast path of a
 * rebuild. `beforeFinish` runs once the log is read (a rebuild stops the live projector there and reads
 * what came meanwhile); then the file is closed and its indexes are built on a worker thread (seconds on a
 * long log), ready to be opened as a live store.
 */
export async function buildReadModels(
  events: EventStore,
  file: string,
  options: {
    batchSize?: number; beforeFinish?: () => Promise<void>; upTo?: Position; projections?: readonly Projection[];
    /** Called after each batch with the events projected so far. */
    onProgress?: (events: number) => void;
  } = {},
): Promise<{ events: number; seconds: number }> {
  const started = Date.now();
  removeDatabase(file);
  const store = new ReadModelStore(file, { bulkLoad: true, projections: options.projections });
  let built = false;
  try {
    let projected = 0;
    const onProgress = options.onProgress;
    const builder = new Projector(events, store, {
      batchSize: options.batchSize ?? 1000,
      ...(onProgress && { onBatch: (applied: number) => onProgress(projected += applied) }),
    });
    await builder.catchUp(options.upTo);
    if (options.beforeFinish) {
      await options.beforeFinish();
      await builder.catchUp();
    }
    store.finishBulkLoad();
    const seen = store.checkpoint()?.eventsSeen ?? 0;
    store.close();
    await execOffThread(file, indexesOf(options.projections ?? LEDGER_PROJECTIONS));
    built = true;
    return { events: seen, seconds: (Date.now() - started) / 1000 };
  } finally {
    store.close();
    if (!built) removeDatabase(file);
  }
}
