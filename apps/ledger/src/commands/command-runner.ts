import type { Tracer } from '@opentelemetry/api';
import {
  type Actor,
  type CommandInput,
  CommandRefused,
  decodeEvent,
  type Decider,
  EVENT_SCHEMA_VERSIONS,
  type LedgerEvent,
  type LedgerEventMetadata,
  type LedgerPolicy,
  partnerDecider,
  type PartnerState,
  policyVersionAt,
  streamName,
  withContext,
} from '@ledger/domain';
import {
  type ChainedEventStore,
  EventStoreUnavailableError,
  type Position,
  type RecordedEvent,
  type RefusalLog,
  StaleReadError,
  type StreamRead,
  WrongExpectedRevisionError,
} from '@ledger/event-store';
import type { Credential } from '../auth/principal';
import type { Clock } from '../clock';
import { inSpan } from '../operations/tracing';
import { ConcurrencyConflictError, RevisionMismatchError } from './command-errors';
import { Idempotency } from './idempotency';
import type { StateSnapshots } from './state-snapshots';
import { StreamStateCache } from './stream-state-cache';

/** Who sends a command and how: everything about it that is not the command's own data. */
export interface CommandEnvelope {
  /** The client's command id (its Idempotency-Key): a retry with the same id from the same client is applied once. */
  readonly commandId: string;
  readonly actor: Actor;
  /** The authenticated calling client: command ids are its own. */
  readonly client: string;
  /** How the client proved who it is. */
  readonly credential: Credential;
  readonly correlationId: string;
  /** From If-Match: the stream must be at exactly this revision (or, for `stream-exists`, have any). */
  readonly expectedRevision?: bigint | 'stream-exists';
}

export interface CommandResult {
  readonly commandId: string;
  readonly stream: string;
  /** The stream's revision after the command: its new ETag. */
  readonly revision: bigint;
  readonly position: Position;
  readonly events: ReadonlyArray<{ readonly id: string; readonly type: string; readonly data: unknown }>;
  /** True when this answers a retry of a command that was applied before. */
  readonly replayed: boolean;
}

export interface CommandRunnerOptions {
  readonly policy: LedgerPolicy;
  /** How often a command is decided again when its stream changed under it (without If-Match). */
  readonly maxAttempts: number;
  /** How many streams' folded states are kept between commands (default 10,000). */
  readonly cachedStreams?: number;
  /** Where folded states are kept every 1,000 events of a stream, for streams not in the cache (after a restart). */
  readonly snapshots?: StateSnapshots;
  /** Told whether the stores took each command (readiness follows it). */
  readonly storeHealth?: { succeeded(): void; failed(error: EventStoreUnavailableError): void };
  /** Traces each command and its append, when traces are on. */
  readonly tracer?: Tracer;
}

/**
 * The one path every command takes, in parts: the idempotency guard (a command id is applied once), the
 * stream's state (what came since the state cached for it, folded), If-Match, the decision, and the append
 * at the exact revision read, retried on a conflict. The store it is given chains each event to the one
 * before it by hash (a {@link ChainedEventStore}), so the runner does not.
 */
export class CommandRunner {
  private readonly states: StreamStateCache;
  private readonly idempotency: Idempotency;

  constructor(
    private readonly store: ChainedEventStore,
    refusals: RefusalLog,
    private readonly clock: Clock,
    private readonly options: CommandRunnerOptions,
  ) {
    this.states = new StreamStateCache(store, options.cachedStreams ?? 10_000, options.snapshots);
    this.idempotency = new Idempotency(refusals, this.states);
  }

  /**
   * Runs a command. Concurrent runs of one client's command id are decided once: the later ones wait for
   * the first and are answered as its retries (or refused, when they carry another command).
   */
  async run<C extends { type: string; data: unknown }, E extends LedgerEvent, S>(
    decider: Decider<C, E, S>,
    input: CommandInput<C>,
    envelope: CommandEnvelope,
  ): Promise<CommandResult> {
    try {
      const result = await inSpan(this.options.tracer, `command ${input.type}`,
        { 'ledger.command.type': input.type, 'ledger.command.id': envelope.commandId },
        async (span) => {
          const answered = await this.idempotency.once(envelope, () => this.decideAndAppend(decider, input, envelope));
          span?.setAttributes({ 'ledger.stream': answered.stream, 'ledger.command.replayed': answered.replayed === true });
          return answered;
        });
      this.options.storeHealth?.succeeded();
      return result;
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) this.options.storeHealth?.failed(error);
      else if (error instanceof CommandRefused) this.options.storeHealth?.succeeded();
      throw error;
    }
  }

  private async decideAndAppend<C extends { type: string; data: unknown }, E extends LedgerEvent, S>(
    decider: Decider<C, E, S>,
    input: CommandInput<C>,
    envelope: CommandEnvelope,
  ): Promise<CommandResult> {
    const fingerprint = this.idempotency.fingerprint(input, envelope);
    const stream = streamName(decider.category, decider.entityId(input));
    const { maxAttempts } = this.options;

    for (let attempt = 1; ; attempt += 1) {
      const loaded = await this.states.load(stream, {
        initialState: decider.initialState,
        evolve: (folded: S, event: RecordedEvent) => decider.evolve(folded, asDomainEvent<E>(event)),
      });
      const first = await this.idempotency.firstAnswer(stream, loaded, envelope, fingerprint);
      if (first) return first;

      checkIfMatch(stream, envelope.expectedRevision, loaded.revision);
      const now = this.clock.now().toISOString();
      const command = withContext<C>(input, { actor: envelope.actor, now });
      const { partners, reads } = await this.loadPartners(decider.referencedPartners(command, loaded.state));
      const policy = policyVersionAt(now).version;

      let decided: E[];
      try {
        decided = decider.decide(command, loaded.state, partners, this.options.policy);
      } catch (error) {
        if (!(error instanceof CommandRefused)) throw error;
        await this.idempotency.keepRefusal(error, input, envelope, stream, fingerprint, now);
        throw error.underPolicy(policy);
      }

      const events = decided.map((event, index) => ({
        id: this.idempotency.eventId(envelope, index),
        type: event.type,
        schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
        data: event.data,
        metadata: {
          commandId: envelope.commandId,
          commandType: input.type,
          commandHash: fingerprint,
          actor: envelope.actor,
          client: envelope.client,
          credential: envelope.credential,
          correlationId: envelope.correlationId,
          causationId: envelope.commandId,
          recordedAt: now,
          policy,
        } satisfies LedgerEventMetadata,
      }));
      try {
        const appended = await inSpan(this.options.tracer, 'eventstore.append', { 'ledger.stream': stream, 'ledger.events': events.length },
          () => this.store.appendToStream(stream, events, {
            expectedRevision: loaded.revision === -1n ? 'no-stream' : loaded.revision,
            reads: reads.filter((read) => read.stream !== stream),
          }));
        return {
          commandId: envelope.commandId, stream, revision: appended.nextRevision, position: appended.position,
          events: events.map(({ id, type, data }) => ({ id, type, data })),
          // The same command raced itself (another replica, a concurrent retry): the store kept the first.
          replayed: appended.alreadyAppended === true,
        };
      } catch (error) {
        // A partner the decision read moved on: decide again on what it holds now, If-Match or not (the
        // caller's stream did not move).
        if (error instanceof StaleReadError) {
          if (attempt >= maxAttempts) throw new ConcurrencyConflictError(error.stream, maxAttempts);
        } else if (error instanceof WrongExpectedRevisionError) {
          if (envelope.expectedRevision !== undefined) {
            throw new RevisionMismatchError(stream, String(envelope.expectedRevision), error.actual);
          }
          if (attempt >= maxAttempts) throw new ConcurrencyConflictError(stream, maxAttempts);
        } else {
          throw this.idempotency.appendFailure(error, envelope);
        }
        await backOff(attempt);
      }
    }
  }

  /** The partners a decision reads, and the revisions it read them at: its append holds them to those. */
  private async loadPartners(ids: readonly string[]): Promise<{ partners: Map<string, PartnerState>; reads: StreamRead[] }> {
    const loaded = await Promise.all([...new Set(ids)].map(async (id) => {
      const stream = streamName('partner', id);
      const { state, revision } = await this.states.load(stream, PARTNER_FOLDING);
      return { id, state, read: { stream, revision } };
    }));
    return { partners: new Map(loaded.map(({ id, state }) => [id, state])), reads: loaded.map(({ read }) => read) };
  }
}

/** A pause before deciding again after a conflict: up to 2, 4, 8 … ms (capped at 50), drawn at random so racers spread out. */
function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

const PARTNER_FOLDING = {
  initialState: partnerDecider.initialState,
  evolve: (state: PartnerState, event: RecordedEvent) => partnerDecider.evolve(state, asDomainEvent(event)),
};

/** A stored event decoded (and upcast) for a decider's evolve; a stream holds only what deciders produced. */
function asDomainEvent<E>(event: RecordedEvent): E {
  const decoded = decodeEvent(event);
  if (!decoded) throw new Error(`Event ${event.id} of ${event.stream} has type ${event.type}, which the ledger does not know`);
  return decoded as unknown as E;
}

function checkIfMatch(stream: string, expected: CommandEnvelope['expectedRevision'], actual: bigint): void {
  if (expected === undefined) return;
  const matches = expected === 'stream-exists' ? actual >= 0n : expected === actual;
  if (!matches) throw new RevisionMismatchError(stream, String(expected), actual);
}
