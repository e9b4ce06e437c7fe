import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { CommandRefused, metadataOf, policyVersionAt } from '@ledger/domain';
import { DuplicateEventIdError, eventIdFor, type RecordedEvent, type RefusalLog, scopedCommandId } from '@ledger/event-store';
import { IdempotencyKeyReusedError } from './command-errors';
import type { CommandEnvelope, CommandResult } from './command-runner';
import type { StreamState, StreamStateCache } from './stream-state-cache';

/** A command as its sender gave it, less the envelope: what a retry must repeat. */
export interface SentCommand {
  readonly type: string;
  readonly data: unknown;
}

/**
 * Everything that makes a client's command id be applied once, in one place: the guard a command passes
 * before it is decided, and what it leaves behind after.
 *
 * - A command is fingerprinted (its type, data, actor and client); a retry must carry the same fingerprint,
 *   else it is refused with `IDEMPOTENCY_KEY_REUSED`.
 * - Concurrent runs of one command id are decided once: the later ones wait for the first.
 * - A command id already applied is answered from the events it appended (found through the stream's
 *   command index); one already refused gets its refusal again (from the refusal log).
 * - Its events take ids derived from the client and command id, so a store that already holds them (another
 *   replica raced it) keeps the first, and an id already taken by other events means the key was reused.
 */
export class Idempotency {
  /** The commands being decided now, by scoped command id. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly refusals: RefusalLog,
    private readonly states: StreamStateCache,
  ) {}

  /** Runs `decide` once no other run of the same client's command id is in flight. */
  async once<T>({ client, commandId }: CommandEnvelope, decide: () => Promise<T>): Promise<T> {
    const key = scopedCommandId(client, commandId);
    for (let running = this.inFlight.get(key); running; running = this.inFlight.get(key)) {
      await running.catch(() => undefined);
    }
    const decided = decide();
    this.inFlight.set(key, decided);
    try {
      return await decided;
    } finally {
      this.inFlight.delete(key);
    }
  }

  fingerprint(command: SentCommand, { actor, client }: CommandEnvelope): string {
    const canonical = canonicalize({ type: command.type, data: command.data, actor, client });
    return hash('sha256', canonical ?? '', 'base64url');
  }

  /**
   * The first answer to this command id, when it had one: undefined for a new command, the result it had
   * when it was applied, or (thrown) the refusal it had.
   */
  async firstAnswer(stream: string, loaded: StreamState<unknown>, envelope: CommandEnvelope, fingerprint: string): Promise<CommandResult | undefined> {
    const applied = loaded.commands.appliedBy(envelope.client, envelope.commandId);
    if (applied) return answerRetry(await this.states.eventsOf(stream, applied), stream, fingerprint, envelope.commandId);
    const refusal = await this.refusals.find(envelope.client, envelope.commandId);
    if (!refusal) return undefined;
    if (refusal.commandHash !== fingerprint) throw new IdempotencyKeyReusedError(envelope.commandId);
    // The refusal was decided under the rules in force when it was recorded.
    throw new CommandRefused(refusal.code, refusal.category as CommandRefused['category'], refusal.message, policyVersionAt(refusal.recordedAt).version);
  }

  /** The id of a command's `index`-th event. */
  eventId({ client, commandId }: CommandEnvelope, index: number): string {
    return eventIdFor(scopedCommandId(client, commandId), index);
  }

  /** What an append's failure means for the command: an event id already taken means its key was reused. */
  appendFailure(error: unknown, { commandId }: CommandEnvelope): unknown {
    return error instanceof DuplicateEventIdError ? new IdempotencyKeyReusedError(commandId) : error;
  }

  /** Keeps a refusal, so that a retry of the command is refused alike. */
  async keepRefusal(refusal: CommandRefused, command: SentCommand, envelope: CommandEnvelope, stream: string, fingerprint: string, now: string): Promise<void> {
    await this.refusals.record({
      commandId: envelope.commandId, commandHash: fingerprint, commandType: command.type, stream,
      code: refusal.code, category: refusal.category, message: refusal.message,
      actor: envelope.actor, client: envelope.client, correlationId: envelope.correlationId,
      recordedAt: now, command: command.data,
    });
  }
}

function answerRetry(applied: readonly RecordedEvent[], stream: string, fingerprint: string, commandId: string): CommandResult {
  if (metadataOf(applied[0]).commandHash !== fingerprint) throw new IdempotencyKeyReusedError(commandId);
  const last = applied[applied.length - 1];
  return {
    commandId, stream, revision: last.revision, position: last.position,
    events: applied.map(({ id, type, data }) => ({ id, type, data })), replayed: true,
  };
}
