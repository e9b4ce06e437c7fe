import {
  type AllStreamResolvedEvent,
  ANY,
  type AppendStreamState,
  CancelledError,
  type CurrentStreamState,
  DeadlineExceededError,
  jsonEvent,
  NO_STREAM,
  NotLeaderError,
  type ResolvedEvent,
  STREAM_EXISTS,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';

/** Where the schema version travels in EventStoreDB's metadata (it has no field of its own). */
export const SCHEMA_VERSION_KEY = 'ledger:schemaVersion';

/** The ledger's streams: `$all` reads and subscriptions keep to these name prefixes. */
export const LEDGER_STREAM_PREFIXES: readonly string[] = ['partner-', 'customer-'];

/**
 * The ledger's metadata keys that KurrentDB knows by other names: its `$by_correlation_id` projection and its
 * UI follow `$correlationId` and `$causationId`. They are renamed on the way in and back on the way out, so
 * the metadata the ledger hashed is the metadata it reads (and events written before keep their names).
 */
const SERVER_METADATA_NAMES: ReadonlyArray<readonly [ledger: string, server: string]> = [
  ['correlationId', '$correlationId'],
  ['causationId', '$causationId'],
];

function renamed(metadata: Readonly<Record<string, unknown>>, from: 0 | 1): Record<string, unknown> {
  const out = { ...metadata };
  for (const names of SERVER_METADATA_NAMES) {
    const [source, target] = from === 0 ? names : [names[1], names[0]];
    if (source in out) {
      out[target] = out[source];
      delete out[source];
    }
  }
  return out;
}

export function toEventData(event: EventToAppend) {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: { ...renamed(event.metadata, 0), [SCHEMA_VERSION_KEY]: event.schemaVersion },
  });
}

export function toAppendStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

/** The port's revision: -1n for a stream with no events. */
export function fromCurrentStreamState(current: CurrentStreamState): bigint {
  return current === NO_STREAM ? -1n : current;
}

/** A recorded event of the ledger's, or undefined for a link, a non-JSON event or one without a position. */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson || !event.position) return undefined;
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
  return {
    id: event.id,
    stream: event.streamId,
    revision: event.revision,
    position: { commit: event.position.commit, prepare: event.position.prepare },
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.data,
    metadata: renamed(metadata, 1),
  };
}

export function isLedgerStream(stream: string, prefixes: readonly string[]): boolean {
  return !stream.startsWith('$') && prefixes.some((prefix) => stream.startsWith(prefix));
}

/** gRPC status codes of a call that may succeed when made again: CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE. */
const TRANSIENT_GRPC_CODES: ReadonlySet<unknown> = new Set([1, 4, 14]);

/**
 * Errors after which the same call may succeed: the node is away, not the leader, or the call was cut.
 * The client wraps most in its own classes, but a connection that cannot be made comes as a bare gRPC error.
 */
export function isTransient(error: unknown): boolean {
  return error instanceof UnavailableError || error instanceof NotLeaderError
    || error instanceof DeadlineExceededError || error instanceof CancelledError
    || (error instanceof Error && TRANSIENT_GRPC_CODES.has((error as { code?: unknown }).code));
}

/** The port's error for a client error: a concurrency error is never swallowed, an outage is said as one. */
export function toPortError(error: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(stream, expected, fromCurrentStreamState(error.actualState));
  }
  if (isTransient(error)) return new EventStoreUnavailableError(`EventStoreDB is unavailable: ${(error as Error).message}`, 'unreachable', { cause: error });
  return error;
}
