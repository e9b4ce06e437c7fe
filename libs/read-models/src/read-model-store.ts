import type Database from 'better-sqlite3';
import { decodeEvent, inTransientScope, parseStreamName } from '@ledger/domain';
import { comparePositions, openPrivateDatabase, type Position, type RecordedEvent, sqliteFaultReason } from '@ledger/event-store';
import type { OpenProjection, Projection, ProjectionEvent } from './projection';
import { LEDGER_PROJECTIONS } from './projections';
import { ReadModelsUnavailableError } from './query-errors';

/** Each projection's version and checkpoint; `ready` is 0 while it is built from the log by itself, 1 once the live projector feeds it. */
const REGISTRY = `
CREATE TABLE IF NOT EXISTS projections (
  name TEXT NOT NULL PRIMARY KEY,
  version INTEGER NOT NULL,
  ready INTEGER NOT NULL,
  commit_position INTEGER,
  prepare_position INTEGER,
  events_seen INTEGER NOT NULL
)`;

/** The projections whose tables the read models held before each projection had its own checkpoint (one `checkpoint` row for all). */
const BEFORE_REGISTRY = new Set(['customer-views', 'partner-views', 'deadlines']);

export interface ReadModelStoreOptions {
  /** The projections this store holds (the ledger's by default). */
  readonly projections?: readonly Projection[];
  /**
   * For a scratch copy being built from the start of the log: no journal, no fsync, indexes built at the
   * end (see `buildReadModels`). A crash leaves a file to throw away, never one to serve.
   */
  readonly bulkLoad?: boolean;
  /** Called when SQLite reports the file damaged (the call then throws {@link ReadModelsUnavailableError}). */
  readonly onDamaged?: (error: unknown) => void;
}

/** Whether an error says the read-model file is damaged (rather than busy, full, or the statement wrong). */
export function isDamaged(error: unknown): boolean {
  return sqliteFaultReason(error) === 'corrupt';
}

/** The `CREATE INDEX` statements of the projections' tables: what a bulk load builds at its end, or (`writeIndexes`) what it keeps up all along. */
export function indexesOf(projections: readonly Projection[], which: 'indexes' | 'writeIndexes' = 'indexes'): string {
  return projections.flatMap((p) => p.tables.flatMap((t) => t[which] ?? [])).join(';\n');
}

export interface Checkpoint {
  readonly position: Position;
  /** Events of the log read so far, projected or passed over. */
  readonly eventsSeen: number;
}

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  /** `building`: new or re-versioned, being built from the log by itself while the others serve; its queries are unavailable. */
  readonly state: 'ready' | 'building';
  readonly eventsSeen: number;
}

export interface ApplyOptions {
  /** Called before each event is applied; a throw aborts the batch (tests use it to crash a projector). */
  readonly beforeEach?: (event: RecordedEvent) => void;
  /** Apply to this projection only (one being built by itself), rather than to the ready ones. */
  readonly only?: string;
}

interface RegistryRow {
  name: string;
  version: bigint;
  ready: bigint;
  commit_position: bigint | null;
  prepare_position: bigint | null;
  events_seen: bigint;
}

interface Registered {
  readonly projection: Projection;
  readonly open: OpenProjection<unknown>;
  readonly handles: ReadonlySet<string>;
  /** Its queries, each call guarded. */
  readonly queries: unknown;
}

/** The earliest of the checkpoints; none when there are none or one of them has seen nothing yet. */
function earliest(checkpoints: ReadonlyArray<Checkpoint | undefined>): Checkpoint | undefined {
  if (checkpoints.length === 0 || checkpoints.some((c) => c === undefined)) return undefined;
  return (checkpoints as Checkpoint[]).reduce((first, c) => (comparePositions(c.position, first.position) < 0 ? c : first));
}

function checkpointOf(row: RegistryRow | undefined): Checkpoint | undefined {
  if (!row || row.commit_position === null || row.prepare_position === null) return undefined;
  return { position: { commit: row.commit_position, prepare: row.prepare_position }, eventsSeen: Number(row.events_seen) };
}

/**
 * The runtime of the read models, in their own SQLite file: the registered projections' tables, each
 * projection's version and checkpoint, and the transaction each batch of the log is applied in. A
 * projection that is new or whose version changed starts empty and `building` (see `ReadSide`); the file
 * can always be thrown away and rebuilt from the log.
 */
export class ReadModelStore {
  private readonly db: Database.Database;
  private readonly registered: Registered[];
  /** The projections being built by themselves: changes only at open and at {@link join}. */
  private readonly building = new Set<string>();
  private readonly statements;
  /**
   * The checkpoint the ready projections share, as last read: every query answer names it, and only this
   * store moves it (apply, join), so it is read again only after one of those.
   */
  private served?: { readonly checkpoint: Checkpoint | undefined };

  constructor(
    readonly file: string,
    private readonly options: ReadModelStoreOptions = {},
  ) {
    const projections = options.projections ?? LEDGER_PROJECTIONS;
    this.db = openPrivateDatabase(file);
    if (options.bulkLoad) {
      this.db.pragma('journal_mode = OFF');
      this.db.pragma('synchronous = OFF');
      this.db.pragma('cache_size = -65536');
    } else {
      this.db.pragma('journal_mode = WAL');
      // No fsync: the checkpoints are written with their data, so a killed process loses nothing it committed
      // (the operating system has the pages), and a machine that loses power may lose the last batches or,
      // rarely, damage the file, which the read side then finds and rebuilds. With fsync, every WAL
      // checkpoint held the event loop for 100-200 ms while catching up.
      this.db.pragma('synchronous = OFF');
    }
    this.db.exec(REGISTRY);
    const db = this.db;
    this.statements = {
      rows: db.prepare('SELECT * FROM projections').safeIntegers(true),
      register: db.prepare(`INSERT INTO projections (name, version, ready, commit_position, prepare_position, events_seen)
        VALUES (?, ?, ?, NULL, NULL, 0) ON CONFLICT (name) DO UPDATE SET version = excluded.version, ready = excluded.ready,
        commit_position = NULL, prepare_position = NULL, events_seen = 0`),
      forget: db.prepare('DELETE FROM projections WHERE name = ?'),
      advance: db.prepare('UPDATE projections SET commit_position = ?, prepare_position = ?, events_seen = events_seen + ? WHERE name = ?'),
      setReady: db.prepare('UPDATE projections SET ready = ? WHERE name = ?'),
    };
    this.db.transaction(() => this.reconcile(projections))();
    this.registered = projections.map((projection) => {
      const open = projection.open(db, { bulkLoad: options.bulkLoad === true });
      return { projection, open, handles: new Set(projection.eventTypes), queries: this.guarded(projection.name, open.queries) };
    });
  }

  /**
   * Brings the registry in line with the projections given: a fresh file has them all ready (from the log's
   * start); a new or re-versioned one gets empty tables and is `building`; a ready one behind the others
   * (it was left out for a while) is `building` from its checkpoint; unknown ones are forgotten.
   */
  private reconcile(projections: readonly Projection[]): void {
    this.adoptCheckpointBeforeRegistry(projections);
    const rows = this.readRows();
    const fresh = rows.size === 0;
    for (const projection of projections) {
      const row = rows.get(projection.name);
      if (fresh || !row || Number(row.version) !== projection.version) {
        for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS ${table.name}`);
        this.statements.register.run(projection.name, projection.version, fresh ? 1 : 0);
      }
    }
    for (const name of rows.keys()) {
      if (!projections.some((p) => p.name === name)) this.statements.forget.run(name);
    }
    for (const table of projections.flatMap((p) => p.tables)) {
      if (!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table.name)) this.db.exec(table.schema);
    }
    this.db.exec(indexesOf(projections, 'writeIndexes'));
    if (!this.options.bulkLoad) this.db.exec(indexesOf(projections));
    const after = [...this.readRows().values()];
    const live = after.filter((row) => row.ready === 1n).map(checkpointOf)
      .reduce<Checkpoint | undefined>((ahead, c) => (c && (!ahead || comparePositions(c.position, ahead.position) > 0) ? c : ahead), undefined);
    for (const row of after) {
      const checkpoint = checkpointOf(row);
      const behind = live !== undefined && (!checkpoint || comparePositions(checkpoint.position, live.position) < 0);
      if (row.ready === 1n && behind) this.statements.setReady.run(0, row.name);
      if (row.ready === 0n || behind) this.building.add(row.name);
    }
  }

  /** A file from before the registry has one checkpoint for the three first projections: they keep it, at version 1. */
  private adoptCheckpointBeforeRegistry(projections: readonly Projection[]): void {
    if (!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoint'").get()) return;
    const old = this.db.prepare('SELECT commit_position, prepare_position, events_seen FROM checkpoint WHERE id = 1').safeIntegers(true)
      .get() as { commit_position: bigint; prepare_position: bigint; events_seen: bigint } | undefined;
    if (old && this.readRows().size === 0) {
      for (const projection of projections.filter((p) => BEFORE_REGISTRY.has(p.name) && p.version === 1)) {
        this.db.prepare(`INSERT INTO projections (name, version, ready, commit_position, prepare_position, events_seen)
          VALUES (?, 1, 1, ?, ?, ?)`).run(projection.name, old.commit_position, old.prepare_position, old.events_seen);
      }
    }
    this.db.exec('DROP TABLE checkpoint');
  }

  private readRows(): Map<string, RegistryRow> {
    return new Map((this.statements.rows.all() as RegistryRow[]).map((row) => [row.name, row]));
  }

  /** SQLite's quick_check: whether the file's pages and records are well formed (not that they are up to date). */
  quickCheck(): { ok: boolean; findings: string[] } {
    const findings = this.db.pragma('quick_check(10)', { simple: false }) as Array<{ quick_check: string }>;
    const messages = findings.map((row) => row.quick_check);
    return { ok: messages.length === 1 && messages[0] === 'ok', findings: messages };
  }

  /** Runs a call on the file; damage found on the way is reported and answered as unavailable, not as a 500. */
  private guard<T>(call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (!isDamaged(error)) throw error;
      this.options.onDamaged?.(error);
      throw new ReadModelsUnavailableError(`The read models are damaged and are being rebuilt from the log: ${(error as Error).message}`,
        { cause: error });
    }
  }

  /** A projection's queries with each call guarded, and refused while the projection is being built. */
  private guarded<Q>(name: string, queries: Q): Q {
    return Object.fromEntries(Object.entries(queries as Record<string, (...args: unknown[]) => unknown>).map(([key, query]) => [
      key,
      (...args: unknown[]) => {
        if (this.building.has(name)) {
          throw new ReadModelsUnavailableError(`The ${name} read model is new or changed and is being built from the log; retry shortly.`);
        }
        return this.guard(() => query(...args));
      },
    ])) as Q;
  }

  /** The queries of a registered projection. */
  query<Q>(projection: Projection<Q>): Q {
    const entry = this.registered.find((r) => r.projection.name === projection.name);
    if (!entry) throw new Error(`Projection ${projection.name} is not registered with these read models`);
    return entry.queries as Q;
  }

  /** How far the read models that serve have come: the ready projections' checkpoint (the earliest, should they differ). */
  checkpoint(): Checkpoint | undefined {
    this.served ??= { checkpoint: this.guard(() => earliest([...this.readRows().values()].filter((row) => row.ready === 1n).map(checkpointOf))) };
    return this.served.checkpoint;
  }

  /** One projection's checkpoint. */
  checkpointOf(name: string): Checkpoint | undefined {
    return this.guard(() => checkpointOf(this.readRows().get(name)));
  }

  get projections(): ProjectionStatus[] {
    const rows = this.guard(() => this.readRows());
    return this.registered.map(({ projection: { name, version } }) => ({
      name, version, state: this.building.has(name) ? 'building' : 'ready', eventsSeen: Number(rows.get(name)?.events_seen ?? 0),
    }));
  }

  /**
   * Hands a projection being built over to the live projector, once it has seen at least what the ready
   * ones have (false while it has not). Synchronous: no batch of the live projector can come in between.
   */
  join(name: string): boolean {
    if (!this.building.has(name)) return true;
    const live = this.checkpoint();
    const own = this.checkpointOf(name);
    if (live && (!own || comparePositions(own.position, live.position) < 0)) return false;
    this.served = undefined;
    this.guard(() => this.statements.setReady.run(1, name));
    this.building.delete(name);
    return true;
  }

  /**
   * Applies a batch of the log in one transaction, to the ready projections (or the one named): each
   * passes over events at or before its own checkpoint (so a batch read again after a crash is applied
   * once) and is given the new ones of the types it handles; its checkpoint moves to the batch's last
   * event. Returns how many events were projected.
   */
  apply(events: readonly RecordedEvent[], options: ApplyOptions = {}): number {
    this.served = undefined;
    // One transient scope per batch: a document touched by many events of the batch is copied once, not per event.
    return this.guard(() => this.db.transaction(() => inTransientScope(() => {
      const rows = this.readRows();
      const targets = this.registered
        .filter(({ projection: { name } }) => (options.only === undefined ? rows.get(name)?.ready === 1n : name === options.only))
        .map((entry) => ({ entry, checkpoint: checkpointOf(rows.get(entry.projection.name)) }));
      if (targets.length === 0) return 0;
      const fromEarliest = earliest(targets.map((t) => t.checkpoint));
      const decoded: Array<{ position: Position; projected?: ProjectionEvent }> = [];
      let projected = 0;
      for (const event of events) {
        if (fromEarliest && comparePositions(event.position, fromEarliest.position) <= 0) continue;
        options.beforeEach?.(event);
        const stream = parseStreamName(event.stream);
        const domainEvent = decodeEvent(event);
        if (stream && domainEvent) projected += 1;
        decoded.push({
          position: event.position,
          projected: stream && domainEvent ? { event: domainEvent, entityId: stream.id, position: event.position } : undefined,
        });
      }
      for (const { entry, checkpoint } of targets) {
        const fresh = checkpoint ? decoded.filter((d) => comparePositions(d.position, checkpoint.position) > 0) : decoded;
        if (fresh.length === 0) continue;
        entry.open.apply(fresh.flatMap((d) => (d.projected && entry.handles.has(d.projected.event.type) ? [d.projected] : [])));
        const last = fresh[fresh.length - 1].position;
        this.statements.advance.run(last.commit, last.prepare, fresh.length, entry.projection.name);
      }
      return projected;
    }))());
  }

  /** Ends a bulk load: each projection writes what it kept in memory (see {@link OpenContext}). */
  finishBulkLoad(): void {
    if (!this.options.bulkLoad) throw new Error('Only a bulk load can be finished');
    this.guard(() => this.db.transaction(() => {
      for (const { open } of this.registered) open.finishBulkLoad?.();
    })());
  }

  /** Every row of every table in a fixed order, one line each: equal read models dump equal. */
  *dump(): Generator<string> {
    const tables = [...this.registered.flatMap((r) => r.projection.tables), { name: 'projections', order: 'name' }];
    for (const { name, order } of tables) {
      for (const row of this.db.prepare(`SELECT * FROM ${name} ORDER BY ${order}`).safeIntegers(true).iterate()) {
        yield `${name} ${JSON.stringify(row, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`;
      }
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
