import type { EventSubscription, RecordedEvent } from '../event-store.port';
import type { Position } from '../position';

export interface BackoffOptions {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  /**
   * How much of each delay is left to chance (0 to 1; none when absent): replicas that lost the same node
   * then come back at different moments instead of all at once.
   */
  readonly jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 100, maxDelayMs: 10_000, factor: 2, jitter: 0.5 };

/** The wait before the `attempt`-th retry (1-based): exponential, capped, shortened by up to `jitter` of itself. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const delay = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, attempt - 1));
  return Math.round(delay * (1 - (options.jitter ?? 0) * random()));
}

/** One live subscription of the underlying client, from a position (exclusive). */
export interface SourceSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface ResubscribeOptions {
  readonly backoff?: BackoffOptions;
  /** Whether a failure is worth a new subscription (an outage, a cut call, a lost leader, a slow consumer). */
  readonly isRetryable: (error: unknown) => boolean;
  readonly onResubscribe?: (error: unknown, delayMs: number, after: Position | undefined) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A subscription that survives drops: when the source fails with a retryable error (or ends), it waits with
 * exponential backoff and subscribes again from the last position it delivered, so no event is lost or
 * delivered twice. Events are pulled one at a time, so a slow consumer slows the source (backpressure)
 * instead of filling a buffer.
 */
export class ResubscribingSubscription implements EventSubscription {
  private closed = false;
  private current?: SourceSubscription;
  private wake?: () => void;

  constructor(
    private readonly open: (after: Position | undefined) => SourceSubscription,
    private after: Position | undefined,
    private readonly options: ResubscribeOptions,
  ) {}

  /** The position of the last event delivered: where a resubscription starts. */
  get position(): Position | undefined {
    return this.after;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let attempt = 0;
    while (!this.closed) {
      const source = this.open(this.after);
      this.current = source;
      let failure: unknown;
      try {
        for await (const event of source) {
          attempt = 0;
          this.after = event.position;
          yield event;
          if (this.closed) return;
        }
      } catch (error) {
        if (!this.options.isRetryable(error)) throw error;
        failure = error;
      } finally {
        await source.close();
      }
      if (this.closed) return;
      attempt += 1;
      const delay = backoffDelay(attempt, this.options.backoff);
      this.options.onResubscribe?.(failure, delay, this.after);
      await this.pause(delay);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.current?.close();
  }

  private pause(ms: number): Promise<void> {
    if (this.options.sleep) return this.options.sleep(ms);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
