import { convertToCommandError, type KurrentDBClient, type ReadPosition } from '@kurrent/kurrentdb-client';
import { Empty, StreamIdentifier } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { StreamsClient } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import type { CallOptions, Metadata } from '@grpc/grpc-js';
import type { RecordedEvent } from '../event-store.port';
import { toRecordedEvent } from './esdb-mapping';

export interface FilteredRead {
  readonly from: ReadPosition;
  readonly direction: 'forwards' | 'backwards';
  /** How many matching events to return: the server counts the events it sends, not those it looks at. */
  readonly maxCount: number;
  /** Stream-name prefixes the server keeps to. */
  readonly prefixes: readonly string[];
}

export interface StreamRead {
  readonly stream: string;
  /** A revision, or the stream's start or end. */
  readonly from: bigint | 'start' | 'end';
  readonly direction: 'forwards' | 'backwards';
  /** At most this many events; all of them when absent. */
  readonly maxCount?: number;
  /** Asks the leader, not a follower that may lag. */
  readonly requiresLeader?: boolean;
}

/** The members of the client this read borrows: how it calls (connection, leader, credentials) and its retry on a lost node. */
interface ClientInternals {
  execute<T>(client: typeof StreamsClient, debugName: string, action: (streams: StreamsClient) => Promise<T>): Promise<T>;
  callArguments(options: object, callOptions?: CallOptions): [Metadata, CallOptions];
}

const uuidsAsStrings = () => new ReadReq.Options.UUIDOption().setString(new Empty());
const direction = (read: { readonly direction: 'forwards' | 'backwards' }) => (read.direction === 'forwards'
  ? ReadReq.Options.ReadDirection.FORWARDS : ReadReq.Options.ReadDirection.BACKWARDS);

function allRequest(read: FilteredRead): ReadReq {
  const all = new ReadReq.Options.AllOptions();
  if (read.from === 'start') all.setStart(new Empty());
  else if (read.from === 'end') all.setEnd(new Empty());
  else all.setPosition(new ReadReq.Options.Position().setCommitPosition(read.from.commit.toString()).setPreparePosition(read.from.prepare.toString()));
  const filter = new ReadReq.Options.FilterOptions()
    .setStreamIdentifier(new ReadReq.Options.FilterOptions.Expression().setPrefixList([...read.prefixes]))
    .setCount(new Empty())
    .setCheckpointintervalmultiplier(1);
  return new ReadReq().setOptions(new ReadReq.Options().setAll(all).setReadDirection(direction(read)).setCount(String(read.maxCount))
    .setResolveLinks(false).setFilter(filter).setUuidOption(uuidsAsStrings()));
}

function streamRequest(read: StreamRead): ReadReq {
  const stream = new ReadReq.Options.StreamOptions().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(read.stream, 'utf8')));
  if (read.from === 'start') stream.setStart(new Empty());
  else if (read.from === 'end') stream.setEnd(new Empty());
  else stream.setRevision(read.from.toString());
  return new ReadReq().setOptions(new ReadReq.Options().setStream(stream).setReadDirection(direction(read))
    .setCount(String(read.maxCount ?? Number.MAX_SAFE_INTEGER)).setResolveLinks(false).setNoFilter(new Empty()).setUuidOption(uuidsAsStrings()));
}

function toEvent(response: ReadResp): RecordedEvent | undefined {
  const recorded = response.getEvent()?.getEvent();
  if (!recorded) return undefined;
  const metadata = recorded.getMetadataMap();
  const customMetadata = recorded.getCustomMetadata_asU8();
  const isJson = metadata.get('content-type') === 'application/json';
  return toRecordedEvent({
    event: {
      streamId: Buffer.from(recorded.getStreamIdentifier()?.getStreamName_asU8() ?? []).toString('utf8'),
      id: recorded.getId()?.getString() ?? '',
      revision: BigInt(recorded.getStreamRevision()),
      type: metadata.get('type') ?? '',
      data: isJson ? JSON.parse(Buffer.from(recorded.getData_asU8()).toString('utf8')) : recorded.getData_asU8(),
      metadata: customMetadata.length ? JSON.parse(Buffer.from(customMetadata).toString('utf8')) : undefined,
      isJson,
      created: new Date(0),
      position: { commit: BigInt(recorded.getCommitPosition()), prepare: BigInt(recorded.getPreparePosition()) },
    },
  });
}

/**
 * Sends one Streams.Read through the client's own call path (its connection, leader preference, deadline and
 * reconnection after a lost node) and reads the whole answer (the server sends at most the count asked for),
 * so no call is left open. A stream that does not exist reads as no events.
 *
 * The client's own readStream and readAll go through its Rust bridge instead: a second connection, which,
 * made while the server was down, never recovered once it was back. Reads through the channel appends use
 * recover with it.
 */
function read(client: KurrentDBClient, request: ReadReq, requiresLeader: boolean, debugName: string): Promise<RecordedEvent[]> {
  const internals = client as unknown as ClientInternals;
  return internals.execute(StreamsClient, debugName, (streams) => new Promise<RecordedEvent[]>((resolve, reject) => {
    const events: RecordedEvent[] = [];
    // The client's default deadline (`defaultDeadline`, 10 s): a node that stops answering fails the read, which
    // is then retried or answered 503, rather than holding a command or the projector for ever.
    const call = streams.read(request, ...internals.callArguments({ requiresLeader }));
    call.on('data', (response: ReadResp) => {
      const event = toEvent(response);
      if (event) events.push(event);
    });
    call.on('error', (error) => reject(convertToCommandError(error)));
    call.on('end', () => resolve(events));
  }));
}

/**
 * Reads `$all` with a server-side stream-name filter, so only the ledger's events cross the wire: the
 * server's `ReadAllForwardsFiltered` and `ReadAllBackwardsFiltered`.
 */
export function readAllFiltered(client: KurrentDBClient, filtered: FilteredRead): Promise<RecordedEvent[]> {
  return read(client, allRequest(filtered), false, 'readAllFiltered');
}

/** Reads one stream's events (its links are not resolved). */
export function readStreamEvents(client: KurrentDBClient, stream: StreamRead): Promise<RecordedEvent[]> {
  return read(client, streamRequest(stream), stream.requiresLeader ?? false, 'readStream');
}
