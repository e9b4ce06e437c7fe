import {
  type AllStreamResolvedEvent,
  CancelledError,
  DeadlineExceededError,
  NO_STREAM,
  NotLeaderError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port';
import {
  fromCurrentStreamState,
  isLedgerStream,
  isTransient,
  SCHEMA_VERSION_KEY,
  toAppendStreamState,
  toEventData,
  toPortError,
  toRecordedEvent,
} from './esdb-mapping';

// These run everywhere: the adapter's own logic, without a server. The client's error classes are
// constructed as the client does from a gRPC ServiceError (codes: 4 DEADLINE_EXCEEDED, 5 NOT_FOUND, 14 UNAVAILABLE).
const serviceError = (message: string, code = 14, metadata: Record<string, string> = {}) =>
  ({ code, details: message, message, metadata: { get: () => [], getMap: () => metadata } }) as never;

const resolved = (overrides: Record<string, unknown> = {}): AllStreamResolvedEvent => ({
  event: {
    streamId: 'customer-contoso', id: 'e1', isJson: true, revision: 3n, type: 'RelationshipAccepted', created: new Date(0),
    data: { customerId: 'contoso' }, metadata: { commandId: 'c1', [SCHEMA_VERSION_KEY]: 2 },
    position: { commit: 1200n, prepare: 1100n }, ...overrides,
  },
} as unknown as AllStreamResolvedEvent);

describe('EventStoreDB mapping', () => {
  it('writes an event with its id, type, data, and the schema version in its metadata', () => {
    const data = toEventData({ id: '4d7a…', type: 'CustomerRegistered', schemaVersion: 1, data: { a: 1 }, metadata: { commandId: 'c1' } });
    expect(data).toMatchObject({
      id: '4d7a…', type: 'CustomerRegistered', contentType: 'application/json', data: { a: 1 },
      metadata: { commandId: 'c1', [SCHEMA_VERSION_KEY]: 1 },
    });
  });

  it('reads an event back into the port’s shape, the schema version out of the metadata', () => {
    expect(toRecordedEvent(resolved())).toEqual({
      id: 'e1', stream: 'customer-contoso', revision: 3n, position: { commit: 1200n, prepare: 1100n },
      type: 'RelationshipAccepted', schemaVersion: 2, data: { customerId: 'contoso' }, metadata: { commandId: 'c1' },
    });
  });

  it('names the correlation and causation ids as KurrentDB does on the server, and as the ledger hashed them when read back', () => {
    const metadata = { commandId: 'c1', correlationId: 'corr-1', causationId: 'c1' };
    const written = toEventData({ id: 'e1', type: 'CustomerRegistered', schemaVersion: 1, data: {}, metadata });
    expect(written.metadata).toEqual({ commandId: 'c1', $correlationId: 'corr-1', $causationId: 'c1', [SCHEMA_VERSION_KEY]: 1 });

    const read = toRecordedEvent(resolved({ metadata: written.metadata }));
    expect(read?.metadata).toEqual(metadata);
    // An event written before the renaming reads as it was written.
    expect(toRecordedEvent(resolved({ metadata: { correlationId: 'old', [SCHEMA_VERSION_KEY]: 1 } }))?.metadata).toEqual({ correlationId: 'old' });
  });

  it('passes over links, binary events and events without a position', () => {
    expect(toRecordedEvent({ link: resolved().event } as unknown as AllStreamResolvedEvent)).toBeUndefined();
    expect(toRecordedEvent(resolved({ isJson: false }))).toBeUndefined();
    expect(toRecordedEvent(resolved({ position: undefined }))).toBeUndefined();
  });

  it('maps expected revisions both ways', () => {
    expect(['no-stream', 'stream-exists', 'any', 7n].map((e) => toAppendStreamState(e as never)))
      .toEqual(['no_stream', 'stream_exists', 'any', 7n]);
    expect(fromCurrentStreamState(NO_STREAM)).toBe(-1n);
    expect(fromCurrentStreamState(41n)).toBe(41n);
  });

  it('turns a wrong expected version into the port’s concurrency error, with the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 3n, current: 5n });
    const mapped = toPortError(error, 's', 3n);
    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ stream: 's', expected: 3n, actual: 5n });
    const missing = toPortError(new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: NO_STREAM }), 's', 0n);
    expect(mapped).not.toBe(missing);
    expect(missing).toMatchObject({ actual: -1n });
  });

  it('says an outage as the port’s unavailable error, and passes other errors on', () => {
    expect(toPortError(new UnavailableError(serviceError('connection refused')), 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    expect(toPortError(new DeadlineExceededError(serviceError('deadline', 4)), 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    expect(toPortError(new NotLeaderError(serviceError('not leader', 5, { 'leader-endpoint-host': 'esdb-2', 'leader-endpoint-port': '2113' })), 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    expect(toPortError(new CancelledError(serviceError('cancelled', 1)), 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    const refused = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    expect(toPortError(refused, 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    const other = new StreamNotFoundError(serviceError('not found', 5));
    expect(toPortError(other, 's', 'any')).toBe(other);
    expect(isTransient(other)).toBe(false);
  });

  it('keeps $all reads to the ledger’s streams and away from system streams', () => {
    expect(isLedgerStream('customer-contoso', ['partner-', 'customer-'])).toBe(true);
    expect(isLedgerStream('$et-CustomerRegistered', ['$et'])).toBe(false);
    expect(isLedgerStream('orders-1', ['partner-', 'customer-'])).toBe(false);
  });
});
