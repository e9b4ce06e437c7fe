import {
  type AppendOptions,
  type AppendResult,
  EventStore,
  type EventSubscription,
  type EventToAppend,
  type ReadAllOptions,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from './event-store.port';
import { type ChainHead, chainEvents, chainHeadOf, READS_KEY, readsMetadata } from './hash-chain';
import type { Position } from './position';

/**
 * The event-store port with hash chaining built in: every append is chained to its stream's last event on
 * its way to the store, so a writer cannot append an unchained event. A chained append names where it goes:
 * `no-stream`, or the exact revision it follows (`any` and `stream-exists` could not say which event to chain
 * to, and are refused).
 *
 * The head each stream was last seen at (read or appended here) is remembered, so the append that follows
 * a read — a command's — finds it without reading again. Events never change once stored, so a remembered
 * head is the truth for its revision; an append at another revision reads that one event.
 *
 * An append that names the other streams its decision read records them in each event's metadata (`reads`,
 * under the hash), so `verifyLog` can show that every decision saw those streams as they were at its place
 * in the log.
 */
export class ChainedEventStore extends EventStore {
  private readonly heads = new Map<string, ChainHead>();

  constructor(
    private readonly inner: EventStore,
    private readonly maxHeads = 10_000,
  ) {
    super();
  }

  override async appendToStream(stream: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    const { expectedRevision, reads = [] } = options;
    if (expectedRevision === 'any' || expectedRevision === 'stream-exists') {
      throw new TypeError(`A chained append to ${stream} names the revision it follows, not "${expectedRevision}"`);
    }
    const head = expectedRevision === 'no-stream' ? undefined : await this.headAt(stream, expectedRevision);
    const recorded = reads.length === 0 ? events
      : events.map((event) => ({ ...event, metadata: { ...event.metadata, [READS_KEY]: readsMetadata(reads) } }));
    const chained = chainEvents(stream, head, recorded);
    const appended = await this.inner.appendToStream(stream, chained, options);
    const last = chained[chained.length - 1];
    if (last) this.remember(stream, { revision: appended.nextRevision, hash: String(last.metadata.hash) });
    return appended;
  }

  override async readStream(stream: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]> {
    const events = await this.inner.readStream(stream, options);
    const head = chainHeadOf(events[events.length - 1]);
    if (head) this.remember(stream, head);
    return events;
  }

  override readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  override subscribeToAll(options?: { after?: Position }): EventSubscription {
    return this.inner.subscribeToAll(options);
  }

  override headPosition(): Promise<Position | undefined> {
    return this.inner.headPosition();
  }

  override lastEvent(): Promise<RecordedEvent | undefined> {
    return this.inner.lastEvent();
  }

  override countEventsAfter(after?: Position): Promise<number> {
    return this.inner.countEventsAfter(after);
  }

  override close(): Promise<void> {
    return this.inner.close();
  }

  private async headAt(stream: string, revision: bigint): Promise<ChainHead> {
    const known = this.heads.get(stream);
    if (known?.revision === revision) return known;
    const [event] = await this.inner.readStream(stream, { fromRevision: revision });
    if (event?.revision === revision) return chainHeadOf(event) as ChainHead;
    // The stream is shorter than the caller thinks: refuse as the store would, with its actual revision.
    const all = await this.inner.readStream(stream);
    throw new WrongExpectedRevisionError(stream, revision, all[all.length - 1]?.revision ?? -1n);
  }

  private remember(stream: string, head: ChainHead): void {
    const known = this.heads.get(stream);
    if (known && known.revision > head.revision) return;
    this.heads.delete(stream);
    this.heads.set(stream, head);
    if (this.heads.size > this.maxHeads) this.heads.delete(this.heads.keys().next().value as string);
  }
}
