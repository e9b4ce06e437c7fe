import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { customerDecider, partnerDecider } from '@ledger/domain';
import { openPrivateDatabase } from '@ledger/event-store';

/**
 * Which deciders' states a snapshot holds: the evolve functions' own source and a number to raise when a
 * state changes shape in code they call. A snapshot of another version is not used (the stream is folded
 * from its start and a new snapshot written), so a release that changes how events fold needs no migration.
 */
export const STATE_VERSION = createHash('sha256')
  .update(['1', customerDecider.evolve.toString(), partnerDecider.evolve.toString()].join('\n'))
  .digest('hex').slice(0, 16);

/** A stream's decider state as of a revision, with the commands it holds. */
export interface StateSnapshot {
  /** The revision of the last event folded in, and that event's hash: the stream must still hold it there. */
  readonly revision: bigint;
  readonly hash: string;
  readonly state: unknown;
  /** Each command's events: its scoped id, first and last revision. */
  readonly commands: ReadonlyArray<readonly [key: string, first: bigint, last: bigint]>;
}

/** Where the state cache keeps snapshots, so that after a restart a long stream is not folded from its start. */
export abstract class StateSnapshots {
  abstract get(stream: string): StateSnapshot | undefined;
  abstract put(stream: string, snapshot: StateSnapshot): void;
  abstract close(): void;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS snapshots (
  stream TEXT PRIMARY KEY, version TEXT NOT NULL, revision INTEGER NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL
)`;

/**
 * Snapshots in a local SQLite file: a cache each replica keeps for itself (with EventStoreDB too). Losing it
 * costs time, never correctness: a snapshot is used only when its version is this code's and the stream
 * still holds its last event with its hash. Writing one is best effort (a full disk skips it).
 */
export class SqliteStateSnapshots extends StateSnapshots {
  private readonly db: Database.Database;
  private readonly statements;
  /**
   * The streams with a snapshot of this version: only streams of 1,000 events and more have one, so most
   * commands (on streams the cache has not seen since the start) are answered without a query.
   */
  private readonly held: Set<string>;

  constructor(file: string) {
    super();
    this.db = openPrivateDatabase(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = OFF');
    this.db.exec(SCHEMA);
    this.statements = {
      get: this.db.prepare('SELECT revision, hash, body FROM snapshots WHERE stream = ? AND version = ?').safeIntegers(true),
      put: this.db.prepare('INSERT OR REPLACE INTO snapshots (stream, version, revision, hash, body) VALUES (?, ?, ?, ?, ?)'),
    };
    this.held = new Set(this.db.prepare('SELECT stream FROM snapshots WHERE version = ?').pluck().all(STATE_VERSION) as string[]);
  }

  override get(stream: string): StateSnapshot | undefined {
    if (!this.held.has(stream)) return undefined;
    try {
      const row = this.statements.get.get(stream, STATE_VERSION) as { revision: bigint; hash: string; body: string } | undefined;
      if (!row) return undefined;
      const body = JSON.parse(row.body) as { state: unknown; commands: Array<[string, string, string]> };
      return {
        revision: row.revision, hash: row.hash, state: body.state,
        commands: body.commands.map(([key, first, last]) => [key, BigInt(first), BigInt(last)] as const),
      };
    } catch {
      return undefined; // a snapshot that cannot be read is a snapshot not taken
    }
  }

  override put(stream: string, snapshot: StateSnapshot): void {
    const body = JSON.stringify({
      state: snapshot.state, commands: snapshot.commands.map(([key, first, last]) => [key, first.toString(), last.toString()]),
    });
    try {
      this.statements.put.run(stream, STATE_VERSION, snapshot.revision, snapshot.hash, body);
      this.held.add(stream);
    } catch {
      // best effort: the next snapshot of this stream tries again
    }
  }

  override close(): void {
    if (this.db.open) this.db.close();
  }
}
