import type Database from 'better-sqlite3';
import {
  type AppendOptions,
  type AppendResult,
  DuplicateEventIdError,
  EventStore,
  EventStoreUnavailableError,
  type EventSubscription,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type RecordedEvent,
  StaleReadError,
  type StreamRead,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { HASH_KEY, hashedForm, isForeignMetadataKey } from '../hash-chain';
import type { Position } from '../position';
import { GroupCommit } from './group-commit';
import { openPrivateDatabase } from './private-files';
import { guardStorage } from './storage-faults';

export interface SqliteEventStoreOptions {
  /** The database file; created with its schema when missing. */
  readonly file: string;
  /** How often a subscription looks for events appended by another process (ms). */
  readonly pollIntervalMs?: number;
}

const eventsTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  stream TEXT NOT NULL,
  revision INTEGER NOT NULL,
  type TEXT NOT NULL,
  -- The event as its hash covers it (hash-chain.ts hashedForm): the RFC 8785 text of stream, revision, type,
  -- schema version, data and metadata with previousHash. Verifying an event is hashing these bytes.
  hashed TEXT NOT NULL,
  -- SHA-256 (hex) of hashed as the ledger chained it; NULL for an event appended unchained.
  hash TEXT,
  -- Metadata others added ("$" keys, such as trace ids), outside the hash; NULL when none.
  extra TEXT,
  UNIQUE (stream, revision)
);`;

/** The columns every read selects, in this order (rows come back as arrays: fewer allocations). */
const EVENT_COLUMNS = 'position, event_id, stream, revision, hashed, hash, extra';
type EventRow = [position: bigint, eventId: string, stream: string, revision: bigint, hashed: string, hash: string | null, extra: string | null];

/** A row of the first format (before #11): data and metadata as JSON, the hash inside the metadata. */
type FirstFormatRow = [position: bigint, eventId: string, stream: string, revision: bigint, type: string, schemaVersion: bigint, data: string, metadata: string];

interface Append {
  readonly stream: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
  readonly reads: readonly StreamRead[];
}

const PAGE_SIZE = 1000;

/**
 * The embedded event store: one SQLite file in WAL mode with `synchronous=FULL`, the rowid as the global
 * position. Appends that arrive in the same turn share a commit ({@link GroupCommit}): one append's conflict
 * leaves the others in the batch untouched, and all of them become durable with one fsync.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly pollIntervalMs: number;
  private readonly appends: GroupCommit<Append, AppendResult>;
  private readonly appendListeners = new Set<() => void>();
  private closed = false;

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.db = openPrivateDatabase(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    migrateToHashedForm(this.db);
    this.db.exec(eventsTable('events'));
    const read = (sql: string) => this.db.prepare(sql).safeIntegers(true);
    this.statements = {
      streamHead: read('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1').pluck(),
      byEventId: read('SELECT stream, revision, position FROM events WHERE event_id = ?'),
      insert: this.db.prepare(
        'INSERT INTO events (event_id, stream, revision, type, hashed, hash, extra) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      readStream: read(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`).raw(),
      readAll: read(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(),
      head: read('SELECT max(position) FROM events').pluck(),
      last: read(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position DESC LIMIT 1`).raw(),
      countAfter: this.db.prepare('SELECT count(*) FROM events WHERE position > ?').pluck(),
    };
    this.appends = new GroupCommit(this.db, (append) => this.appendInTransaction(append), () => this.notifyAppended());
  }

  override appendToStream(stream: string, events: readonly EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('The event store is closed', 'closed'));
    if (events.length === 0) return Promise.reject(new RangeError('An append needs at least one event'));
    return this.appends.submit({ stream, events, expectedRevision: options.expectedRevision, reads: options.reads ?? [] });
  }

  override async readStream(stream: string, options: { fromRevision?: bigint } = {}): Promise<RecordedEvent[]> {
    const rows = guardStorage('Reading a stream', () => this.statements.readStream.all(stream, options.fromRevision ?? 0n)) as EventRow[];
    return rows.map(toRecordedEvent);
  }

  override async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.readAllAfter(options.after?.commit ?? -1n, options.maxCount);
  }

  override subscribeToAll(options: { after?: Position } = {}): EventSubscription {
    return new SqliteSubscription(this, options.after?.commit ?? -1n);
  }

  override async headPosition(): Promise<Position | undefined> {
    const head = guardStorage('Reading the head of the log', () => this.statements.head.get()) as bigint | null;
    return head === null ? undefined : { commit: head, prepare: head };
  }

  override async lastEvent(): Promise<RecordedEvent | undefined> {
    const row = guardStorage('Reading the last event', () => this.statements.last.get()) as EventRow | undefined;
    return row && toRecordedEvent(row);
  }

  override async countEventsAfter(after?: Position): Promise<number> {
    return guardStorage('Counting the log', () => this.statements.countAfter.get(after?.commit ?? -1n)) as number;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.appends.flush();
    this.closed = true;
    this.notifyAppended();
    this.db.close();
  }

  /** @internal used by subscriptions. */
  readAllAfter(after: bigint, maxCount: number): RecordedEvent[] {
    if (this.closed) return [];
    return (guardStorage('Reading the log', () => this.statements.readAll.all(after, maxCount)) as EventRow[]).map(toRecordedEvent);
  }

  /** @internal resolves on the next local append, after the poll interval, or on close. */
  waitForAppend(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.appendListeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.appendListeners.add(done);
    });
  }

  /** Appends committed and the commits (fsyncs) they took: the ratio shows group commit at work. */
  get stats(): { readonly appends: number; readonly commits: number } {
    const { writes, commits } = this.appends.stats;
    return { appends: writes, commits };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private appendInTransaction({ stream, events, expectedRevision, reads }: Append): AppendResult {
    const retried = this.findRetriedAppend(stream, events);
    if (retried) return retried;
    const current = this.streamHead(stream);
    if (!matchesExpected(current, expectedRevision)) {
      throw new WrongExpectedRevisionError(stream, expectedRevision, current);
    }
    // In the write transaction (BEGIN IMMEDIATE: no other writer): the streams read cannot move before COMMIT.
    for (const read of reads) {
      const actual = this.streamHead(read.stream);
      if (actual !== read.revision) throw new StaleReadError(read.stream, read.revision, actual);
    }
    let position = 0n;
    events.forEach((event, i) => {
      try {
        const info = this.statements.insert.run(event.id, stream, ...storedForm(stream, current + 1n + BigInt(i), event));
        position = BigInt(info.lastInsertRowid);
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateEventIdError(event.id);
        throw error;
      }
    });
    return { nextRevision: current + BigInt(events.length), position: { commit: position, prepare: position } };
  }

  private streamHead(stream: string): bigint {
    return (this.statements.streamHead.get(stream) as bigint | undefined) ?? -1n;
  }

  /** An append whose events are all stored already, in this stream and in this order, is a retry. */
  private findRetriedAppend(stream: string, events: readonly EventToAppend[]): AppendResult | undefined {
    type Found = { stream: string; revision: bigint; position: bigint };
    const found = events.map((event) => this.statements.byEventId.get(event.id) as Found | undefined);
    if (found.every((row) => row === undefined)) return undefined;
    const first = found[0];
    const sameAppend = first !== undefined && found.every((row, i) =>
      row !== undefined && row.stream === stream && row.revision === first.revision + BigInt(i));
    if (!sameAppend) throw new DuplicateEventIdError(events[found.findIndex((row) => row !== undefined)].id);
    const last = found[found.length - 1] as Found;
    return { nextRevision: last.revision, position: { commit: last.position, prepare: last.position }, alreadyAppended: true };
  }

  private notifyAppended(): void {
    for (const listener of [...this.appendListeners]) listener();
  }
}

function matchesExpected(current: bigint, expected: ExpectedRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return current === -1n;
    case 'stream-exists':
      return current >= 0n;
    default:
      return current === expected;
  }
}

/** What the events table keeps of an event: its type, its hashed form, its hash, the metadata outside the hash. */
function storedForm(stream: string, revision: bigint, event: EventToAppend): [bigint, string, string, string | null, string | null] {
  const hash = event.metadata[HASH_KEY];
  const foreign = Object.entries(event.metadata).filter(([key]) => isForeignMetadataKey(key));
  const form = event.hashed?.revision === revision ? event.hashed.form : hashedForm(stream, revision, event);
  return [
    revision, event.type, form, typeof hash === 'string' ? hash : null,
    foreign.length > 0 ? JSON.stringify(Object.fromEntries(foreign)) : null,
  ];
}

function toRecordedEvent([position, id, stream, revision, hashed, hash, extra]: EventRow): RecordedEvent {
  const form = JSON.parse(hashed) as { type: string; schemaVersion: number; data: unknown; metadata: Record<string, unknown> };
  const metadata = extra === null ? form.metadata : { ...form.metadata, ...(JSON.parse(extra) as Record<string, unknown>) };
  if (hash !== null) metadata[HASH_KEY] = hash;
  return { id, stream, revision, position: { commit: position, prepare: position }, type: form.type, schemaVersion: form.schemaVersion, data: form.data, metadata };
}

/**
 * A log of the first format (data and metadata columns, the hash inside the metadata) is rewritten once, in
 * one transaction, to the hashed form: each event's form is worked out from its columns as they are and its
 * hash kept as it was recorded, so an event altered before the migration still fails to verify after it.
 */
function migrateToHashedForm(db: Database.Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all() as string[];
  if (!columns.includes('data')) return;
  const page = db.prepare('SELECT position, event_id, stream, revision, type, schema_version, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT 5000')
    .safeIntegers(true).raw();
  db.transaction(() => {
    db.exec(eventsTable('events_hashed'));
    const insert = db.prepare('INSERT INTO events_hashed (position, event_id, stream, revision, type, hashed, hash, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let rows = page.all(-1n) as FirstFormatRow[]; rows.length > 0; rows = page.all(rows[rows.length - 1][0]) as FirstFormatRow[]) {
      for (const [position, id, stream, revision, type, schemaVersion, data, metadata] of rows) {
        const event = { id, type, schemaVersion: Number(schemaVersion), data: JSON.parse(data) as unknown, metadata: JSON.parse(metadata) as Record<string, unknown> };
        insert.run(position, id, stream, ...storedForm(stream, revision, event));
      }
    }
    db.exec('DROP TABLE events; ALTER TABLE events_hashed RENAME TO events;');
  })();
}

class SqliteSubscription implements EventSubscription {
  private closed = false;

  constructor(
    private readonly store: SqliteEventStore,
    private cursor: bigint,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    while (!this.closed && !this.store.isClosed) {
      const page = this.store.readAllAfter(this.cursor, PAGE_SIZE);
      for (const event of page) {
        if (this.closed) return;
        this.cursor = event.position.commit;
        yield event;
      }
      if (page.length < PAGE_SIZE) await this.store.waitForAppend();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
