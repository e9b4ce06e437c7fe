import type Database from 'better-sqlite3';
import type { LedgerEvent, LedgerEventType, ProjectedEvent } from '@ledger/domain';
import type { Position } from '@ledger/event-store';

/** One event as a projection's `apply` gets it: the domain event, the id of its stream's entity, and where it is in the log. */
export interface ProjectionEvent<E extends LedgerEvent = LedgerEvent> {
  readonly event: ProjectedEvent<E>;
  /** The partner's or customer's id (from the stream's name). */
  readonly entityId: string;
  readonly position: Position;
}

export interface ProjectionTable {
  readonly name: string;
  /** `CREATE TABLE` of this table. */
  readonly schema: string;
  /** `CREATE INDEX` statements: built after a bulk load rather than kept up row by row during it. */
  readonly indexes?: readonly string[];
  /**
   * `CREATE INDEX` statements the projection's own writes search by (a delete by a column the key does not
   * start with): kept up from the start of a bulk load too, where each such write would otherwise scan the table.
   */
  readonly writeIndexes?: readonly string[];
  /** The columns a dump orders the rows by (a unique key), so that equal tables dump equal. */
  readonly order: string;
}

/** How the runtime opens a projection. */
export interface OpenContext {
  /**
   * The file is new and being built from the start of the log (see `buildReadModels`), and nothing reads it
   * until {@link OpenProjection.finishBulkLoad}: a projection may keep rows in memory until then.
   */
  readonly bulkLoad: boolean;
}

/** A projection on the read models' connection: its statements prepared. */
export interface OpenProjection<Q> {
  /** Applies events (only the types it handles, only new ones) inside the runtime's transaction. */
  apply(events: ReadonlyArray<ProjectionEvent>): void;
  /** At the end of a bulk load, once the log is read and before the indexes are built: writes what `apply` kept in memory. */
  finishBulkLoad?(): void;
  /** What query endpoints ask of it; the runtime guards each call (damage, a projection still being built). */
  readonly queries: Q;
}

/**
 * A read model fed from the log, registered with the runtime ({@link ReadModelStore}): it owns its tables,
 * its evolve and its queries; the runtime owns transactions, its checkpoint, bulk builds and dumps. A
 * projection that is new, or whose version changed, is rebuilt from the log by itself at start.
 */
export interface Projection<Q = unknown> {
  /** Stable: the key of its checkpoint. */
  readonly name: string;
  /** Raise it when what the projection writes changes (its evolve, its tables): it is then rebuilt at start. */
  readonly version: number;
  /** The event types it handles; others pass by it (its checkpoint still moves). */
  readonly eventTypes: readonly LedgerEventType[];
  readonly tables: readonly ProjectionTable[];
  open(db: Database.Database, context: OpenContext): OpenProjection<Q>;
}

export interface DocumentTable {
  readonly name: string;
  /** The key column (the entity's id). */
  readonly key: string;
  /** The column holding the document as JSON. */
  readonly column: string;
}

/** Reads and writes one JSON document per entity (a customer, a partner). */
export interface Documents<D> {
  get(id: string): D | undefined;
  put(id: string, document: D): void;
}

export interface DocumentProjectionSpec<D, E extends LedgerEvent, Q> {
  readonly name: string;
  readonly version: number;
  readonly eventTypes: ReadonlyArray<E['type']>;
  readonly documents: DocumentTable;
  /** Tables derived from the documents (their schema, indexes and dump order). */
  readonly tables?: readonly ProjectionTable[];
  /** Pure: the document so far (null before its first event) and the next event of its entity. */
  evolve(document: D | null, event: ProjectedEvent<E>): D | null;
  /** Prepares the projection's other statements: what to do after each event and each written document, and its queries. */
  open(db: Database.Database, documents: Documents<D>): {
    /** After an event was applied (snapshots, say). */
    afterEvent?(entityId: string, document: D, event: ProjectionEvent<E>): void;
    /** After a batch, once per document it changed, with the document as it was before the batch (rows derived from it). */
    afterWrite?(entityId: string, before: D | null, after: D): void;
    readonly queries: Q;
  };
}

/**
 * A projection of one document per entity, the common kind: a batch loads each document it touches once,
 * evolves it through the batch's events, and writes it once.
 */
export function documentProjection<D, E extends LedgerEvent, Q>(spec: DocumentProjectionSpec<D, E, Q>): Projection<Q> {
  const { name: table, key, column } = spec.documents;
  return {
    name: spec.name,
    version: spec.version,
    eventTypes: spec.eventTypes,
    tables: [
      { name: table, schema: `CREATE TABLE ${table} (${key} TEXT NOT NULL PRIMARY KEY, ${column} TEXT NOT NULL)`, order: key },
      ...(spec.tables ?? []),
    ],
    open(db) {
      const select = db.prepare(`SELECT ${column} FROM ${table} WHERE ${key} = ?`).pluck();
      const upsert = db.prepare(`INSERT INTO ${table} (${key}, ${column}) VALUES (?, ?)
        ON CONFLICT (${key}) DO UPDATE SET ${column} = excluded.${column}`);
      const documents: Documents<D> = {
        get: (id) => {
          const json = select.get(id) as string | undefined;
          return json === undefined ? undefined : (JSON.parse(json) as D);
        },
        put: (id, document) => upsert.run(id, JSON.stringify(document)),
      };
      const hooks = spec.open(db, documents);
      return {
        queries: hooks.queries,
        apply(events) {
          const touched = new Map<string, { before: D | null; after: D | null }>();
          for (const projected of events as ReadonlyArray<ProjectionEvent<E>>) {
            let entry = touched.get(projected.entityId);
            if (!entry) {
              const stored = documents.get(projected.entityId) ?? null;
              entry = { before: stored, after: stored };
              touched.set(projected.entityId, entry);
            }
            entry.after = spec.evolve(entry.after, projected.event);
            if (entry.after !== null) hooks.afterEvent?.(projected.entityId, entry.after, projected);
          }
          for (const [id, { before, after }] of touched) {
            if (after === null) continue;
            documents.put(id, after);
            hooks.afterWrite?.(id, before, after);
          }
        },
      };
    },
  };
}
