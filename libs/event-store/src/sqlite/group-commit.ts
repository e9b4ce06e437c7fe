import type Database from 'better-sqlite3';
import { EventStoreUnavailableError } from '../event-store.port';
import { sqliteFaultReason } from './storage-faults';

interface Pending<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Writes that arrive in the same turn of the event loop share one transaction, and so one fsync
 * (group commit). Each write runs in its own savepoint: one that throws is rolled back and rejected alone,
 * the others commit. A storage fault (disk full, I/O error) fails the whole batch: SQLite may have rolled the
 * transaction back already. Promises settle only after COMMIT returned, so a resolved write is durable.
 */
export class GroupCommit<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private scheduled = false;
  private readonly statements;
  private readonly counters = { writes: 0, commits: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly write: (item: T) => R,
    private readonly onCommitted: () => void = () => undefined,
  ) {
    this.statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      savepoint: db.prepare('SAVEPOINT write'),
      release: db.prepare('RELEASE write'),
      rollbackTo: db.prepare('ROLLBACK TO write'),
    };
  }

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes committed and the commits (fsyncs) they took. */
  get stats(): { readonly writes: number; readonly commits: number } {
    return { ...this.counters };
  }

  /** Commits whatever is queued now; also called before the database is closed. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; result: R } | { ok: false; error: unknown }> = [];
    try {
      this.statements.begin.run();
      for (const { item } of batch) {
        this.statements.savepoint.run();
        try {
          outcomes.push({ ok: true, result: this.write(item) });
          this.statements.release.run();
        } catch (error) {
          if (sqliteFaultReason(error)) throw error;
          this.statements.rollbackTo.run();
          this.statements.release.run();
          outcomes.push({ ok: false, error });
        }
      }
      this.statements.commit.run();
      this.counters.commits += 1;
      this.counters.writes += batch.length;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      const failure = new EventStoreUnavailableError(`The write could not be committed: ${String(error)}`,
        sqliteFaultReason(error) ?? 'io-error', { cause: error });
      for (const { reject } of batch) reject(failure);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) resolve(outcome.result);
      else reject(outcome.error);
    });
    this.onCommitted();
  }
}
