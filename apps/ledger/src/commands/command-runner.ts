import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
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
  metadataOf,
  partnerDecider,
  type PartnerState,
  streamName,
  withContext,
} from '@ledger/domain';
import {
  chainEvents,
  chainHeadOf,
  DuplicateEventIdError,
  eventIdFor,
  type EventStore,
  EventStoreUnavailableError,
  type Position,
  type RecordedEvent,
  type RefusalLog,
  scopedCommandId,
  WrongExpectedRevisionError,
} from '@ledger/event-store';
import type { Credential } from '../auth/principal';
import type { Clock } from '../clock';
import { ConcurrencyConflictError, IdempotencyKeyReusedError, RevisionMismatchError } from './command-errors';
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
}

/**
 * The one path every command takes: read the stream (what came since the state cached for it), fold its state, decide, append at the exact revision
 * read, with event ids derived from the command id and each event chained by hash to the one before it. A refusal is kept in the refusal log, and a retried
 * command id gets the first answer again, whether it was applied or refused.
 */
export class CommandRunner {
  private readonly states: StreamStateCache;
  /** The commands being decided now, by scoped command id. */
  private readonly inFlight = new Map<string, Promise<CommandResult>>();

  constructor(
    private readonly store: EventStore,
    private readonly refusals: RefusalLog,
    private readonly clock: Clock,
    private readonly options: CommandRunnerOptions,
  ) {
    this.states = new StreamStateCache(store, options.cachedStreams ?? 10_000, options.snapshots);
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
    const key = scopedCommandId(envelope.client, envelope.commandId);
    for (let running = this.inFlight.get(key); running; running = this.inFlight.get(key)) {
      await running.catch(() => undefined);
    }
    const decided = this.decideAndAppend(decider, input, envelope);
    this.inFlight.set(key, decided);
    try {
      const result = await decided;
      this.options.storeHealth?.succeeded();
      return result;
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) this.options.storeHealth?.failed(error);
      else if (error instanceof CommandRefused) this.options.storeHealth?.succeeded();
      throw error;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async decideAndAppend<C extends { type: string; data: unknown }, E extends LedgerEvent, S>(
    decider: Decider<C, E, S>,
    input: CommandInput<C>,
    envelope: CommandEnvelope,
  ): Promise<CommandResult> {
    const commandHash = hashCommand(input, envelope);
    const stream = streamName(decider.category, decider.entityId(input));
    const attempts = envelope.expectedRevision === undefined ? this.options.maxAttempts : 1;

    for (let attempt = 1; ; attempt += 1) {
      const { revision, state, last, commands } = await this.states.load(stream, {
        initialState: decider.initialState,
        evolve: (folded: S, event: RecordedEvent) => decider.evolve(folded, asDomainEvent<E>(event)),
      });
      const applied = commands.appliedBy(envelope.client, envelope.commandId);
      if (applied) return answerRetry(await this.states.eventsOf(stream, applied), stream, commandHash, envelope.commandId);
      await this.answerRetriedRefusal(envelope, commandHash);

      checkIfMatch(stream, envelope.expectedRevision, revision);
      const now = this.clock.now().toISOString();
      const command = withContext<C>(input, { actor: envelope.actor, now });
      const partners = await this.loadPartners(decider.referencedPartners(command, state));

      let decided: E[];
      try {
        decided = decider.decide(command, state, partners, this.options.policy);
      } catch (error) {
        if (error instanceof CommandRefused) await this.keepRefusal(error, input, envelope, stream, commandHash, now);
        throw error;
      }

      const events = chainEvents(stream, chainHeadOf(last), decided.map((event, index) => ({
        id: eventIdFor(scopedCommandId(envelope.client, envelope.commandId), index),
        type: event.type,
        schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
        data: event.data,
        metadata: {
          commandId: envelope.commandId,
          commandType: input.type,
          commandHash,
          actor: envelope.actor,
          client: envelope.client,
          credential: envelope.credential,
          correlationId: envelope.correlationId,
          causationId: envelope.commandId,
          recordedAt: now,
        } satisfies LedgerEventMetadata,
      })));
      try {
        const appended = await this.store.appendToStream(stream, events, {
          expectedRevision: revision === -1n ? 'no-stream' : revision,
        });
        return {
          commandId: envelope.commandId, stream, revision: appended.nextRevision, position: appended.position,
          events: events.map(({ id, type, data }) => ({ id, type, data })),
          // The same command raced itself (another replica, a concurrent retry): the store kept the first.
          replayed: appended.alreadyAppended === true,
        };
      } catch (error) {
        if (error instanceof DuplicateEventIdError) throw new IdempotencyKeyReusedError(envelope.commandId);
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (envelope.expectedRevision !== undefined) {
          throw new RevisionMismatchError(stream, String(envelope.expectedRevision), error.actual);
        }
        if (attempt >= attempts) throw new ConcurrencyConflictError(stream, attempts);
        await backOff(attempt);
      }
    }
  }

  private async loadPartners(ids: readonly string[]): Promise<Map<string, PartnerState>> {
    const entries = await Promise.all(ids.map(async (id) => {
      const { state } = await this.states.load(streamName('partner', id), PARTNER_FOLDING);
      return [id, state] as const;
    }));
    return new Map(entries);
  }

  private async answerRetriedRefusal({ client, commandId }: CommandEnvelope, commandHash: string): Promise<void> {
    const refusal = await this.refusals.find(client, commandId);
    if (!refusal) return;
    if (refusal.commandHash !== commandHash) throw new IdempotencyKeyReusedError(commandId);
    throw new CommandRefused(refusal.code, refusal.category as CommandRefused['category'], refusal.message);
  }

  private async keepRefusal(
    refusal: CommandRefused,
    input: { type: string; data: unknown },
    envelope: CommandEnvelope,
    stream: string,
    commandHash: string,
    now: string,
  ): Promise<void> {
    await this.refusals.record({
      commandId: envelope.commandId, commandHash, commandType: input.type, stream,
      code: refusal.code, category: refusal.category, message: refusal.message,
      actor: envelope.actor, client: envelope.client, correlationId: envelope.correlationId,
      recordedAt: now, command: input.data,
    });
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

function hashCommand(input: { type: string; data: unknown }, envelope: CommandEnvelope): string {
  const canonical = canonicalize({ type: input.type, data: input.data, actor: envelope.actor, client: envelope.client });
  return createHash('sha256').update(canonical ?? '').digest('base64url');
}

function checkIfMatch(stream: string, expected: CommandEnvelope['expectedRevision'], actual: bigint): void {
  if (expected === undefined) return;
  const matches = expected === 'stream-exists' ? actual >= 0n : expected === actual;
  if (!matches) throw new RevisionMismatchError(stream, String(expected), actual);
}

function answerRetry(applied: readonly RecordedEvent[], stream: string, commandHash: string, commandId: string): CommandResult {
  if (metadataOf(applied[0]).commandHash !== commandHash) throw new IdempotencyKeyReusedError(commandId);
  const last = applied[applied.length - 1];
  return {
    commandId, stream, revision: last.revision, position: last.position,
    events: applied.map(({ id, type, data }) => ({ id, type, data })), replayed: true,
  };
}
