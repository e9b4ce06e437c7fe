import { existsSync, renameSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { comparePositions, type EventStore, type Position } from '@ledger/event-store';
import { buildReadModels, removeDatabase } from './build-read-models';
import type { Projection } from './projection';
import { recordedAtOf } from './projected-event';
import { Projector, type ProjectorOptions } from './projector';
import { ReadModelsUnavailableError } from './query-errors';
import { isDamaged, type ProjectionStatus, ReadModelStore } from './read-model-store';

export interface ReadSideOptions {
  /** The read models' SQLite file. */
  readonly file: string;
  /** The projections held (the ledger's by default): a new or re-versioned one is built from the log at start. */
  readonly projections?: readonly Projection[];
  readonly batchSize?: number;
  /** See {@link ProjectorOptions.lingerMs}. */
  readonly lingerMs?: number;
  /** Wait before a failed projector is restarted from its checkpoint (ms). */
  readonly restartDelayMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Called when the read-model file is found damaged (at start or later); it is then set aside and rebuilt. */
  readonly onDamaged?: (error: unknown) => void;
  /** Passed to the live projector (tests inject faults here). */
  readonly beforeEach?: ProjectorOptions['beforeEach'];
}

export interface Lag {
  /** Events in the log that the read models have not seen yet. */
  readonly events: number;
  /** How long ago the oldest of them was recorded (0 when caught up). */
  readonly seconds: number;
}

export interface RebuildReport {
  readonly events: number;
  readonly seconds: number;
}

/** The latest rebuild, for an operator polling it. */
export interface RebuildStatus {
  readonly state: 'idle' | 'running' | 'succeeded' | 'failed';
  /** Why it ran: asked for, the read models were found damaged, or they were empty on a long log (a new replica). */
  readonly cause?: RebuildCause;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Events read from the log (when it succeeded). */
  readonly events?: number;
  readonly seconds?: number;
  readonly error?: string;
}

export type RebuildCause = 'requested' | 'damaged' | 'empty';

/** From how many events an empty read model is built in bulk (about four times faster) rather than by the live projector. */
export const BULK_CATCH_UP_FROM = 10_000;

/** Where a damaged read-model file is moved (the one before it is dropped), for whoever wants to look at it. */
export function damagedCopyOf(file: string): string {
  return `${file}.damaged`;
}

/**
 * The read side of one service instance: the live read-model store, the projector feeding it (restarted
 * from its checkpoint when it fails), waits for a position, and rebuilds that swap a fresh copy in.
 * A damaged file (SQLite's quick_check at start, or damage met later by a query or the projector) is set
 * aside and rebuilt from the log; queries answer {@link ReadModelsUnavailableError} meanwhile.
 */
export class ReadSide {
  private current: ReadModelStore;
  private projector: Projector;
  private readonly waiters = new Set<() => void>();
  private restartTimer?: NodeJS.Timeout;
  private stopped = true;
  private rebuilding?: Promise<RebuildReport>;
  private lastRebuild: RebuildStatus = { state: 'idle' };
  /** Set while damaged read models are replaced: queries are refused until the rebuild is in. */
  private healing?: Promise<void>;
  private damageAtStart?: unknown;
  /** Set while new or re-versioned projections are built by themselves. */
  private buildingNew?: Promise<void>;

  constructor(
    private readonly events: EventStore,
    private readonly options: ReadSideOptions,
  ) {
    // A rebuild killed midway leaves its scratch copy: it is never served, so it goes.
    removeDatabase(this.scratchFile);
    this.current = this.openChecked();
    this.projector = this.liveProjector();
  }

  /** The store queries read: always the live one, also across a rebuild's swap; none while damaged ones are replaced. */
  get store(): ReadModelStore {
    if (this.healing) throw new ReadModelsUnavailableError('The read models were found damaged and are being rebuilt from the log.');
    return this.current;
  }

  /** The queries of a projection, on the live store (see {@link store}). */
  query<Q>(projection: Projection<Q>): Q {
    return this.store.query(projection);
  }

  /** False while damaged read models are being replaced. */
  get available(): boolean {
    return this.healing === undefined;
  }

  /** How far the read models have come; none while they are damaged (the healer takes it from there). */
  get position(): Position | undefined {
    try {
      return this.current.checkpoint()?.position;
    } catch (error) {
      if (error instanceof ReadModelsUnavailableError) return undefined;
      throw error;
    }
  }

  get projectorState(): Projector['state'] {
    return this.projector.state;
  }

  start(): void {
    this.stopped = false;
    if (this.damageAtStart !== undefined) {
      const damage = this.damageAtStart;
      this.damageAtStart = undefined;
      this.heal(damage, { setAside: false });
      return;
    }
    if (this.current.checkpoint() === undefined) {
      this.catchUpFromEmpty();
      return;
    }
    this.projector.start();
    this.buildNewProjections();
  }

  /** Each projection's version, state and progress; none while damaged read models are replaced. */
  get projections(): ProjectionStatus[] {
    return this.healing ? [] : this.current.projections;
  }

  /**
   * Builds the projections that are new or changed version from the log, one by one and each by itself,
   * while the others serve and follow the log; each then joins the live projector. Their queries answer
   * {@link ReadModelsUnavailableError} meanwhile. A failure is retried after a pause; a swap of the whole
   * read models (a rebuild) makes this moot.
   */
  private buildNewProjections(): void {
    const store = this.current;
    const names = store.projections.filter((p) => p.state === 'building').map((p) => p.name);
    if (names.length === 0 || this.buildingNew) return;
    const moot = (): boolean => this.stopped || store !== this.current;
    this.buildingNew = (async () => {
      for (const name of names) {
        const builder = new Projector(this.events, store, { batchSize: this.options.batchSize, only: name });
        while (!moot()) {
          try {
            await builder.catchUp();
            if (moot() || store.join(name)) break;
          } catch (error) {
            if (moot()) return;
            this.options.onError?.(error);
            await sleep(this.options.restartDelayMs ?? 1000);
          }
        }
      }
    })().finally(() => {
      this.buildingNew = undefined;
      this.notify();
    });
  }

  /** Read models that have seen nothing yet (a new replica) and a long log: built in bulk, then followed live. */
  private catchUpFromEmpty(): void {
    this.events.countEventsAfter(undefined)
      .then((count) => (count >= BULK_CATCH_UP_FROM ? this.rebuild('empty') : undefined))
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        if (this.stopped) return;
        this.projector.start();
        this.buildNewProjections();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.healing;
    await this.buildingNew;
    await this.rebuilding?.catch(() => undefined);
    await this.projector.stop();
    this.current.close();
    this.notify();
  }

  /** Resolves true once the read models have seen `position`, or false after `timeoutMs`. */
  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.hasSeen(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!this.hasSeen(position) && !this.stopped) return;
        finish(this.hasSeen(position));
      };
      const finish = (seen: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(seen);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
    });
  }

  async lag(now: Date): Promise<Lag> {
    const position = this.position;
    const events = await this.events.countEventsAfter(position);
    if (events === 0) return { events, seconds: 0 };
    const [oldest] = await this.events.readAll({ after: position, maxCount: 1 });
    const recordedAt = oldest ? Date.parse(recordedAtOf(oldest)) : Number.NaN;
    return { events, seconds: Number.isNaN(recordedAt) ? 0 : Math.max(0, (now.getTime() - recordedAt) / 1000) };
  }

  get rebuildStatus(): RebuildStatus {
    return this.lastRebuild;
  }

  /**
   * Builds a fresh copy of the read models from the start of the log while the live one keeps serving,
   * then, caught up, swaps it in. One rebuild at a time: a second call joins the first.
   */
  rebuild(cause: RebuildCause = 'requested'): Promise<RebuildReport> {
    if (this.rebuilding) return this.rebuilding;
    const startedAt = new Date().toISOString();
    this.lastRebuild = { state: 'running', cause, startedAt };
    this.rebuilding = this.rebuildOnce().then(
      (report) => {
        this.lastRebuild = { state: 'succeeded', cause, startedAt, finishedAt: new Date().toISOString(), ...report };
        return report;
      },
      (error: unknown) => {
        this.lastRebuild = { state: 'failed', cause, startedAt, finishedAt: new Date().toISOString(), error: String(error) };
        throw error;
      },
    ).finally(() => {
      this.rebuilding = undefined;
    });
    return this.rebuilding;
  }

  private get scratchFile(): string {
    return `${this.options.file}.rebuild`;
  }

  /** Opens the live file, checked by SQLite's quick_check; a damaged one is set aside for an empty one, to be rebuilt at start. */
  private openChecked(): ReadModelStore {
    let store: ReadModelStore | undefined;
    try {
      store = this.open();
      const check = store.quickCheck();
      if (check.ok) return store;
      this.damageAtStart = new Error(`quick_check found: ${check.findings.join('; ')}`);
    } catch (error) {
      if (!isDamaged(error)) throw error;
      this.damageAtStart = error;
    }
    store?.close();
    this.options.onDamaged?.(this.damageAtStart);
    this.setAside();
    return this.open();
  }

  private open(): ReadModelStore {
    return new ReadModelStore(this.options.file, {
      projections: this.options.projections,
      onDamaged: (error) => this.heal(error, { setAside: true }),
    });
  }

  private setAside(): void {
    const file = this.options.file;
    const copy = damagedCopyOf(file);
    removeDatabase(copy);
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, copy + suffix);
    }
  }

  /**
   * Replaces damaged read models: stops the projector, sets the file aside for an empty one, and rebuilds
   * from the log (trying again after a pause while the log cannot be read). Queries are refused until done.
   */
  private heal(damage: unknown, { setAside }: { setAside: boolean }): void {
    if (this.healing || this.stopped) return;
    if (setAside) this.options.onDamaged?.(damage);
    this.healing = (async () => {
      clearTimeout(this.restartTimer);
      if (setAside) {
        await this.projector.stop();
        await this.rebuilding?.catch(() => undefined);
        this.current.close();
        this.setAside();
        this.current = this.open();
        this.projector = this.liveProjector();
      }
      while (!this.stopped) {
        try {
          await this.rebuild('damaged');
          return;
        } catch (error) {
          this.options.onError?.(error);
          await sleep(this.options.restartDelayMs ?? 1000);
        }
      }
    })().finally(() => {
      this.healing = undefined;
      this.notify();
    });
  }

  private async rebuildOnce(): Promise<RebuildReport> {
    const scratchFile = this.scratchFile;
    let liveStopped = false;
    let report: RebuildReport;
    try {
      report = await buildReadModels(this.events, scratchFile, {
        projections: this.options.projections,
        beforeFinish: async () => {
          await this.projector.stop();
          liveStopped = true;
        },
      });
    } catch (error) {
      if (liveStopped && !this.stopped) this.projector.start();
      throw error;
    }
    // From here to the new projector's start nothing awaits: no query sees a closed store.
    this.current.close();
    removeDatabase(this.options.file);
    renameSync(scratchFile, this.options.file);
    this.current = this.open();
    this.projector = this.liveProjector();
    if (!this.stopped) this.projector.start();
    this.notify();
    return report;
  }

  private liveProjector(): Projector {
    return new Projector(this.events, this.current, {
      batchSize: this.options.batchSize,
      lingerMs: this.options.lingerMs,
      beforeEach: this.options.beforeEach,
      onBatch: () => this.notify(),
      onError: (error) => {
        // Damage is the healer's to handle: restarting on a damaged file would fail every second.
        if (this.healing) return;
        this.options.onError?.(error);
        if (this.stopped) return;
        this.restartTimer = setTimeout(() => {
          if (!this.stopped) this.projector.start();
        }, this.options.restartDelayMs ?? 1000);
      },
    });
  }

  /** Reads waiting for a position now. */
  get waiting(): number {
    return this.waiters.size;
  }

  hasSeen(position: Position): boolean {
    const checkpoint = this.position;
    return checkpoint !== undefined && comparePositions(checkpoint, position) >= 0;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

