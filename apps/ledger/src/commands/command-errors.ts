import { HttpProblem } from '../problems/http-problem';

export class RevisionMismatchError extends HttpProblem {
  override readonly name = 'RevisionMismatchError';

  constructor(stream: string, expected: string, actual: bigint) {
    super(412, 'REVISION_MISMATCH', `Stream ${stream} is at revision ${actual}, not ${expected} as If-Match says.`);
  }
}

export class ConcurrencyConflictError extends HttpProblem {
  override readonly name = 'ConcurrencyConflictError';

  constructor(stream: string, attempts: number) {
    super(409, 'CONCURRENCY_CONFLICT', `Stream ${stream} kept changing under the command; gave up after ${attempts} attempts.`);
  }
}

export class IdempotencyKeyReusedError extends HttpProblem {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor(commandId: string) {
    super(422, 'IDEMPOTENCY_KEY_REUSED', `Idempotency key ${commandId} was already used for a different command.`);
  }
}
