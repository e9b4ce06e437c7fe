import type { Position } from './position';

/** An event to append: its id makes a retried append idempotent. */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
  /**
   * The event's hashed form (hash-chain.ts `hashedForm`) at the revision it is to take, when chaining it
   * worked that out already: a store that keeps the form uses it rather than working it out again. Not
   * part of the event: it is never read back.
   */
  readonly hashed?: { readonly revision: bigint; readonly form: string };
}

export interface RecordedEvent extends Omit<EventToAppend, 'hashed'> {
  readonly stream: string;
  /** 0 for a stream's first event. */
  readonly revision: bigint;
  readonly position: Position;
}

/**
 * What the stream must look like for an append to go through:
 * `no-stream` (it has no events), `stream-exists`, `any`, or the exact revision of its last event.
 */
export type ExpectedRevision = 'no-stream' | 'stream-exists' | 'any' | bigint;

/** A stream a decision read, and the revision it read it at (-1n: it had no events). */
export interface StreamRead {
  readonly stream: string;
  readonly revision: bigint;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /**
   * Other streams the decision read: the append goes through only while each is still at the revision read
   * ({@link StaleReadError} otherwise). SQLite checks them in the append's transaction; EventStoreDB just before
   * the append (docs/eventstoredb.md says what that leaves open).
   */
  readonly reads?: readonly StreamRead[];
}

export interface AppendResult {
  /** The revision of the last event appended (or found, for a retried append). */
  readonly nextRevision: bigint;
  /** The global position of the last event appended. */
  readonly position: Position;
  /**
   * True when every event was there already (a retry), where the store can tell: SQLite can, EventStoreDB
   * deduplicates without saying so.
   */
  readonly alreadyAppended?: boolean;
}

export interface ReadAllOptions {
  /** Read events after this position (exclusive); from the beginning when absent. */
  readonly after?: Position;
  readonly maxCount: number;
}

/** A live feed of the global log: every event after the start position, in order, then new ones as they come. */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/** The stream's events did not match the expected revision: someone else appended first. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, -1n when it has no events. */
    readonly actual: bigint,
  ) {
    super(`Stream ${stream} is at revision ${actual}, expected ${String(expected)}`);
  }
}

/** A stream the decision read has moved on since: the decision must be made again on what it holds now. */
export class StaleReadError extends Error {
  override readonly name = 'StaleReadError';

  constructor(
    readonly stream: string,
    /** The revision the decision read. */
    readonly read: bigint,
    /** The stream's revision at the append. */
    readonly actual: bigint,
  ) {
    super(`Stream ${stream} is at revision ${actual}; the decision read it at ${read}`);
  }
}

/** An event id was reused for a different event: ids identify one append, once. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';

  constructor(readonly eventId: string) {
    super(`Event id ${eventId} already identifies another event`);
  }
}

/**
 * Why a store cannot serve: it cannot be reached (or is busy or closed), its disk is full, its disk or file
 * failed, it may not be written, or its file is damaged.
 */
export type StoreFaultReason = 'unreachable' | 'busy' | 'closed' | 'disk-full' | 'io-error' | 'read-only' | 'corrupt';

/** The store cannot be reached or failed: the append may or may not have happened (a retry with the same ids is safe). */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';

  constructor(
    message: string,
    readonly reason: StoreFaultReason = 'unreachable',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The event store port. Appends are atomic per call and durable when the promise resolves; a call whose
 * event ids were all appended before (a retry) resolves to the first result and appends nothing.
 */
export abstract class EventStore {
  abstract appendToStream(stream: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult>;

  /** A stream's events from `fromRevision` (default 0); a stream with no events reads as empty. */
  abstract readStream(stream: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]>;

  abstract readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;

  abstract subscribeToAll(options?: { after?: Position }): EventSubscription;

  /** The position of the last event in the log, or undefined for an empty log. */
  abstract headPosition(): Promise<Position | undefined>;

  /** The last event in the log, or undefined for an empty log: where a copy into this store resumes. */
  abstract lastEvent(): Promise<RecordedEvent | undefined>;

  /** How many events the log holds after a position (all of them when absent): a reader's lag. */
  abstract countEventsAfter(after?: Position): Promise<number>;

  abstract close(): Promise<void>;
}
