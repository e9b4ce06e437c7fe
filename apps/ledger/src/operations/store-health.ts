import type { EventStoreUnavailableError, StoreFaultReason } from '@ledger/event-store';

/** Seconds a client should wait before trying again, by fault: an outage or a busy store may pass soon, a full disk needs someone. */
export const RETRY_AFTER_SECONDS: Readonly<Record<StoreFaultReason, number>> = {
  unreachable: 5, busy: 1, closed: 5, 'disk-full': 30, 'io-error': 30, 'read-only': 30, corrupt: 30,
};

export interface StoreFault {
  readonly reason: StoreFaultReason;
  readonly message: string;
  /** When the latest failure happened (ISO 8601). */
  readonly lastFailureAt: string;
  readonly retryAfterSeconds: number;
}

/**
 * What the latest writes say about the event store. Readiness asks it: a store that reads but cannot write
 * (a full disk) still answers a probe's read. Down from a failed write until one succeeds, or until no write
 * has failed for `windowMs`: then readiness lets traffic in again, and the next write tells.
 */
export class StoreHealth {
  private lastFailure?: { at: number; error: EventStoreUnavailableError };
  private lastSuccessAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: EventStoreUnavailableError): void {
    this.lastFailure = { at: this.now(), error };
  }

  succeeded(): void {
    this.lastSuccessAt = this.now();
  }

  /** The fault in force, if the latest write failed within the window. */
  get fault(): StoreFault | undefined {
    const failure = this.lastFailure;
    if (!failure || failure.at < this.lastSuccessAt || this.now() - failure.at > this.windowMs) return undefined;
    return {
      reason: failure.error.reason, message: failure.error.message, lastFailureAt: new Date(failure.at).toISOString(),
      retryAfterSeconds: RETRY_AFTER_SECONDS[failure.error.reason],
    };
  }
}
