import type Database from 'better-sqlite3';
import {
  CUSTOMER_VIEW_EVENT_TYPES,
  type CustomerEvent,
  type CustomerLink,
  customerLinks,
  type CustomerView,
  evolveCustomerView,
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
}

type SnapshotRow = { commit_position: bigint; prepare_position: bigint; recorded_at: string; view: string };

/**
 * One view per customer (ownership, relationships, grants, subscriptions), the links per-partner questions
 * search (derived from the view), and a snapshot of the view every {@link SNAPSHOT_EVERY} events for
 * questions about the past.
 */
export const customerViews = documentProjection<CustomerView, CustomerEvent, CustomerViewQueries>({
  name: 'customer-views',
  version: 1,
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
      deleteLinks: db.prepare('DELETE FROM customer_links WHERE customer_id = ?'),
      insertLink: db.prepare('INSERT INTO customer_links (customer_id, partner_id, role, ref_id, owner_id, ends_at, roles) VALUES (?, ?, ?, ?, ?, ?, ?)'),
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
    const insertLink = (link: CustomerLink): unknown => statements.insertLink.run(link.customerId, link.partnerId, link.role, link.refId,
      link.ownerId, link.endsAt, link.roles && JSON.stringify(link.roles));

    return {
      afterEvent(customerId, view, { event, position }) {
        if (view.eventsApplied % SNAPSHOT_EVERY !== 0) return;
        statements.putSnapshot.run(customerId, view.eventsApplied, position.commit, position.prepare, event.recordedAt, JSON.stringify(view));
      },
      afterWrite(customerId, before, after) {
        // A term end, say, changes no link: the links are rewritten only when they changed.
        const links = customerLinks(after);
        if (before) {
          if (JSON.stringify(customerLinks(before)) === JSON.stringify(links)) return;
          statements.deleteLinks.run(customerId);
        }
        links.forEach(insertLink);
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
        expiringGrants(now, until, options) {
          const [endsAt, customer, ref] = decodeCursor(options.cursor, 3) ?? ['', '', ''];
          const partnerId = options.partnerId ?? null;
          const customerId = options.customerId ?? null;
          const rows = statements.expiringGrants.all(
            now, until, partnerId, partnerId, customerId, customerId, endsAt, customer, ref, options.limit + 1,
          ) as Array<{ customer_id: string; ref_id: string; partner_id: string; roles: string; ends_at: string }>;
          return page(rows, options.limit, (row) => ({
            customerId: row.customer_id, grantId: row.ref_id, partnerId: row.partner_id, roles: JSON.parse(row.roles) as string[], endsAt: row.ends_at,
          }), (row) => [row.ends_at, row.customer_id, row.ref_id]);
        },
      },
    };
  },
});
