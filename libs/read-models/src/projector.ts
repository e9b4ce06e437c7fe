import { comparePositions, type EventStore, type Position, type RecordedEvent, TimeSlice } from '@ledger/event-store';
import type { ApplyOptions, ReadModelStore } from './read-model-store';

export interface ProjectorOptions extends ApplyOptions {
  /** Events applied in one transaction at most. */
  readonly batchSize?: number;
  /**
   * How long a batch waits for more events once none is ready (ms): under a steady write load a few
   * milliseconds gather many more events into one transaction, and a customer's events into one view write.
   */
  readonly lingerMs?: number;
  /** Called after each committed batch. */
  readonly onBatch?: (applied: number) => void;
  /** Called when a run fails; the projector then stops (its supervisor decides on a restart). */
  readonly onError?: (error: unknown) => void;
}

const NEXT_TURN = Symbol('next turn');

/**
 * Feeds one read-model store from the event store: from the store's checkpoint, in batches, each batch and
 * its checkpoint in one transaction. Events come from a live subscription; a batch is cut when it is full
 * or when no further event is ready in this turn of the event loop. Between batches the projector lets the
 * event loop turn once a time slice is used up: a store that hands over pages without I/O (SQLite) would
 * otherwise keep HTTP, timers and the garbage collector's idle work waiting for a whole catch-up.
 */
export class Projector {
  private running?: Promise<void>;
  private stopRequested = false;
  private subscriptionClose?: () => Promise<void>;
  private failure?: unknown;

  constructor(
    private readonly events: EventStore,
    readonly store: ReadModelStore,
    private readonly options: ProjectorOptions = {},
  ) {}

  get state(): 'running' | 'stopped' | 'failed' {
    if (this.failure !== undefined) return 'failed';
    return this.running ? 'running' : 'stopped';
  }

  get lastError(): unknown {
    return this.failure;
  }

  /** Reads the log page by page until it has applied everything there is now (or up to `upTo`, inclusive). */
  async catchUp(upTo?: Position): Promise<number> {
    const batchSize = this.options.batchSize ?? 1000;
    const slice = new TimeSlice();
    let applied = 0;
    for (;;) {
      const from = this.options.only === undefined ? this.store.checkpoint() : this.store.checkpointOf(this.options.only);
      const page = await this.events.readAll({ after: from?.position, maxCount: batchSize });
      const wanted = upTo ? page.filter((event) => comparePositions(event.position, upTo) <= 0) : page;
      if (wanted.length === 0) return applied;
      applied += this.applyBatch(wanted);
      if (wanted.length < page.length) return applied;
      if (slice.due()) await slice.pause();
    }
  }

  /** Starts following the log in the background. */
  start(): void {
    if (this.running) return;
    this.stopRequested = false;
    this.failure = undefined;
    this.running = this.follow()
      .catch((error: unknown) => {
        this.failure = error;
        this.options.onError?.(error);
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.subscriptionClose?.();
    await this.running;
  }

  private applyBatch(batch: readonly RecordedEvent[]): number {
    const applied = this.store.apply(batch, this.options);
    this.options.onBatch?.(applied);
    return applied;
  }

  private nextTurn(): Promise<typeof NEXT_TURN> {
    const linger = this.options.lingerMs ?? 0;
    return new Promise((resolve) => {
      if (linger > 0) setTimeout(() => resolve(NEXT_TURN), linger);
      else setImmediate(() => resolve(NEXT_TURN));
    });
  }

  private async follow(): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    const subscription = this.events.subscribeToAll({ after: this.store.checkpoint()?.position });
    this.subscriptionClose = () => subscription.close();
    const iterator = subscription[Symbol.asyncIterator]();
    const slice = new TimeSlice();
    let batch: RecordedEvent[] = [];
    let next = iterator.next();
    try {
      while (!this.stopRequested) {
        const result = batch.length === 0
          ? await next
          : await Promise.race([next, this.nextTurn()]);
        if (result === NEXT_TURN) {
          this.applyBatch(batch);
          batch = [];
          continue;
        }
        if (result.done) break;
        batch.push(result.value);
        next = iterator.next();
        if (batch.length >= batchSize) {
          this.applyBatch(batch);
          batch = [];
          if (slice.due()) await slice.pause();
        }
      }
      if (batch.length > 0) this.applyBatch(batch);
    } finally {
      await subscription.close();
      await iterator.return?.();
    }
  }
}
