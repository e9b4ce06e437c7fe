/**
 * The test server's storage: one transaction log in memory, with the rules EventStoreDB applies to it.
 * Each rule cites where the server states it; the gRPC layer (test-server.ts) only translates messages.
 *
 * Sources (EventStore/EventStore, the server; read at the v24 line):
 * - `Services/Storage/ReaderIndex/IndexWriter.cs` `CheckCommit`: expected versions and idempotency.
 * - `Services/Transport/Grpc/Streams.Read.cs`: read and subscription kinds, positions sent with each event.
 * - `Services/Transport/Grpc/Enumerators.AllSubscriptionFiltered.cs`: filtered subscriptions and checkpoints.
 */

import { comparePositions, type Position } from '../../../libs/event-store/src/position';

/** The expected version of an append, as the server numbers them (ExpectedVersion.cs). */
export type ExpectedVersion =
  | { readonly kind: 'any' }
  | { readonly kind: 'no-stream' }
  | { readonly kind: 'stream-exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

const ANY = -2n;
const NO_STREAM = -1n;
const STREAM_EXISTS = -4n;

function numbered(expected: ExpectedVersion): bigint {
  switch (expected.kind) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      return expected.revision;
  }
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  readonly stream: string;
  readonly revision: bigint;
  readonly position: Position;
  /** .NET ticks since the epoch, as the server sends `created`. */
  readonly created: bigint;
}

export type AppendOutcome =
  | { readonly kind: 'written'; readonly revision: bigint; readonly position: Position }
  /** Every event was there already, at the place this append would have put it: the first answer again. */
  | { readonly kind: 'idempotent'; readonly revision: bigint; readonly position: Position }
  /** `current` is undefined for a stream with no events. */
  | { readonly kind: 'wrong-expected-version'; readonly current: bigint | undefined };

/** What a read or a subscription keeps to (FilterOptions: stream-name or event-type, prefixes or a regex). */
export interface EventFilter {
  readonly on: 'stream' | 'event-type';
  readonly prefixes: readonly string[];
  readonly regex?: RegExp;
}

export function passes(filter: EventFilter | undefined, record: LogRecord): boolean {
  if (!filter) return true;
  const subject = filter.on === 'stream' ? record.stream : record.type;
  return filter.regex ? filter.regex.test(subject) : filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

/** Bytes a prepare record takes besides its data and metadata: positions are byte offsets, not counters. */
const RECORD_OVERHEAD = 96n;
const TICKS_PER_MILLISECOND = 10_000n;
const TICKS_AT_EPOCH = 621_355_968_000_000_000n;

export class TransactionLog {
  readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, LogRecord[]>();
  /** The server's committed-events cache (`_committedEvents`): an event id to the stream and number it has. */
  private readonly eventIds = new Map<string, { stream: string; revision: bigint }>();
  private nextOffset: bigint;
  private readonly waiting = new Set<() => void>();

  constructor(firstOffset = 0n) {
    this.nextOffset = firstOffset;
  }

  /**
   * Appends as `IndexWriter.CheckCommit` decides. With `any` (or `stream-exists`) an append whose first id
   * the stream already holds is idempotent; one whose first id is new is written, whatever streams hold its
   * ids: an id is unique within a stream only. With an exact version below the stream's, the ids must be the
   * events that follow that version, or the append is a wrong expected version.
   */
  append(stream: string, expected: ExpectedVersion, events: readonly ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(stream) ?? [];
    const current = BigInt(existing.length) - 1n;
    const expectedVersion = numbered(expected);
    const wrong: AppendOutcome = { kind: 'wrong-expected-version', current: existing.length ? current : undefined };

    if (expectedVersion === STREAM_EXISTS && current < 0n) return wrong;
    if (expectedVersion === ANY || expectedVersion === STREAM_EXISTS) {
      const found = events.map((event) => this.eventIds.get(event.id));
      if (found.length && found[0]?.stream === stream) {
        // CorruptedIdempotency (the first id is there, a later one is not) answers as a wrong expected version.
        if (found.some((info) => info?.stream !== stream)) return wrong;
        return this.idempotent(existing[Number(found[found.length - 1]!.revision)]);
      }
      return this.write(stream, existing, events);
    }
    if (expectedVersion < current) {
      const matches = events.every((event, i) => existing[Number(expectedVersion) + 1 + i]?.id === event.id);
      if (!matches || !events.length) return wrong;
      return this.idempotent(existing[Number(expectedVersion) + events.length]);
    }
    if (expectedVersion > current) return wrong;
    return this.write(stream, existing, events);
  }

  streamRecords(stream: string): readonly LogRecord[] | undefined {
    return this.streams.get(stream);
  }

  /** The index of the first record at or after a position (a forward read of `$all` includes it). */
  indexAtOrAfter(position: Position): number {
    return this.search((record) => comparePositions(record.position, position) >= 0);
  }

  /** The index of the first record after a position (a subscription starts after it). */
  indexAfter(position: Position): number {
    return this.search((record) => comparePositions(record.position, position) > 0);
  }

  /** Resolves at the next append, or at once when `signal` is aborted. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.waiting.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      if (signal.aborted) return resolve();
      this.waiting.add(done);
      signal.addEventListener('abort', done);
    });
  }

  /**
   * Writes records no client of the ledger's would: system and other applications' streams, which `$all`
   * holds on a real server too (`$stats-…`, `$scavenges`, `$$…` metadata, another service's streams).
   */
  writeForeign(stream: string, type: string, count = 1): void {
    const existing = this.streams.get(stream) ?? [];
    const encoded = Buffer.from(JSON.stringify({ foreign: true }));
    this.write(stream, existing, Array.from({ length: count }, (_, i) => ({
      id: crypto.randomUUID(),
      type,
      contentType: 'application/json',
      data: encoded,
      metadata: Buffer.from(i % 2 ? '' : '{}'),
    })));
  }

  private idempotent(last: LogRecord): AppendOutcome {
    return { kind: 'idempotent', revision: last.revision, position: last.position };
  }

  /**
   * One write is one transaction: every event gets its own prepare position (its byte offset), and all of
   * them the commit position of the transaction's last record, so `$all` orders them by (commit, prepare).
   */
  private write(stream: string, existing: LogRecord[], events: readonly ProposedEvent[]): AppendOutcome {
    const offsets = events.map((event) => {
      const offset = this.nextOffset;
      this.nextOffset += RECORD_OVERHEAD + BigInt(event.data.length + event.metadata.length + stream.length);
      return offset;
    });
    const commit = offsets[offsets.length - 1];
    const created = TICKS_AT_EPOCH + BigInt(Date.now()) * TICKS_PER_MILLISECOND;
    const written = events.map((event, i): LogRecord => ({
      ...event,
      stream,
      revision: BigInt(existing.length + i),
      position: { commit, prepare: offsets[i] },
      created,
    }));
    existing.push(...written);
    this.streams.set(stream, existing);
    this.records.push(...written);
    for (const record of written) this.eventIds.set(record.id, { stream, revision: record.revision });
    for (const wake of [...this.waiting]) wake();
    const last = written[written.length - 1];
    return { kind: 'written', revision: last.revision, position: last.position };
  }

  private search(isAtOrPast: (record: LogRecord) => boolean): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (isAtOrPast(this.records[middle])) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
