import { randomUUID } from 'node:crypto';
import {
  Metadata,
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerWritableStream,
  type ServiceError,
  status,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { ServerFeaturesService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb';
import { AllStreamPosition, Empty, StreamIdentifier, UUID, WrongExpectedVersion } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { Status } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import { StreamsService } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import { type AppendReq, AppendResp, type BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import {
  type AppendOutcome,
  type EventFilter,
  type ExpectedVersion,
  type LogRecord,
  passes,
  type ProposedEvent,
  TransactionLog,
} from './transaction-log';
import type { Position } from '../../../libs/event-store/src/position';

/**
 * What the test server does wrong on purpose. Each fault answers as the server does in that situation
 * (Services/Transport/Grpc/RpcExceptions.cs), so the client reacts as it would in production.
 */
export interface TestServerFaults {
  /** Every call is answered UNAVAILABLE "Server Is Not Ready", as a node that is starting or catching up. */
  unavailable: boolean;
  /** Every call waits this long before it is served: a slow node or a congested network. */
  delayMs: number;
  /**
   * This node is a follower and names that one as the leader (`RpcExceptions.LeaderInfo`): appends, and
   * reads that ask for the leader (`requires-leader`), are answered "not-leader"; other reads are served.
   */
  notLeader?: { readonly host: string; readonly port: number };
  /** The next appends are written, and then their calls fail UNAVAILABLE: an outcome the client cannot know. */
  failAfterWrite: number;
}

export interface TestServerOptions {
  /** Shared with another server to stand for two nodes of one cluster (a leader and a follower). */
  readonly log?: TransactionLog;
  readonly port?: number;
  /** Whether the server offers BatchAppend (22+ do, and the client then uses it for every append). */
  readonly batchAppend?: boolean;
}

const SERVER_VERSION = '24.10.0';
/** AllSubscriptionFiltered's default search window when the client asks for none (`ReadBatchSize`). */
const DEFAULT_SEARCH_WINDOW = 32;

function fail(code: status, details: string, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata });
}

function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function uuidOf(id: UUID | undefined): string {
  if (!id) throw fail(status.INVALID_ARGUMENT, 'An event has no id');
  if (id.hasStructured()) {
    const structured = id.getStructured()!;
    const hex = BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())).toString(16).padStart(16, '0')
      + BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())).toString(16).padStart(16, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const text = id.getString().toLowerCase();
  // The server parses every id as a Guid and refuses what is not one ('…' is not a valid Uuid).
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)) {
    throw fail(status.INVALID_ARGUMENT, `'${id.getString()}' is not a valid Uuid`);
  }
  return text;
}

/** An append's expected version, as Append and BatchAppend each carry it (a revision, or one of three marks). */
function expectedOf(revision: string | undefined, noStream: boolean, streamExists: boolean): ExpectedVersion {
  if (revision !== undefined) return { kind: 'revision', revision: BigInt(revision) };
  if (noStream) return { kind: 'no-stream' };
  return streamExists ? { kind: 'stream-exists' } : { kind: 'any' };
}

type Proposed = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;

function toProposedEvent(message: Proposed): ProposedEvent {
  const metadata = message.getMetadataMap();
  // Streams.Append: both are required (RequiredMetadataPropertyMissing).
  for (const key of ['type', 'content-type']) {
    if (!metadata.get(key)) throw fail(status.INVALID_ARGUMENT, `Required Metadata Property '${key}' is missing`);
  }
  return {
    id: uuidOf(message.getId()),
    type: metadata.get('type')!,
    contentType: metadata.get('content-type')!,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

function toRecordedEvent(record: LogRecord): ReadResp.ReadEvent.RecordedEvent {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(record.id))
    .setStreamIdentifier(streamIdentifier(record.stream))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.position.commit.toString())
    .setPreparePosition(record.position.prepare.toString())
    .setData(record.data)
    .setCustomMetadata(record.metadata);
  recorded.getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', record.created.toString());
  return recorded;
}

function eventMessage(record: LogRecord, withPosition: boolean): ReadResp {
  const event = new ReadResp.ReadEvent().setEvent(toRecordedEvent(record));
  if (withPosition) event.setCommitPosition(record.position.commit.toString());
  else event.setNoPosition(new Empty());
  return new ReadResp().setEvent(event);
}

function filterOf(options: ReadReq.Options): EventFilter | undefined {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter()!;
  const on = filter.hasEventType() ? 'event-type' : 'stream';
  const expression = filter.hasEventType() ? filter.getEventType()! : filter.getStreamIdentifier()!;
  const regex = expression.getRegex();
  return { on, prefixes: expression.getPrefixList(), regex: regex ? new RegExp(regex) : undefined };
}

function positionOf(options: ReadReq.Options.AllOptions): Position | 'start' | 'end' {
  if (options.hasStart()) return 'start';
  if (options.hasEnd()) return 'end';
  const position = options.getPosition()!;
  return { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) };
}

function positionMessage(position: Position): AllStreamPosition {
  return new AllStreamPosition().setCommitPosition(position.commit.toString()).setPreparePosition(position.prepare.toString());
}

/**
 * An EventStoreDB node in this process, speaking the server's gRPC protocol from the service definitions the
 * client package ships (`@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1`): Streams.Append, Streams.BatchAppend,
 * Streams.Read (streams and `$all`, both directions, filtered or not, catch-up subscriptions to `$all`) and
 * ServerFeatures. It stands in for a server where none can run; the same tests run against a real one when
 * EVENTSTORE_CONNECTION_STRING names it.
 */
export class EventStoreDbTestServer {
  readonly faults: TestServerFaults = { unavailable: false, delayMs: 0, failAfterWrite: 0 };
  /** Events sent to clients, all reads and subscriptions together: what crossed the wire. */
  eventsSent = 0;
  private server: Server | undefined;
  private readonly subscriptions = new Set<{ call: ServerWritableStream<ReadReq, ReadResp>; stop: AbortController }>();

  private constructor(
    readonly log: TransactionLog,
    private port: number,
    private readonly batchAppend: boolean,
  ) {}

  static async start(options: TestServerOptions = {}): Promise<EventStoreDbTestServer> {
    const log = options.log ?? EventStoreDbTestServer.freshLog();
    const server = new EventStoreDbTestServer(log, options.port ?? 0, options.batchAppend ?? true);
    await server.listen();
    return server;
  }

  /** A log as a fresh node has it: a few system records before the first event a client writes. */
  static freshLog(): TransactionLog {
    const log = new TransactionLog(1_024n);
    log.writeForeign('$users', '$UserCreated');
    log.writeForeign('$scavenges', '$scavengeIndexInitialized');
    return log;
  }

  get connectionString(): string {
    return `kurrentdb://127.0.0.1:${this.port}?tls=false`;
  }

  get address(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  /** Ends every subscription as a node that went away does; returns how many there were. */
  dropSubscriptions(): number {
    const dropped = this.subscriptions.size;
    for (const subscription of [...this.subscriptions]) {
      subscription.stop.abort();
      subscription.call.emit('error', fail(status.UNAVAILABLE, 'Connection dropped'));
    }
    this.subscriptions.clear();
    return dropped;
  }

  /** The node goes away: its port stops answering, its log is kept. */
  async stop(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.stop.abort();
    this.subscriptions.clear();
    this.server?.forceShutdown();
    this.server = undefined;
  }

  /** The node comes back on the same port with the same log. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  private async listen(): Promise<void> {
    const server = new Server();
    server.addService(StreamsService, {
      read: (call: ServerWritableStream<ReadReq, ReadResp>) => void this.read(call),
      append: (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>) => void this.append(call, callback),
      batchAppend: (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => void this.batch(call),
      delete: (_call: unknown, callback: sendUnaryData<never>) => callback(fail(status.UNIMPLEMENTED, 'Delete is not served by the test server')),
      tombstone: (_call: unknown, callback: sendUnaryData<never>) => callback(fail(status.UNIMPLEMENTED, 'Tombstone is not served by the test server')),
    });
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: sendUnaryData<SupportedMethods>) => {
        this.admit().then(() => callback(null, this.supportedMethods()), (error: ServiceError) => callback(error));
      },
    });
    this.port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${this.port}`, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
    });
    this.server = server;
  }

  private supportedMethods(): SupportedMethods {
    const streams = ['read', 'append', ...(this.batchAppend ? ['batchappend'] : [])];
    return new SupportedMethods()
      .setEventStoreServerVersion(SERVER_VERSION)
      .setMethodsList(streams.map((method) => new SupportedMethod()
        .setServiceName('event_store.client.streams.Streams')
        .setMethodName(method)
        .setFeaturesList(method === 'read' ? ['all', 'position', 'events', 'filter'] : [])));
  }

  /** Applies the faults every call meets before it is served; `needsLeader` for writes and leader-only reads. */
  private async admit(needsLeader = false): Promise<void> {
    if (this.faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    if (this.faults.unavailable) throw fail(status.UNAVAILABLE, 'Server Is Not Ready');
    const leader = this.faults.notLeader;
    if (leader && needsLeader) {
      const metadata = new Metadata();
      metadata.set('exception', 'not-leader');
      metadata.set('leader-endpoint-host', leader.host);
      metadata.set('leader-endpoint-port', String(leader.port));
      throw fail(status.NOT_FOUND, 'Leader info available', metadata);
    }
  }

  /** Writes, or writes and then fails the call (the `failAfterWrite` fault). */
  private write(stream: string, expected: ExpectedVersion, events: readonly ProposedEvent[]): AppendOutcome {
    if (!events.length) throw fail(status.INVALID_ARGUMENT, 'An append needs at least one event');
    const outcome = this.log.append(stream, expected, events);
    if (this.faults.failAfterWrite > 0 && outcome.kind === 'written') {
      this.faults.failAfterWrite -= 1;
      throw fail(status.UNAVAILABLE, 'Connection reset after the write');
    }
    return outcome;
  }

  private async append(call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): Promise<void> {
    try {
      await this.admit(true);
      let options: AppendReq.Options | undefined;
      const events: ProposedEvent[] = [];
      for await (const message of call as AsyncIterable<AppendReq>) {
        if (message.hasOptions()) options = message.getOptions();
        else events.push(toProposedEvent(message.getProposedMessage()!));
      }
      if (!options) throw fail(status.INVALID_ARGUMENT, 'An append starts with its options');
      const expected = expectedOf(options.hasRevision() ? options.getRevision() : undefined, options.hasNoStream(), options.hasStreamExists());
      const outcome = this.write(streamName(options.getStreamIdentifier()), expected, events);
      callback(null, this.appendResponse(outcome, expected));
    } catch (error) {
      callback(error as ServiceError);
    }
  }

  private appendResponse(outcome: AppendOutcome, expected: ExpectedVersion): AppendResp {
    if (outcome.kind === 'wrong-expected-version') {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (outcome.current === undefined) wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(outcome.current.toString());
      if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
      else if (expected.kind === 'no-stream') wrong.setExpectedNoStream(new Empty());
      else if (expected.kind === 'stream-exists') wrong.setExpectedStreamExists(new Empty());
      else wrong.setExpectedAny(new Empty());
      return new AppendResp().setWrongExpectedVersion(wrong);
    }
    const position = new AppendResp.Position()
      .setCommitPosition(outcome.position.commit.toString())
      .setPreparePosition(outcome.position.prepare.toString());
    return new AppendResp().setSuccess(new AppendResp.Success().setCurrentRevision(outcome.revision.toString()).setPosition(position));
  }

  /**
   * Streams.BatchAppend: one long-lived call per client; each append is a run of requests sharing a
   * correlation id, the first with its options, the last marked final, answered by one response.
   */
  private async batch(call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): Promise<void> {
    const pending = new Map<string, { options: BatchAppendReq.Options; events: ProposedEvent[] }>();
    let ended = false;
    // Requests are served one after another, in the order they came; the first failure ends the call.
    let served = this.admit(true);
    const end = (error?: unknown) => {
      if (ended) return;
      ended = true;
      if (error) call.emit('error', error);
      else call.end();
    };
    call.on('data', (request: BatchAppendReq) => {
      served = served.then(async () => {
        if (ended) return;
        // A fault that starts while the call is open ends the call, as the node's going away would.
        await this.admit(true);
        const correlation = request.getCorrelationId()!;
        const key = uuidOf(correlation);
        const entry = pending.get(key) ?? { options: request.getOptions()!, events: [] };
        entry.events.push(...request.getProposedMessagesList().map(toProposedEvent));
        pending.set(key, entry);
        if (!request.getIsFinal()) return;
        pending.delete(key);
        call.write(this.batchResponse(correlation, entry.options, entry.events));
      }).catch(end);
    });
    call.on('end', () => void served.then(() => end(), end));
    await served.catch(end);
  }

  private batchResponse(correlation: UUID, options: BatchAppendReq.Options, events: readonly ProposedEvent[]): BatchAppendResp {
    const stream = streamName(options.getStreamIdentifier());
    const expected = expectedOf(options.hasStreamPosition() ? options.getStreamPosition() : undefined, options.hasNoStream(), options.hasStreamExists());
    const response = new BatchAppendResp().setCorrelationId(correlation).setStreamIdentifier(options.getStreamIdentifier());
    if (options.hasStreamPosition()) response.setStreamPosition(options.getStreamPosition());
    else if (options.hasNoStream()) response.setNoStream(new ProtobufEmpty());
    else if (options.hasStreamExists()) response.setStreamExists(new ProtobufEmpty());
    else response.setAny(new ProtobufEmpty());

    const outcome = this.write(stream, expected, events);
    if (outcome.kind === 'wrong-expected-version') {
      const wrong = new WrongExpectedVersion();
      if (outcome.current === undefined) wrong.setCurrentNoStream(new ProtobufEmpty());
      else wrong.setCurrentStreamRevision(outcome.current.toString());
      if (expected.kind === 'revision') wrong.setExpectedStreamPosition(expected.revision.toString());
      else if (expected.kind === 'no-stream') wrong.setExpectedNoStream(new ProtobufEmpty());
      else if (expected.kind === 'stream-exists') wrong.setExpectedStreamExists(new ProtobufEmpty());
      else wrong.setExpectedAny(new ProtobufEmpty());
      const details = new Any();
      details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
      // google.rpc.Code 9, FAILED_PRECONDITION, with the WrongExpectedVersion detail (Streams.BatchAppend.cs).
      return response.setError(new Status().setCode(9).setMessage(`Append failed due to WrongExpectedVersion. Stream: ${stream}`).setDetails(details));
    }
    return response.setSuccess(new BatchAppendResp.Success()
      .setCurrentRevision(outcome.revision.toString())
      .setPosition(positionMessage(outcome.position)));
  }

  private async read(call: ServerWritableStream<ReadReq, ReadResp>): Promise<void> {
    try {
      await this.admit(call.metadata.get('requires-leader')[0] === 'true');
      const options = call.request.getOptions()!;
      if (options.hasSubscription()) {
        if (!options.hasAll()) throw fail(status.UNIMPLEMENTED, 'Stream subscriptions are not served by the test server');
        await this.subscribe(call, options);
        return;
      }
      const count = Number(BigInt(options.getCount()));
      const records = options.hasAll() ? this.readAll(options, count) : this.readStream(call, options, count);
      for (const record of records ?? []) {
        await this.send(call, eventMessage(record, options.hasAll()));
      }
      call.end();
    } catch (error) {
      call.emit('error', error);
    }
  }

  /** Streams.Read on a stream: from a revision, either way; a stream with no events says so (StreamNotFound). */
  private readStream(call: ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options, count: number): LogRecord[] | undefined {
    if (options.hasFilter()) throw fail(status.INVALID_ARGUMENT, 'The combination of (Stream, Count, Filter) is invalid.');
    const stream = options.getStream()!;
    const records = this.log.streamRecords(streamName(stream.getStreamIdentifier()));
    if (!records) {
      call.write(new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(stream.getStreamIdentifier())));
      return undefined;
    }
    const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
    const from = stream.hasStart() ? 0 : stream.hasEnd() ? records.length - 1 : Number(BigInt(stream.getRevision()));
    return forwards
      ? records.slice(from, from + count)
      : records.slice(Math.max(0, from - count + 1), from + 1).reverse();
  }

  /**
   * Streams.Read on `$all` (ReadAllForwards[Filtered], ReadAllBackwards[Filtered]): forwards includes the
   * event at the position, backwards starts before it; a filter keeps to matching events on the server, and
   * `count` counts the events returned, not those read.
   */
  private readAll(options: ReadReq.Options, count: number): LogRecord[] {
    const filter = filterOf(options);
    const from = positionOf(options.getAll()!);
    const records = this.log.records;
    const out: LogRecord[] = [];
    if (options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS) {
      const start = from === 'start' ? 0 : from === 'end' ? records.length : this.log.indexAtOrAfter(from);
      for (let i = start; i < records.length && out.length < count; i += 1) {
        if (passes(filter, records[i])) out.push(records[i]);
      }
    } else {
      const start = from === 'end' ? records.length - 1 : from === 'start' ? -1 : this.log.indexAtOrAfter(from) - 1;
      for (let i = start; i >= 0 && out.length < count; i -= 1) {
        if (passes(filter, records[i])) out.push(records[i]);
      }
    }
    return out;
  }

  /**
   * A catch-up subscription to `$all` (AllSubscription[Filtered]): confirmation, the events after the
   * position, `caught_up` once it reaches the end (servers 23.10+), then live events. A filtered
   * subscription sends a checkpoint each time it has looked at `window × multiplier` events.
   */
  private async subscribe(call: ServerWritableStream<ReadReq, ReadResp>, options: ReadReq.Options): Promise<void> {
    const stop = new AbortController();
    const entry = { call, stop };
    this.subscriptions.add(entry);
    call.on('cancelled', () => stop.abort());
    const filter = filterOf(options);
    const window = options.getFilter()?.hasMax() ? options.getFilter()!.getMax() : DEFAULT_SEARCH_WINDOW;
    const checkpointEvery = filter ? window * Math.max(1, options.getFilter()!.getCheckpointintervalmultiplier()) : Infinity;
    const from = positionOf(options.getAll()!);
    let next = from === 'start' ? 0 : from === 'end' ? this.log.records.length : this.log.indexAfter(from);
    let sinceCheckpoint = 0;
    let caughtUp = false;
    try {
      await this.send(call, new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
      while (!stop.signal.aborted) {
        while (next < this.log.records.length && !stop.signal.aborted) {
          const record = this.log.records[next];
          next += 1;
          if (passes(filter, record)) await this.send(call, eventMessage(record, true));
          sinceCheckpoint += 1;
          if (sinceCheckpoint >= checkpointEvery) {
            sinceCheckpoint = 0;
            const at = record.position;
            await this.send(call, new ReadResp().setCheckpoint(new ReadResp.Checkpoint()
              .setCommitPosition(at.commit.toString()).setPreparePosition(at.prepare.toString())));
          }
        }
        if (!caughtUp && !stop.signal.aborted) {
          caughtUp = true;
          await this.send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
        }
        await this.log.changed(stop.signal);
      }
    } finally {
      this.subscriptions.delete(entry);
    }
  }

  /** Writes one message, waiting while the client's window is full (gRPC flow control). */
  private async send(call: ServerWritableStream<ReadReq, ReadResp>, message: ReadResp): Promise<void> {
    if (message.hasEvent()) this.eventsSent += 1;
    if (call.write(message)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        for (const event of ['drain', 'cancelled', 'close']) call.off(event, done);
        resolve();
      };
      for (const event of ['drain', 'cancelled', 'close']) call.on(event, done);
    });
  }
}
