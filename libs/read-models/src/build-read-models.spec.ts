import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, SqliteEventStore } from '@ledger/event-store';
import { buildReadModels } from './build-read-models';
import { ReadModelStore } from './read-model-store';
import { writeHistory } from './testing/history-generator';

/** The plan SQLite has for a statement, one line per step. */
function planOf(file: string, sql: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail).join('\n');
  } finally {
    db.close();
  }
}

describe('a bulk load of the read models', () => {
  let dir: string;
  let events: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bulk-'));
    events = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    await writeHistory(events, { partners: 10, customers: 40, secondsBetweenCommands: 3600 });
  });

  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps up from its start the indexes the projections’ own writes search by, and builds the others at its end', async () => {
    const file = join(dir, 'bulk.sqlite');
    // A customer's pending requests are replaced by customer id, which their table's key does not start with.
    const replacePending = 'DELETE FROM pending_requests WHERE customer_id = \'customer-1\'';
    const byEnd = 'SELECT customer_id FROM customer_links WHERE role = \'delegated-admin\' AND ends_at > \'2026\'';
    let during = { replacePending: '', byEnd: '' };
    await buildReadModels(events, file, {
      beforeFinish: async () => {
        during = { replacePending: planOf(file, replacePending), byEnd: planOf(file, byEnd) };
      },
    });

    expect(during.replacePending).toContain('USING INDEX pending_by_customer');
    expect(during.byEnd).not.toContain('INDEX');
    expect(planOf(file, byEnd)).toContain('USING COVERING INDEX links_by_end');
  });

  it('is the only kind of load that can be finished', () => {
    const store = new ReadModelStore(join(dir, 'live.sqlite'));
    expect(() => store.finishBulkLoad()).toThrow('Only a bulk load can be finished');
    store.close();
  });
});
