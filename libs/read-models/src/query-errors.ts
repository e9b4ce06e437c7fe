/**
 * Why a query has no answer. These are the read side's own errors, apart from the domain's refusals of
 * commands; each has a stable `code`, and the HTTP layer alone decides the status it answers with.
 */
export abstract class QueryError extends Error {
  abstract readonly code: string;
}

/**
 * The asked customer or partner is not known to the read models, or not to this reader (the two read
 * alike); or the asked event or checkpoint is not in the log's Merkle tree (yet).
 */
export class NotFoundError extends QueryError {
  override readonly name = 'NotFoundError';

  constructor(
    readonly code: 'CUSTOMER_NOT_FOUND' | 'PARTNER_NOT_FOUND' | 'EVENT_NOT_FOUND' | 'CHECKPOINT_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

/** A query was given a cursor this ledger did not hand out. */
export class InvalidCursorError extends QueryError {
  override readonly name = 'InvalidCursorError';
  readonly code = 'INVALID_CURSOR';
}

/** The read models cannot answer now: they are damaged and being rebuilt, or still being built. */
export class ReadModelsUnavailableError extends QueryError {
  override readonly name = 'ReadModelsUnavailableError';
  readonly code = 'READ_MODELS_UNAVAILABLE';
}
