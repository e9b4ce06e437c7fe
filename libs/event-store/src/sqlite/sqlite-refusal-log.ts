import type Database from 'better-sqlite3';
import { scopedCommandId } from '../event-ids';
import { RefusalLog, type RefusalRecord, type StoredRefusal } from '../refusal-log';
import { GroupCommit } from './group-commit';
import { openPrivateDatabase } from './private-files';
import { guardStorage } from './storage-faults';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS refusals (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  -- the client and its command id (scopedCommandId)
  command_id TEXT NOT NULL UNIQUE,
  record TEXT NOT NULL
);`;

/** The refusal log in its own SQLite file beside the event store's, durable and group-committed like it. */
export class SqliteRefusalLog extends RefusalLog {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writes: GroupCommit<RefusalRecord, void>;

  constructor(file: string) {
    super();
    this.db = openPrivateDatabase(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.statements = {
      insert: this.db.prepare('INSERT OR IGNORE INTO refusals (command_id, record) VALUES (?, ?)'),
      find: this.db.prepare('SELECT sequence, record FROM refusals WHERE command_id = ?').safeIntegers(true),
      list: this.db.prepare('SELECT sequence, record FROM refusals WHERE sequence > ? ORDER BY sequence LIMIT ?').safeIntegers(true),
    };
    this.writes = new GroupCommit(this.db, (refusal) => {
      this.statements.insert.run(scopedCommandId(refusal.client, refusal.commandId), JSON.stringify(refusal));
    });
  }

  override record(refusal: RefusalRecord): Promise<void> {
    return this.writes.submit(refusal);
  }

  override async find(client: string, commandId: string): Promise<StoredRefusal | undefined> {
    const row = guardStorage('Reading the refusal log', () => this.statements.find.get(scopedCommandId(client, commandId))) as Row | undefined;
    return row && toStored(row);
  }

  override async list({ after = 0n, limit }: { after?: bigint; limit: number }): Promise<StoredRefusal[]> {
    return (guardStorage('Reading the refusal log', () => this.statements.list.all(after, limit)) as Row[]).map(toStored);
  }

  override async close(): Promise<void> {
    if (!this.db.open) return;
    this.writes.flush();
    this.db.close();
  }
}

interface Row {
  sequence: bigint;
  record: string;
}

function toStored(row: Row): StoredRefusal {
  return { ...(JSON.parse(row.record) as RefusalRecord), sequence: row.sequence };
}
