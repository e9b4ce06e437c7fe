import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  type ReadPosition,
  START,
  StreamNotFoundError,
  streamNameFilter,
} from '@eventstore/db-client';
import {
  type AppendResult,
  EventStore,
  type EventSubscription,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type RecordedEvent,
} from '../event-store.port';
import { comparePositions, type Position } from '../position';
import {
  isLedgerStream,
  isTransient,
  LEDGER_STREAM_PREFIXES,
  toAppendExpectedRevision,
  toEventData,
  toPortError,
  toRecordedEvent,
} from './esdb-mapping';
import { type BackoffOptions, backoffDelay, ResubscribingSubscription } from './resubscribing-subscription';

export interface EventStoreDbOptions {
  /** An `esdb://` or `kurrentdb://` connection string, or a client built elsewhere. */
  readonly connection: string | EventStoreDBClient;
  /** The ledger's streams; `$all` reads and subscriptions keep to these prefixes (and never to system streams). */
  readonly streamPrefixes?: readonly string[];
  /** Attempts of an append that meets an outage or a lost leader (the same event ids make a retry safe). */
  readonly appendAttempts?: number;
  readonly backoff?: BackoffOptions;
  /** How far back headPosition looks for the ledger's last event, and how far countEventsAfter counts. */
  readonly scanLimit?: number;
  readonly onResubscribe?: (error: unknown, delayMs: number, after: Position | undefined) => void;
}

const PAGE = 500;

/**
 * The event store port on EventStoreDB / KurrentDB, for a cluster. Appends use the exact expected revision
 * and the caller's deterministic event ids (the server deduplicates a retried append); `$all` is read and
 * followed with a server-side stream-name filter; subscriptions resubscribe with backoff from the last
 * position they delivered.
 */
export class EventStoreDbEventStore extends EventStore {
  readonly client: EventStoreDBClient;
  private readonly prefixes: readonly string[];
  private readonly subscriptions = new Set<EventSubscription>();

  constructor(private readonly options: EventStoreDbOptions) {
    super();
    this.client = typeof options.connection === 'string'
      ? EventStoreDBClient.connectionString(options.connection)
      : options.connection;
    this.prefixes = options.streamPrefixes ?? LEDGER_STREAM_PREFIXES;
  }

  override async appendToStream(
    stream: string,
    events: readonly EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const attempts = this.options.appendAttempts ?? 5;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await this.client.appendToStream(stream, events.map(toEventData), {
          expectedRevision: toAppendExpectedRevision(options.expectedRevision),
        });
        if (!result.position) throw new Error(`EventStoreDB returned no position for the append to ${stream}`);
        return { nextRevision: result.nextExpectedRevision, position: { ...result.position } };
      } catch (error) {
        // A lost leader or an outage: the client reconnects (to the leader, with node preference leader),
        // and the same event ids make the retry idempotent on the server.
        if (isTransient(error) && attempt < attempts) {
          await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, this.options.backoff)));
          continue;
        }
        throw toPortError(error, stream, options.expectedRevision);
      }
    }
  }

  override async readStream(stream: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, { fromRevision: options.fromRevision ?? START, direction: FORWARDS })) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toPortError(error, stream, 'any');
    }
    return events;
  }

  override async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    try {
      return await this.readAllPages(options);
    } catch (error) {
      throw toPortError(error, '$all', 'any');
    }
  }

  private async readAllPages(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let from: ReadPosition = options.after ?? START;
    for (;;) {
      let read = 0;
      let last: Position | undefined;
      for await (const resolved of this.client.readAll({ fromPosition: from, maxCount: PAGE, direction: FORWARDS })) {
        read += 1;
        const event = toRecordedEvent(resolved);
        if (!event) continue;
        last = event.position;
        // $all reads start at the given position, inclusive; the port's `after` is exclusive.
        if (options.after && comparePositions(event.position, options.after) <= 0) continue;
        if (!isLedgerStream(event.stream, this.prefixes)) continue;
        events.push(event);
        if (events.length >= options.maxCount) return events;
      }
      if (read < PAGE || !last) return events;
      from = last;
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
    try {
      return await this.scanForHead();
    } catch (error) {
      throw toPortError(error, '$all', 'any');
    }
  }

  private async scanForHead(): Promise<Position | undefined> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: this.options.scanLimit ?? 10_000 })) {
      const event = toRecordedEvent(resolved);
      if (event && isLedgerStream(event.stream, this.prefixes)) return event.position;
    }
    return undefined;
  }

  override async countEventsAfter(after?: Position): Promise<number> {
    return (await this.readAll({ after, maxCount: this.options.scanLimit ?? 1_000_000 })).length;
  }

  override async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }
}
