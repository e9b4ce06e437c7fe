import { type CustomerEvent, type Deadline, DEADLINE_EVENT_TYPES, type DeadlineKey, deadlineChanges } from '@ledger/domain';
import type { Projection, ProjectionEvent } from '../projection';

export interface DeadlineQueries {
  /** Deadlines due at or before `now`, oldest first: what the scheduler records next. */
  due(now: string, limit: number): Deadline[];
}

/** The facts time brings that are still to be recorded (license term ends, expiries): the scheduler's work list. */
export const deadlines: Projection<DeadlineQueries> = {
  name: 'deadlines',
  version: 1,
  eventTypes: DEADLINE_EVENT_TYPES,
  tables: [{
    name: 'deadlines',
    schema: `CREATE TABLE deadlines (
      customer_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      ref_id TEXT NOT NULL,
      due_at TEXT NOT NULL,
      PRIMARY KEY (customer_id, kind, ref_id)
    ) WITHOUT ROWID`,
    indexes: ['CREATE INDEX IF NOT EXISTS deadlines_by_due ON deadlines (due_at, customer_id, kind, ref_id)'],
    order: 'customer_id, kind, ref_id',
  }],
  open(db, { bulkLoad }) {
    const set = db.prepare(`INSERT INTO deadlines (customer_id, kind, ref_id, due_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (customer_id, kind, ref_id) DO UPDATE SET due_at = excluded.due_at`);
    const clear = db.prepare('DELETE FROM deadlines WHERE customer_id = ? AND kind = ? AND ref_id = ?');
    const due = db.prepare('SELECT customer_id, kind, ref_id, due_at FROM deadlines WHERE due_at <= ? ORDER BY due_at, customer_id, kind, ref_id LIMIT ?');
    // A bulk load starts from an empty table, so what it ends with is each deadline set and not cleared since: kept here
    // and written once at the end, rather than a statement for every set and clear (most deadlines of a long log are
    // cleared again).
    const kept = bulkLoad ? new Map<string, Deadline>() : undefined;
    const keyOf = (d: DeadlineKey) => `${d.customerId}\u0000${d.kind}\u0000${d.refId}`;
    return {
      apply(events) {
        for (const { event } of events as ReadonlyArray<ProjectionEvent<CustomerEvent>>) {
          for (const change of deadlineChanges(event)) {
            if ('set' in change) {
              if (kept) kept.set(keyOf(change.set), change.set);
              else set.run(change.set.customerId, change.set.kind, change.set.refId, change.set.dueAt);
            } else if (kept) {
              kept.delete(keyOf(change.clear));
            } else {
              clear.run(change.clear.customerId, change.clear.kind, change.clear.refId);
            }
          }
        }
      },
      finishBulkLoad() {
        for (const d of kept?.values() ?? []) set.run(d.customerId, d.kind, d.refId, d.dueAt);
        kept?.clear();
      },
      queries: {
        due: (now, limit) => (due.all(now, limit) as Array<{ customer_id: string; kind: Deadline['kind']; ref_id: string; due_at: string }>)
          .map((row) => ({ customerId: row.customer_id, kind: row.kind, refId: row.ref_id, dueAt: row.due_at })),
      },
    };
  },
};
