import type Database from 'better-sqlite3';
import {
  CUSTOMER_VIEW_EVENT_TYPES,
  type CustomerEvent,
  customerLinks,
  type CustomerView,
  evolveCustomerView,
  gdapAccessRoles,
  type LinkRole,
  type Right,
  ROLES_GIVING_RIGHT,
} from '@ledger/domain';
import { asSqliteBound, type Position } from '@ledger/event-store';
import { decodeCursor, page, type Page } from '../paging';
import { documentProjection } from '../projection';

/** A customer’s view after every this many of its events is kept, so a past state replays at most that many (an as-of query stays in milliseconds; the aim is no more than about a thousand). */
export const SNAPSHOT_EVERY = 100;

export interface Snapshot {
  readonly view: CustomerView;
  /** The position and recording time of the last event the view has applied. */
  readonly position: Position;
  readonly recordedAt: string;
}

export interface PartnerCustomer {
  readonly customerId: string;
  readonly via: ReadonlyArray<{ readonly role: LinkRole; readonly refId: string; readonly endsAt: string | null }>;
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

/** A GDAP relationship in force and when it ends: what the expiring and auto-extending questions search. */
export interface GdapTerm {
  readonly customerId: string;
  readonly gdapId: string;
  readonly partnerId: string;
  readonly roles: readonly string[];
  /** The roles its security groups have access to now. */
  readonly accessRoles: readonly string[];
  readonly endsAt: string;
  /** When true, the scheduler extends it by 180 days at its end instead of recording its expiry. */
  readonly autoExtend: boolean;
}

/** A request waiting for an answer, as one partner sees it: its own GDAP requests and transfers, sent or received. */
export interface PendingRequest {
  readonly kind: 'gdap-request' | 'transfer';
  /** `outgoing`: the partner asked (a GDAP request, or a transfer it is the target of); `incoming`: it must answer. */
  readonly direction: 'outgoing' | 'incoming';
  readonly customerId: string;
  readonly refId: string;
  /** The other partner of a transfer. */
  readonly counterpartyId: string | null;
  readonly expiresAt: string;
}

export interface CustomerViewQueries {
  customer(customerId: string): CustomerView | undefined;
  /** The latest snapshot of a customer's view at or before a time, or a position. */
  snapshotBefore(customerId: string, cutoff: { time: string } | { position: Position }): Snapshot | undefined;
  /** The customers a partner may do `right` for at `now`, by customer id. */
  partnerCustomers(partnerId: string, right: Right, now: string, options: { cursor?: string; limit: number }): Page<PartnerCustomer>;
  /** For a provider: the customers of its relationships that an indirect reseller is linked to, by reseller. */
  resellerCustomers(providerId: string, options: { cursor?: string; limit: number }): Page<ResellerCustomer>;
  /** Grants in force at `now` that end by `until`, soonest first; of one partner, or one customer, when given. */
  expiringGrants(now: string, until: string, options: { partnerId?: string; customerId?: string; cursor?: string; limit: number }): Page<ExpiringGrant>;
  /** GDAP relationships in force that end (and expire or auto-extend) by `until`, soonest first; of one partner, or one customer, when given. */
  expiringGdap(now: string, until: string, options: { partnerId?: string; customerId?: string; cursor?: string; limit: number }): Page<GdapTerm>;
  /** The pending GDAP requests and transfers of a partner, sent and received, soonest to expire first. */
  pendingRequests(partnerId: string, options: { direction?: PendingRequest['direction']; cursor?: string; limit: number }): Page<PendingRequest>;
}

type Row = ReadonlyArray<string | number | null>;

/** The GDAP relationships in force, as rows of gdap_terms. */
function gdapTermRows(view: CustomerView): Row[] {
  return Object.values(view.gdapRelationships).filter((g) => g.status === 'active' && g.endsAt !== null).map((g) => [
    view.customerId, g.gdapId, g.partnerId, JSON.stringify(g.roles), JSON.stringify(gdapAccessRoles(g)), g.endsAt, g.autoExtend ? 1 : 0,
  ]);
}

/** Pending GDAP requests and transfers, once per partner that sees them, as rows of pending_requests. */
function pendingRows(view: CustomerView): Row[] {
  const rows: Row[] = [];
  for (const g of Object.values(view.gdapRelationships)) {
    if (g.status === 'approval-pending') rows.push([g.partnerId, 'outgoing', 'gdap-request', view.customerId, g.gdapId, null, g.requestExpiresAt]);
  }
  for (const t of Object.values(view.transfers)) {
    if (t.status !== 'pending') continue;
    rows.push([t.targetPartnerId, 'outgoing', 'transfer', view.customerId, t.transferId, t.sourcePartnerId, t.expiresAt]);
    rows.push([t.sourcePartnerId, 'incoming', 'transfer', view.customerId, t.transferId, t.targetPartnerId, t.expiresAt]);
  }
  return rows;
}

function linkRows(view: CustomerView): Row[] {
  return customerLinks(view).map((link) => [
    link.customerId, link.partnerId, link.role, link.refId, link.ownerId, link.endsAt, link.roles && JSON.stringify(link.roles),
  ]);
}

type SnapshotRow = { commit_position: bigint; prepare_position: bigint; recorded_at: string; view: string };

/**
 * One view per customer (ownership, relationships, grants, subscriptions), the links per-partner questions
 * search (derived from the view), and a snapshot of the view every {@link SNAPSHOT_EVERY} events for
 * questions about the past.
 */
export const customerViews = documentProjection<CustomerView, CustomerEvent, CustomerViewQueries>({
  name: 'customer-views',
  // 2: GDAP relationships, transfers and commerce in the view; the gdap_terms and pending_requests tables.
  version: 2,
  eventTypes: CUSTOMER_VIEW_EVENT_TYPES,
  documents: { name: 'customers', key: 'customer_id', column: 'view' },
  tables: [
    {
      name: 'customer_links',
      schema: `CREATE TABLE customer_links (
        customer_id TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        role TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        owner_id TEXT,
        ends_at TEXT,
        roles TEXT,
        PRIMARY KEY (customer_id, partner_id, role, ref_id)
      ) WITHOUT ROWID`,
      indexes: [
        'CREATE INDEX IF NOT EXISTS links_by_partner ON customer_links (partner_id, customer_id)',
        'CREATE INDEX IF NOT EXISTS links_by_owner ON customer_links (owner_id, role, partner_id, customer_id)',
        'CREATE INDEX IF NOT EXISTS links_by_end ON customer_links (role, ends_at, customer_id, ref_id)',
      ],
      order: 'customer_id, partner_id, role, ref_id',
    },
    {
      name: 'gdap_terms',
      schema: `CREATE TABLE gdap_terms (
        customer_id TEXT NOT NULL,
        gdap_id TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        roles TEXT NOT NULL,
        access_roles TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        auto_extend INTEGER NOT NULL,
        PRIMARY KEY (customer_id, gdap_id)
      ) WITHOUT ROWID`,
      indexes: ['CREATE INDEX IF NOT EXISTS gdap_terms_by_end ON gdap_terms (ends_at, customer_id, gdap_id)'],
      order: 'customer_id, gdap_id',
    },
    {
      name: 'pending_requests',
      schema: `CREATE TABLE pending_requests (
        partner_id TEXT NOT NULL,
        direction TEXT NOT NULL,
        kind TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        counterparty_id TEXT,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (partner_id, kind, customer_id, ref_id)
      ) WITHOUT ROWID`,
      // A view's pending rows are replaced by customer, which the key does not start with.
      writeIndexes: ['CREATE INDEX IF NOT EXISTS pending_by_customer ON pending_requests (customer_id)'],
      indexes: ['CREATE INDEX IF NOT EXISTS pending_by_expiry ON pending_requests (partner_id, expires_at, kind, customer_id, ref_id)'],
      order: 'partner_id, kind, customer_id, ref_id',
    },
    {
      name: 'snapshots',
      schema: `CREATE TABLE snapshots (
        customer_id TEXT NOT NULL,
        events_applied INTEGER NOT NULL,
        commit_position INTEGER NOT NULL,
        prepare_position INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        view TEXT NOT NULL,
        PRIMARY KEY (customer_id, events_applied)
      )`,
      order: 'customer_id, events_applied',
    },
  ],
  evolve: evolveCustomerView,
  open(db, documents) {
    const statements = {
      putSnapshot: db.prepare(`INSERT OR REPLACE INTO snapshots (customer_id, events_applied, commit_position, prepare_position, recorded_at, view)
        VALUES (?, ?, ?, ?, ?, ?)`),
      snapshotAtTime: db.prepare(`SELECT commit_position, prepare_position, recorded_at, view FROM snapshots
        WHERE customer_id = ? AND recorded_at <= ? ORDER BY events_applied DESC LIMIT 1`).safeIntegers(true),
      snapshotAtPosition: db.prepare(`SELECT commit_position, prepare_position, recorded_at, view FROM snapshots
        WHERE customer_id = ? AND (commit_position, prepare_position) <= (?, ?) ORDER BY events_applied DESC LIMIT 1`).safeIntegers(true),
      expiringGdap: db.prepare(`SELECT customer_id, gdap_id, partner_id, roles, access_roles, ends_at, auto_extend FROM gdap_terms
        WHERE ends_at > ? AND ends_at <= ? AND (? IS NULL OR partner_id = ?) AND (? IS NULL OR customer_id = ?)
        AND (ends_at, customer_id, gdap_id) > (?, ?, ?) ORDER BY ends_at, customer_id, gdap_id LIMIT ?`),
      pendingRequests: db.prepare(`SELECT direction, kind, customer_id, ref_id, counterparty_id, expires_at FROM pending_requests
        WHERE partner_id = ? AND (? IS NULL OR direction = ?) AND (expires_at, kind, customer_id, ref_id) > (?, ?, ?, ?)
        ORDER BY expires_at, kind, customer_id, ref_id LIMIT ?`),
      partnerCustomers: Object.fromEntries(Object.entries(ROLES_GIVING_RIGHT).map(([right, roles]) => [right, db.prepare(
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
    /** A query for what is in force at `now` and ends by `until`, soonest first, by (end, customer, `idColumn`). */
    const expiring = <R extends { customer_id: string; ends_at: string }, T>(statement: Database.Statement, idColumn: keyof R & string, toItem: (row: R) => T) =>
      (now: string, until: string, options: { partnerId?: string; customerId?: string; cursor?: string; limit: number }): Page<T> => {
        const [endsAt, customer, id] = decodeCursor(options.cursor, 3) ?? ['', '', ''];
        const partnerId = options.partnerId ?? null;
        const customerId = options.customerId ?? null;
        const rows = statement.all(now, until, partnerId, partnerId, customerId, customerId, endsAt, customer, id, options.limit + 1) as R[];
        return page(rows, options.limit, toItem, (row) => [row.ends_at, row.customer_id, String(row[idColumn])]);
      };

    /** Tables whose rows are derived from each customer's view, rewritten when they change. */
    const derived = [
      { rowsOf: linkRows, table: 'customer_links', columns: 'customer_id, partner_id, role, ref_id, owner_id, ends_at, roles' },
      { rowsOf: gdapTermRows, table: 'gdap_terms', columns: 'customer_id, gdap_id, partner_id, roles, access_roles, ends_at, auto_extend' },
      { rowsOf: pendingRows, table: 'pending_requests', columns: 'partner_id, direction, kind, customer_id, ref_id, counterparty_id, expires_at' },
    ].map(({ rowsOf, table, columns }) => ({
      rowsOf,
      remove: db.prepare(`DELETE FROM ${table} WHERE customer_id = ?`),
      insert: db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${columns.split(',').map(() => '?').join(', ')})`),
    }));

    return {
      afterEvent(customerId, view, { event, position }) {
        if (view.eventsApplied % SNAPSHOT_EVERY !== 0) return;
        statements.putSnapshot.run(customerId, view.eventsApplied, position.commit, position.prepare, event.recordedAt, JSON.stringify(view));
      },
      afterWrite(customerId, before, after) {
        // A term end, say, changes no link: a table's rows are rewritten only when they changed.
        for (const { rowsOf, remove, insert } of derived) {
          const rows = rowsOf(after);
          if (before) {
            if (JSON.stringify(rowsOf(before)) === JSON.stringify(rows)) continue;
            remove.run(customerId);
          }
          for (const row of rows) insert.run(...row);
        }
      },
      queries: {
        customer: (customerId) => documents.get(customerId),
        snapshotBefore(customerId, cutoff) {
          const row = ('time' in cutoff
            ? statements.snapshotAtTime.get(customerId, cutoff.time)
            : statements.snapshotAtPosition.get(customerId, asSqliteBound(cutoff.position.commit), asSqliteBound(cutoff.position.prepare))) as
            SnapshotRow | undefined;
          return row && {
            view: JSON.parse(row.view) as CustomerView,
            position: { commit: row.commit_position, prepare: row.prepare_position },
            recordedAt: row.recorded_at,
          };
        },
        partnerCustomers(partnerId, right, now, options) {
          const [after] = decodeCursor(options.cursor, 1) ?? [''];
          const rows = statements.partnerCustomers[right].all(partnerId, after, now, options.limit + 1) as Array<{ customer_id: string; via: string }>;
          return page(rows, options.limit, (row) => ({ customerId: row.customer_id, via: JSON.parse(row.via) as PartnerCustomer['via'] }),
            (row) => [row.customer_id]);
        },
        resellerCustomers(providerId, options) {
          const [reseller, customer, ref] = decodeCursor(options.cursor, 3) ?? ['', '', ''];
          const rows = statements.resellerCustomers.all(providerId, reseller, customer, ref, options.limit + 1) as Array<{
            partner_id: string; customer_id: string; ref_id: string;
          }>;
          return page(rows, options.limit, (row) => ({ resellerId: row.partner_id, customerId: row.customer_id, relationshipId: row.ref_id }),
            (row) => [row.partner_id, row.customer_id, row.ref_id]);
        },
        expiringGrants: expiring(statements.expiringGrants, 'ref_id',
          (row: { customer_id: string; ref_id: string; partner_id: string; roles: string; ends_at: string }) => ({
            customerId: row.customer_id, grantId: row.ref_id, partnerId: row.partner_id, roles: JSON.parse(row.roles) as string[], endsAt: row.ends_at,
          })),
        expiringGdap: expiring(statements.expiringGdap, 'gdap_id',
          (row: { customer_id: string; gdap_id: string; partner_id: string; roles: string; access_roles: string; ends_at: string; auto_extend: number }) => ({
            customerId: row.customer_id, gdapId: row.gdap_id, partnerId: row.partner_id, roles: JSON.parse(row.roles) as string[],
            accessRoles: JSON.parse(row.access_roles) as string[], endsAt: row.ends_at, autoExtend: row.auto_extend === 1,
          })),
        pendingRequests(partnerId, options) {
          const [expiresAt, kind, customer, ref] = decodeCursor(options.cursor, 4) ?? ['', '', '', ''];
          const direction = options.direction ?? null;
          const rows = statements.pendingRequests.all(partnerId, direction, direction, expiresAt, kind, customer, ref, options.limit + 1) as Array<{
            direction: PendingRequest['direction']; kind: PendingRequest['kind']; customer_id: string; ref_id: string;
            counterparty_id: string | null; expires_at: string;
          }>;
          return page(rows, options.limit, (row) => ({
            kind: row.kind, direction: row.direction, customerId: row.customer_id, refId: row.ref_id,
            counterpartyId: row.counterparty_id, expiresAt: row.expires_at,
          }), (row) => [row.expires_at, row.kind, row.customer_id, row.ref_id]);
        },
      },
    };
  },
});
