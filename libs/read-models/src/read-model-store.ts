import type Database from 'better-sqlite3';
import {
  type CustomerEvent,
  customerDeadlines,
  type CustomerLink,
  customerLinks,
  type Deadline,
  type CustomerView,
  evolveCustomerView,
  inTransientScope,
  evolvePartnerView,
  parseStreamName,
  type PartnerEvent,
  type PartnerView,
  type ProjectedEvent,
  type Right,
} from '@ledger/domain';
import { asSqliteBound, comparePositions, openPrivateDatabase, type Position, type RecordedEvent, sqliteFaultReason } from '@ledger/event-store';
import { projectedEventOf } from './projected-event';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS customers (customer_id TEXT NOT NULL UNIQUE, view TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partners (partner_id TEXT NOT NULL UNIQUE, view TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customer_links (
  customer_id TEXT NOT NULL,
  partner_id TEXT NOT NULL,
  role TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  owner_id TEXT,
  ends_at TEXT,
  roles TEXT,
  PRIMARY KEY (customer_id, partner_id, role, ref_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deadlines (
  customer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  due_at TEXT NOT NULL,
  PRIMARY KEY (customer_id, kind, ref_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
  customer_id TEXT NOT NULL,
  events_applied INTEGER NOT NULL,
  commit_position INTEGER NOT NULL,
  prepare_position INTEGER NOT NULL,
  recorded_at TEXT NOT NULL,
  view TEXT NOT NULL,
  PRIMARY KEY (customer_id, events_applied)
);
CREATE TABLE IF NOT EXISTS checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  commit_position INTEGER NOT NULL,
  prepare_position INTEGER NOT NULL,
  events_seen INTEGER NOT NULL
);`;

/** Created after a bulk load rather than kept up row by row during it. */
const INDEXES = `
CREATE INDEX IF NOT EXISTS links_by_partner ON customer_links (partner_id, customer_id);
CREATE INDEX IF NOT EXISTS links_by_owner ON customer_links (owner_id, role, partner_id, customer_id);
CREATE INDEX IF NOT EXISTS links_by_end ON customer_links (role, ends_at, customer_id, ref_id);
CREATE INDEX IF NOT EXISTS deadlines_by_due ON deadlines (due_at, customer_id, kind, ref_id);`;

export interface ReadModelStoreOptions {
  /**
   * For a scratch copy being built from the start of the log: no journal, no fsync, indexes built at
   * {@link ReadModelStore.finishBulkLoad}. A crash leaves a file to throw away, never one to serve.
   */
  readonly bulkLoad?: boolean;
  /** Called when SQLite reports the file damaged (the call then throws {@link ReadModelsUnavailableError}). */
  readonly onDamaged?: (error: unknown) => void;
}

/** The read models cannot answer now: they are damaged and being rebuilt, or still being built. */
export class ReadModelsUnavailableError extends Error {
  override readonly name = 'ReadModelsUnavailableError';
}

/** Whether an error says the read-model file is damaged (rather than busy, full, or the statement wrong). */
export function isDamaged(error: unknown): boolean {
  return sqliteFaultReason(error) === 'corrupt';
}

/** Which link roles give a right (see `supportRights` in the domain). */
const ROLES_FOR_RIGHT: Readonly<Record<Right, readonly CustomerLink['role'][]>> = {
  transact: ['owner'],
  provision: ['owner', 'delegated-admin'],
  support: ['owner', 'delegated-admin', 'linked-reseller'],
  administer: ['delegated-admin'],
};

/** A customer’s view after every this many of its events is kept, so a past state replays at most that many (an as-of query stays in milliseconds; the aim is no more than about a thousand). */
export const SNAPSHOT_EVERY = 100;

export interface Snapshot {
  readonly view: CustomerView;
  /** The position and recording time of the last event the view has applied. */
  readonly position: Position;
  readonly recordedAt: string;
}

export interface Checkpoint {
  readonly position: Position;
  /** Events of the log read so far, projected or passed over. */
  readonly eventsSeen: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Where the next page starts; absent when this page is the last. */
  readonly nextCursor?: string;
}

export interface PartnerCustomer {
  readonly customerId: string;
  readonly via: ReadonlyArray<{ readonly role: CustomerLink['role']; readonly refId: string; readonly endsAt: string | null }>;
}

export interface ResellerCustomer {
  readonly resellerId: string;
  readonly customerId: string;
  readonly relationshipId: string;
}

export interface ExpiringGrant {
  readonly customerId: string;
  readonly grantId: string;
  readonly partnerId: string;
  readonly roles: readonly string[];
  readonly endsAt: string;
}

export interface ApplyOptions {
  /** Called before each event is applied; a throw aborts the batch (tests use it to crash a projector). */
  readonly beforeEach?: (event: RecordedEvent) => void;
}

function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

function decodeCursor(cursor: string | undefined, size: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === size && parts.every((p) => typeof p === 'string')) return parts;
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError('The cursor is not one this ledger gave.');
}

/** Fetches one row more than the page holds, to know whether another page follows. */
function page<R, T>(rows: R[], limit: number, item: (row: R) => T, cursorOf: (row: R) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items: items.map(item), nextCursor: encodeCursor(cursorOf(items[items.length - 1])) } : { items: items.map(item) };
}

/**
 * The read models in their own SQLite file: one view per customer and per partner, the links per-partner
 * questions search, and the checkpoint, all written in one transaction per batch. The file can always be
 * thrown away and rebuilt from the log.
 */
export class ReadModelStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(
    readonly file: string,
    private readonly options: ReadModelStoreOptions = {},
  ) {
    this.db = openPrivateDatabase(file);
    if (options.bulkLoad) {
      this.db.pragma('journal_mode = OFF');
      this.db.pragma('synchronous = OFF');
      this.db.pragma('cache_size = -65536');
      this.db.exec(SCHEMA);
    } else {
      this.db.pragma('journal_mode = WAL');
      // No fsync: the checkpoint is written with its data, so a killed process loses nothing it committed
      // (the operating system has the pages), and a machine that loses power may lose the last batches or,
      // rarely, damage the file, which the read side then finds and rebuilds. With fsync, every WAL
      // checkpoint held the event loop for 100-200 ms while catching up.
      this.db.pragma('synchronous = OFF');
      this.db.exec(SCHEMA + INDEXES);
    }
    const db = this.db;
    this.statements = {
      customer: db.prepare('SELECT view FROM customers WHERE customer_id = ?').pluck(),
      partner: db.prepare('SELECT view FROM partners WHERE partner_id = ?').pluck(),
      putCustomer: db.prepare('INSERT INTO customers (customer_id, view) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET view = excluded.view'),
      putPartner: db.prepare('INSERT INTO partners (partner_id, view) VALUES (?, ?) ON CONFLICT (partner_id) DO UPDATE SET view = excluded.view'),
      deleteLinks: db.prepare('DELETE FROM customer_links WHERE customer_id = ?'),
      deleteDeadlines: db.prepare('DELETE FROM deadlines WHERE customer_id = ?'),
      putSnapshot: db.prepare(`INSERT OR REPLACE INTO snapshots (customer_id, events_applied, commit_position, prepare_position, recorded_at, view)
        VALUES (?, ?, ?, ?, ?, ?)`),
      snapshotAtTime: db.prepare(`SELECT commit_position, prepare_position, recorded_at, view FROM snapshots
        WHERE customer_id = ? AND recorded_at <= ? ORDER BY events_applied DESC LIMIT 1`).safeIntegers(true),
      snapshotAtPosition: db.prepare(`SELECT commit_position, prepare_position, recorded_at, view FROM snapshots
        WHERE customer_id = ? AND (commit_position, prepare_position) <= (?, ?) ORDER BY events_applied DESC LIMIT 1`).safeIntegers(true),
      insertDeadline: db.prepare('INSERT INTO deadlines (customer_id, kind, ref_id, due_at) VALUES (?, ?, ?, ?)'),
      dueDeadlines: db.prepare('SELECT customer_id, kind, ref_id, due_at FROM deadlines WHERE due_at <= ? ORDER BY due_at, customer_id, kind, ref_id LIMIT ?'),
      insertLink: db.prepare('INSERT INTO customer_links (customer_id, partner_id, role, ref_id, owner_id, ends_at, roles) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      checkpoint: db.prepare('SELECT commit_position, prepare_position, events_seen FROM checkpoint WHERE id = 1').safeIntegers(true),
      putCheckpoint: db.prepare(`INSERT INTO checkpoint (id, commit_position, prepare_position, events_seen) VALUES (1, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET commit_position = excluded.commit_position, prepare_position = excluded.prepare_position,
        events_seen = excluded.events_seen`),
      partnerCustomers: Object.fromEntries(Object.entries(ROLES_FOR_RIGHT).map(([right, roles]) => [right, db.prepare(
        `SELECT customer_id, json_group_array(json_object('role', role, 'refId', ref_id, 'endsAt', ends_at)) AS via
         FROM customer_links WHERE partner_id = ? AND customer_id > ? AND role IN (${roles.map((r) => `'${r}'`).join(', ')})
         AND (ends_at IS NULL OR ends_at > ?) GROUP BY customer_id ORDER BY customer_id LIMIT ?`)])) as Record<Right, Database.Statement>,
      resellerCustomers: db.prepare(`SELECT partner_id, customer_id, ref_id FROM customer_links
        WHERE owner_id = ? AND role = 'linked-reseller' AND (partner_id, customer_id, ref_id) > (?, ?, ?)
        ORDER BY partner_id, customer_id, ref_id LIMIT ?`),
      expiringGrants: db.prepare(`SELECT customer_id, ref_id, partner_id, roles, ends_at FROM customer_links
        WHERE role = 'delegated-admin' AND ends_at > ? AND ends_at <= ? AND (? IS NULL OR partner_id = ?) AND (? IS NULL OR customer_id = ?)
        AND (ends_at, customer_id, ref_id) > (?, ?, ?) ORDER BY ends_at, customer_id, ref_id LIMIT ?`),
    };
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

  checkpoint(): Checkpoint | undefined {
    return this.guard(() => this.readCheckpoint());
  }

  private readCheckpoint(): Checkpoint | undefined {
    const row = this.statements.checkpoint.get() as { commit_position: bigint; prepare_position: bigint; events_seen: bigint } | undefined;
    return row && { position: { commit: row.commit_position, prepare: row.prepare_position }, eventsSeen: Number(row.events_seen) };
  }

  customer(customerId: string): CustomerView | undefined {
    const view = this.guard(() => this.statements.customer.get(customerId)) as string | undefined;
    return view === undefined ? undefined : (JSON.parse(view) as CustomerView);
  }

  partner(partnerId: string): PartnerView | undefined {
    const view = this.guard(() => this.statements.partner.get(partnerId)) as string | undefined;
    return view === undefined ? undefined : (JSON.parse(view) as PartnerView);
  }

  /**
   * Applies a batch of the log in one transaction: events at or before the checkpoint are passed over (so a
   * batch read again after a crash is applied once), the views they touch are evolved and written once,
   * and the checkpoint moves to the batch's last event. Returns how many events were projected.
   */
  apply(events: readonly RecordedEvent[], options: ApplyOptions = {}): number {
    // One transient scope per batch: a view touched by many events of the batch is copied once, not per event.
    return this.guard(() => this.db.transaction(() => inTransientScope(() => {
      const checkpoint = this.readCheckpoint();
      const customers = new Map<string, { stored: CustomerView | null; view: CustomerView | null }>();
      const partners = new Map<string, PartnerView | null>();
      let last: RecordedEvent | undefined;
      let projected = 0;
      let seen = 0;
      for (const event of events) {
        if (checkpoint && comparePositions(event.position, checkpoint.position) <= 0) continue;
        options.beforeEach?.(event);
        last = event;
        seen += 1;
        const stream = parseStreamName(event.stream);
        const domainEvent = projectedEventOf(event);
        if (!stream || !domainEvent) continue;
        if (stream.category === 'customer') {
          let entry = customers.get(stream.id);
          if (!entry) {
            const stored = this.customer(stream.id) ?? null;
            entry = { stored, view: stored };
            customers.set(stream.id, entry);
          }
          entry.view = evolveCustomerView(entry.view, domainEvent as ProjectedEvent<CustomerEvent>);
          if (entry.view && entry.view.eventsApplied % SNAPSHOT_EVERY === 0) {
            this.statements.putSnapshot.run(stream.id, entry.view.eventsApplied, event.position.commit, event.position.prepare,
              domainEvent.recordedAt, JSON.stringify(entry.view));
          }
        } else {
          const view = partners.has(stream.id) ? (partners.get(stream.id) ?? null) : (this.partner(stream.id) ?? null);
          partners.set(stream.id, evolvePartnerView(view, domainEvent as ProjectedEvent<PartnerEvent>));
        }
        projected += 1;
      }
      if (!last) return 0;
      for (const [customerId, { stored, view }] of customers) this.writeCustomer(customerId, stored, view);
      for (const [partnerId, view] of partners) {
        if (view) this.statements.putPartner.run(partnerId, JSON.stringify(view));
      }
      this.statements.putCheckpoint.run(last.position.commit, last.position.prepare, (checkpoint?.eventsSeen ?? 0) + seen);
      return projected;
    }))());
  }

  /** Writes the view, and its links and deadlines where they changed (a term end, say, changes no link). */
  private writeCustomer(customerId: string, stored: CustomerView | null, view: CustomerView | null): void {
    if (!view) return;
    this.statements.putCustomer.run(customerId, JSON.stringify(view));
    this.writeDerived(customerId, stored && customerLinks(stored), customerLinks(view), this.statements.deleteLinks, (link) =>
      this.statements.insertLink.run(link.customerId, link.partnerId, link.role, link.refId, link.ownerId, link.endsAt,
        link.roles && JSON.stringify(link.roles)));
    this.writeDerived(customerId, stored && customerDeadlines(stored), customerDeadlines(view), this.statements.deleteDeadlines,
      (d) => this.statements.insertDeadline.run(d.customerId, d.kind, d.refId, d.dueAt));
  }

  /** Rewrites rows derived from a customer's view, unless they are the same as before. */
  private writeDerived<R>(customerId: string, before: R[] | null, after: R[], remove: Database.Statement, insert: (row: R) => void): void {
    if (before) {
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      remove.run(customerId);
    }
    after.forEach(insert);
  }

  /** The latest snapshot of a customer's view at or before a time, or a position. */
  snapshotBefore(customerId: string, cutoff: { time: string } | { position: Position }): Snapshot | undefined {
    const row = this.guard(() => ('time' in cutoff
      ? this.statements.snapshotAtTime.get(customerId, cutoff.time)
      : this.statements.snapshotAtPosition.get(customerId, asSqliteBound(cutoff.position.commit), asSqliteBound(cutoff.position.prepare)))) as
      { commit_position: bigint; prepare_position: bigint; recorded_at: string; view: string } | undefined;
    return row && {
      view: JSON.parse(row.view) as CustomerView,
      position: { commit: row.commit_position, prepare: row.prepare_position },
      recordedAt: row.recorded_at,
    };
  }

  /** Deadlines due at or before `now`, oldest first: what the scheduler records next. */
  dueDeadlines(now: string, limit: number): Deadline[] {
    return (this.guard(() => this.statements.dueDeadlines.all(now, limit)) as Array<{ customer_id: string; kind: Deadline['kind']; ref_id: string; due_at: string }>)
      .map((row) => ({ customerId: row.customer_id, kind: row.kind, refId: row.ref_id, dueAt: row.due_at }));
  }

  /** The indexes a bulk load leaves out, to be built when it ends (see `buildReadModels`). */
  static readonly indexes = INDEXES;

  /** The customers a partner may do `right` for at `now`, by customer id. */
  partnerCustomers(partnerId: string, right: Right, now: string, options: { cursor?: string; limit: number }): Page<PartnerCustomer> {
    const [after] = decodeCursor(options.cursor, 1) ?? [''];
    const rows = this.guard(() => this.statements.partnerCustomers[right].all(partnerId, after, now, options.limit + 1)) as Array<{ customer_id: string; via: string }>;
    return page(rows, options.limit, (row) => ({ customerId: row.customer_id, via: JSON.parse(row.via) as PartnerCustomer['via'] }),
      (row) => [row.customer_id]);
  }

  /** For a provider: the customers of its relationships that an indirect reseller is linked to, by reseller. */
  resellerCustomers(providerId: string, options: { cursor?: string; limit: number }): Page<ResellerCustomer> {
    const [reseller, customer, ref] = decodeCursor(options.cursor, 3) ?? ['', '', ''];
    const rows = this.guard(() => this.statements.resellerCustomers.all(providerId, reseller, customer, ref, options.limit + 1)) as Array<{
      partner_id: string; customer_id: string; ref_id: string;
    }>;
    return page(rows, options.limit, (row) => ({ resellerId: row.partner_id, customerId: row.customer_id, relationshipId: row.ref_id }),
      (row) => [row.partner_id, row.customer_id, row.ref_id]);
  }

  /** Grants in force at `now` that end by `until`, soonest first; of one partner, or one customer, when given. */
  expiringGrants(
    now: string,
    until: string,
    options: { partnerId?: string; customerId?: string; cursor?: string; limit: number },
  ): Page<ExpiringGrant> {
    const [endsAt, customer, ref] = decodeCursor(options.cursor, 3) ?? ['', '', ''];
    const partnerId = options.partnerId ?? null;
    const customerId = options.customerId ?? null;
    const rows = this.guard(() => this.statements.expiringGrants.all(
      now, until, partnerId, partnerId, customerId, customerId, endsAt, customer, ref, options.limit + 1,
    )) as Array<{
      customer_id: string; ref_id: string; partner_id: string; roles: string; ends_at: string;
    }>;
    return page(rows, options.limit, (row) => ({
      customerId: row.customer_id, grantId: row.ref_id, partnerId: row.partner_id, roles: JSON.parse(row.roles) as string[], endsAt: row.ends_at,
    }), (row) => [row.ends_at, row.customer_id, row.ref_id]);
  }

  /** Every row of every table in a fixed order, one line each: equal read models dump equal. */
  *dump(): Generator<string> {
    const tables: Array<[string, string]> = [
      ['customers', 'customer_id'], ['partners', 'partner_id'], ['customer_links', 'customer_id, partner_id, role, ref_id'],
      ['deadlines', 'customer_id, kind, ref_id'], ['snapshots', 'customer_id, events_applied'], ['checkpoint', 'id'],
    ];
    for (const [table, order] of tables) {
      for (const row of this.db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).safeIntegers(true).iterate()) {
        yield `${table} ${JSON.stringify(row, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`;
      }
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
