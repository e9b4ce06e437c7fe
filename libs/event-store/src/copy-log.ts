import { type EventStore, type RecordedEvent } from './event-store.port';
import { HASH_KEY } from './hash-chain';
import type { Position } from './position';

/** An event as a copy reads it from its source (an export's line, or another store): everything but its position. */
export type EventToCopy = Omit<RecordedEvent, 'position'>;

/** A copy refused before it changed anything: the message says why. */
export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

export interface CopyReport {
  /** Events appended to the target by this run. */
  readonly copied: number;
  /** Events the target held already from an earlier, interrupted run (skipped, not appended again). */
  readonly resumed: number;
}

/**
 * Copies a log, in its global order, into a target store: every event with its id, stream, revision, type,
 * schema version, data and metadata (its hash and previousHash included, so every chain carries over as it
 * was), appended raw at `revision - 1`. A command's events (one stream, one command id, consecutive) go in
 * one append, as they were written. The target keeps the source's order, so the Merkle tree over it is the
 * same tree.
 *
 * Resumable: a target that holds events must hold a prefix of the source, ending at its last event (the same
 * id, place and chain hash); the copy goes on after it. Anything else is refused before anything is appended.
 */
export async function copyLog(
  source: AsyncIterable<EventToCopy>,
  target: EventStore,
  options: {
    onProgress?: (copied: number) => void;
    /**
     * Appends in flight at once (default 1). More only where the store commits them in the order they were
     * submitted, as SQLite's group commit does; EventStoreDB's client may reorder concurrent appends.
     */
    concurrency?: number;
  } = {},
): Promise<CopyReport> {
  const last = await target.lastEvent();
  const concurrency = options.concurrency ?? 1;
  let resumed = 0;
  let copied = 0;
  let group: EventToCopy[] = [];
  let inFlight: Array<Promise<unknown>> = [];
  const settle = async (): Promise<void> => {
    const outcomes = await Promise.allSettled(inFlight);
    inFlight = [];
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    options.onProgress?.(copied);
  };
  const submit = async (): Promise<void> => {
    if (group.length === 0) return;
    const [first] = group;
    inFlight.push(target.appendToStream(first.stream, group.map(({ id, type, schemaVersion, data, metadata }) => ({ id, type, schemaVersion, data, metadata })),
      { expectedRevision: first.revision === 0n ? 'no-stream' : first.revision - 1n }));
    copied += group.length;
    group = [];
    if (inFlight.length >= concurrency) await settle();
  };
  let skipping = last !== undefined;
  for await (const event of source) {
    if (skipping) {
      resumed += 1;
      if (event.id === last?.id) {
        // The same id is not enough (two ledgers derive ids alike from alike keys): the same place and chain hash.
        if (event.stream !== last.stream || event.revision !== last.revision || event.metadata[HASH_KEY] !== last.metadata[HASH_KEY]) {
          throw new CopyRefused(`the target's last event ${last.id} is not the source's event of that id (${event.stream}, revision ${event.revision}): `
            + 'the target holds another log');
        }
        skipping = false;
      }
      continue;
    }
    const previous = group[group.length - 1];
    const sameAppend = previous && previous.stream === event.stream && previous.revision + 1n === event.revision
      && previous.metadata.commandId === event.metadata.commandId;
    if (!sameAppend) await submit();
    group.push(event);
  }
  await submit();
  await settle();
  if (skipping) {
    throw new CopyRefused(`the target's last event ${last?.id} (${last?.stream}, revision ${last?.revision}) is not in the source: `
      + 'a copy goes into an empty store, or resumes one into a store that holds a part of the same log');
  }
  return { copied, resumed };
}

/** Every event of a store, in its global order, read a page at a time. */
export async function* eventsOf(store: EventStore, pageSize = 2000): AsyncGenerator<RecordedEvent> {
  let after: Position | undefined;
  for (let page = await store.readAll({ maxCount: pageSize }); page.length > 0; page = await store.readAll({ after, maxCount: pageSize })) {
    yield* page;
    after = page[page.length - 1].position;
  }
}
