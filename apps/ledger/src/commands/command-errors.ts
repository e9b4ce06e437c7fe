/**
 * Why a command was not applied although no rule refused it. Each has a stable `code`; the problem filter
 * alone decides the HTTP status it answers with.
 */
export abstract class CommandNotApplied extends Error {
  abstract readonly code: string;
}

/** If-Match named a revision the stream is not at. */
export class RevisionMismatchError extends CommandNotApplied {
  override readonly name = 'RevisionMismatchError';
  readonly code = 'REVISION_MISMATCH';

  constructor(stream: string, expected: string, actual: bigint) {
    super(`Stream ${stream} is at revision ${actual}, not ${expected} as If-Match says.`);
  }
}

/** The stream kept changing under the command, however often it was decided again. */
export class ConcurrencyConflictError extends CommandNotApplied {
  override readonly name = 'ConcurrencyConflictError';
  readonly code = 'CONCURRENCY_CONFLICT';

  constructor(stream: string, attempts: number) {
    super(`Stream ${stream} kept changing under the command; gave up after ${attempts} attempts.`);
  }
}

/** The client's command id already names another command. */
export class IdempotencyKeyReusedError extends CommandNotApplied {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor(commandId: string) {
    super(`Idempotency key ${commandId} was already used for a different command.`);
  }
}
