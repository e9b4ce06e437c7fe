import { convertToCommandError, type EventStoreDBClient, type ReadPosition } from '@eventstore/db-client';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
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

/** The members of the client this read borrows: how it calls (connection, leader, credentials) and its retry on a lost node. */
interface ClientInternals {
  execute<T>(client: typeof StreamsClient, debugName: string, action: (streams: StreamsClient) => Promise<T>): Promise<T>;
  callArguments(options: object, callOptions?: CallOptions): [Metadata, CallOptions];
}

function toRequest(read: FilteredRead): ReadReq {
  const all = new ReadReq.Options.AllOptions();
  if (read.from === 'start') all.setStart(new Empty());
  else if (read.from === 'end') all.setEnd(new Empty());
  else all.setPosition(new ReadReq.Options.Position().setCommitPosition(read.from.commit.toString()).setPreparePosition(read.from.prepare.toString()));
  const filter = new ReadReq.Options.FilterOptions()
    .setStreamIdentifier(new ReadReq.Options.FilterOptions.Expression().setPrefixList([...read.prefixes]))
    .setCount(new Empty())
    .setCheckpointintervalmultiplier(1);
  const options = new ReadReq.Options()
    .setAll(all)
    .setReadDirection(read.direction === 'forwards' ? ReadReq.Options.ReadDirection.FORWARDS : ReadReq.Options.ReadDirection.BACKWARDS)
    .setCount(String(read.maxCount))
    .setResolveLinks(false)
    .setFilter(filter)
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()));
  return new ReadReq().setOptions(options);
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
 * Reads `$all` with a server-side stream-name filter, so only the ledger's events cross the wire.
 *
 * The server has filtered reads of `$all` in both directions (Streams.Read, `ReadAllForwardsFiltered` and
 * `ReadAllBackwardsFiltered`), but this client's `readAll` always asks for none. This sends the same
 * Streams.Read with a filter, through the client's own call path (its connection, leader preference and
 * reconnection after a lost node); KurrentDB's newer client offers it as `readAll({ filter })`. The whole
 * answer is read (the server sends at most `maxCount`), so no call is left open.
 */
export async function readAllFiltered(client: EventStoreDBClient, read: FilteredRead): Promise<RecordedEvent[]> {
  const internals = client as unknown as ClientInternals;
  return internals.execute(StreamsClient, 'readAllFiltered', (streams) => new Promise<RecordedEvent[]>((resolve, reject) => {
    const events: RecordedEvent[] = [];
    const call = streams.read(toRequest(read), ...internals.callArguments({}, { deadline: Infinity }));
    call.on('data', (response: ReadResp) => {
      const event = toEvent(response);
      if (event) events.push(event);
    });
    call.on('error', (error) => reject(convertToCommandError(error)));
    call.on('end', () => resolve(events));
  }));
}
