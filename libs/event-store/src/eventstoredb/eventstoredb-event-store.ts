import {
  END,
  KurrentDBClient,
  jsonEvent,
  NO_STREAM,
  START,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { eventIdFor } from '../event-ids';
import {
  type AppendOptions,
  type AppendResult,
  DuplicateEventIdError,
  EventStore,
  type EventSubscription,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type RecordedEvent,
  StaleReadError,
} from '../event-store.port';
import { comparePositions, type Position } from '../position';
import {
  isLedgerStream,
  isTransient,
  LEDGER_STREAM_PREFIXES,
  toAppendStreamState,
  toEventData,
  toPortError,
  toRecordedEvent,
} from './esdb-mapping';
import { type FilteredRead, readAllFiltered, readStreamEvents } from './grpc-read';
import { type BackoffOptions, backoffDelay, ResubscribingSubscription } from './resubscribing-subscription';

export interface EventStoreDbOptions {
  /** A `kurrentdb://` (or the older `esdb://`) connection string, or a client built elsewhere. */
  readonly connection: string | KurrentDBClient;
  /** The ledger's streams; `$all` reads and subscriptions keep to these prefixes (and never to system streams). */
  readonly streamPrefixes?: readonly string[];
  /** Attempts of an append that meets an outage or a lost leader (the same event ids make a retry safe). */
  readonly appendAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** How far countEventsAfter counts (default 10,000): a longer lag reads as this many events. */
  readonly countLimit?: number;
  readonly onResubscribe?: (error: unknown, delayMs: number, after: Position | undefined) => void;
}

/** The streams that hold which stream each event id was first appended to (outside the ledger's prefixes). */
export const EVENT_ID_CLAIM_PREFIX = 'ledger_event_id-';

/** How long a count of the events after one position is answered again without a read. */
const COUNT_CACHE_MS = 1000;

/**
 * The event store port on EventStoreDB / KurrentDB, for a cluster. Appends use the exact expected revision
 * and the caller's deterministic event ids (the server deduplicates a retried append); `$all` is read and
 * followed with a server-side stream-name filter; subscriptions resubscribe with backoff from the last
 * position they delivered.
 */
export class EventStoreDbEventStore extends EventStore {
  readonly client: KurrentDBClient;
  private readonly prefixes: readonly string[];
  private readonly subscriptions = new Set<EventSubscription>();
  private readonly counted = new Map<string, { at: number; count: Promise<number> }>();

  constructor(private readonly options: EventStoreDbOptions) {
    super();
    this.client = typeof options.connection === 'string'
      ? KurrentDBClient.connectionString(options.connection)
      : options.connection;
    this.prefixes = options.streamPrefixes ?? LEDGER_STREAM_PREFIXES;
  }

  override async appendToStream(stream: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    this.counted.clear();
    await this.retried(stream, options.expectedRevision, () => this.claim(stream, events));
    await this.retried(stream, options.expectedRevision, () => this.checkReads(stream, events, options));
    return this.retried(stream, options.expectedRevision, async () => {
      const result = await this.client.appendToStream(stream, events.map(toEventData), {
        streamState: toAppendStreamState(options.expectedRevision),
      });
      if (!result.position) throw new Error(`EventStoreDB returned no position for the append to ${stream}`);
      return { nextRevision: result.nextExpectedRevision, position: { ...result.position } };
    });
  }

  /**
   * Claims an append's first event id for its stream, so that an id names one event in the whole store as
   * on SQLite (the server deduplicates ids within a stream only): a claim stream per id holds the stream it
   * was first appended to. A second claim for the same stream is a retry (the claim event's id is derived
   * from both, so the server takes it as one); a claim for another stream finds the first and is refused.
   * The ledger derives all of a command's event ids from its key, so the first id stands for the command.
   */
  private async claim(stream: string, events: readonly EventToAppend[]): Promise<void> {
    if (!events.length) return;
    const id = events[0].id;
    const claimStream = `${EVENT_ID_CLAIM_PREFIX}${id}`;
    try {
      await this.client.appendToStream(claimStream, jsonEvent({ id: eventIdFor(`${stream}\n${id}`, 0), type: 'EventIdClaimed', data: { stream } }), {
        streamState: NO_STREAM,
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const [first] = await this.readStream(claimStream);
      if ((first?.data as { stream?: unknown } | undefined)?.stream !== stream) throw new DuplicateEventIdError(id);
    }
  }

  /**
   * The streams the decision read must still be at the revisions read. The 6.x protocol appends to one stream
   * at a time, so this is checked on the leader just before the append, not in it: a write to a read stream
   * in the one round trip between the two goes unnoticed here, and `ledger verify` reports it (each event
   * records what its decision read). docs/eventstoredb.md says why and what would close it.
   */
  private async checkReads(stream: string, events: readonly EventToAppend[], { expectedRevision, reads = [] }: AppendOptions): Promise<void> {
    const moved = (await Promise.all(reads.map(async (read) => ({ read, actual: await this.headRevision(read.stream) }))))
      .find(({ read, actual }) => actual !== read.revision);
    // A retry of an append that went through is answered as the first time, whatever moved since.
    if (!moved || await this.holds(stream, expectedRevision, events[0]?.id)) return;
    throw new StaleReadError(moved.read.stream, moved.read.revision, moved.actual);
  }

  /** Whether the event with this id is already where an append at this expected revision would put it. */
  private async holds(stream: string, expected: ExpectedRevision, id: string | undefined): Promise<boolean> {
    const revision = expected === 'no-stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : undefined;
    if (revision === undefined || id === undefined) return false;
    const [event] = await this.readStream(stream, { fromRevision: revision, maxCount: 1 });
    return event?.id === id;
  }

  /** A stream's last revision, read from the leader (-1n for a stream with no events). */
  private async headRevision(stream: string): Promise<bigint> {
    const [last] = await readStreamEvents(this.client, { stream, from: 'end', direction: 'backwards', maxCount: 1, requiresLeader: true });
    return last?.revision ?? -1n;
  }

  /** Runs a call to the server, again after an outage or a lost leader (the same ids make a retry safe). */
  private async retried<T>(stream: string, expected: ExpectedRevision, call: () => Promise<T>): Promise<T> {
    const attempts = this.options.appendAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        // A lost leader or an outage: the client reconnects (to the leader, with node preference leader),
        // and the same event ids make the retry idempotent on the server.
        if (isTransient(error) && attempt < attempts) {
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, this.options.backoff)));
          continue;
        }
        throw toPortError(error, stream, expected);
      }
    }
  }

  /** A stream's events, read again after an outage or a lost leader as an append is. */
  override readStream(stream: string, options: { fromRevision?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    return this.retried(stream, 'any', () => readStreamEvents(this.client, {
      stream, from: options.fromRevision ?? 'start', direction: 'forwards', maxCount: options.maxCount,
    }));
  }

  override async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    // A forward read of $all includes the event at its position; the port's `after` excludes it.
    const events = await this.read({ from: options.after ?? START, direction: 'forwards', maxCount: options.maxCount + (options.after ? 1 : 0) });
    const after = options.after;
    return (after ? events.filter((event) => comparePositions(event.position, after) > 0) : events).slice(0, options.maxCount);
  }

  /** A read of `$all` the server filters to the ledger's streams. */
  private async read(read: Omit<FilteredRead, 'prefixes'>): Promise<RecordedEvent[]> {
    try {
      return (await readAllFiltered(this.client, { ...read, prefixes: this.prefixes }))
        .filter((event) => isLedgerStream(event.stream, this.prefixes));
    } catch (error) {
      throw toPortError(error, '$all', 'any');
    }
  }

  override subscribeToAll(options: { after?: Position } = {}): EventSubscription {
    const subscription = new ResubscribingSubscription((after) => {
      const source = this.client.subscribeToAll({
        fromPosition: after ?? START,
        filter: streamNameFilter({ prefixes: [...this.prefixes] }),
      });
      return {
        async *[Symbol.asyncIterator]() {
          for await (const resolved of source) {
            const event = toRecordedEvent(resolved);
            // Subscriptions start after the position; the guard keeps that true whatever the server does.
            if (event && !(after && comparePositions(event.position, after) <= 0)) yield event;
          }
        },
        close: () => source.unsubscribe(),
      };
    }, options.after, { backoff: this.options.backoff, isRetryable: isTransient, onResubscribe: this.options.onResubscribe });
    this.subscriptions.add(subscription);
    return subscription;
  }

  override async headPosition(): Promise<Position | undefined> {
    return (await this.lastEvent())?.position;
  }

  /** The ledger's last event, read backwards from the end with the server's filter: one event on the wire. */
  override async lastEvent(): Promise<RecordedEvent | undefined> {
    const [last] = await this.read({ from: END, direction: 'backwards', maxCount: 1 });
    return last;
  }

  /**
   * The ledger's events after a position, counted up to `countLimit` (default 10,000; a lag past it reads as
   * the limit): the server filters, but counting still reads the events, so the count is bounded, and
   * answers for the same position are shared for a second (readiness probes and metrics scrapes).
   */
  override countEventsAfter(after?: Position): Promise<number> {
    const key = after ? `${after.commit}.${after.prepare}` : 'start';
    const cached = this.counted.get(key);
    if (cached && Date.now() - cached.at < COUNT_CACHE_MS) return cached.count;
    const count = this.readAll({ after, maxCount: this.options.countLimit ?? 10_000 }).then((events) => events.length);
    count.catch(() => this.counted.delete(key));
    this.counted.clear();
    this.counted.set(key, { at: Date.now(), count });
    return count;
  }

  override async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }
}
