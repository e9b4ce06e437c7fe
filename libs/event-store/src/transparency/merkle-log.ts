import type Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import type { EventStore, RecordedEvent } from '../event-store.port';
import { HASH_KEY } from '../hash-chain';
import type { Position } from '../position';
import { openPrivateDatabase } from '../sqlite/private-files';
import { TimeSlice } from '../time-slice';
import { consistencyProof, inclusionProof, leafHash, nodeHash, RootBuilder, rootHash, splitPoint, type SubtreeHashes } from './merkle';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leaves (
  idx INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  revision INTEGER NOT NULL,
  event_hash TEXT NOT NULL,
  commit_position INTEGER NOT NULL,
  prepare_position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS leaves_by_event ON leaves (event_id);
-- Each stream's leaves in order: its last one below a size is its head there (the stream heads a checkpoint commits to).
CREATE INDEX IF NOT EXISTS leaves_by_stream ON leaves (stream, idx);
-- The hash of every perfect subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L).
CREATE TABLE IF NOT EXISTS nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
-- Signed checkpoints, one per tree size signed.
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY,
  note TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
`;

/** What a leaf commits to: an event's place in its stream and its chain hash (which covers its content and the chain before it). */
export interface LeafEntry {
  readonly stream: string;
  readonly revision: bigint;
  readonly hash: string;
}

/** The bytes a leaf hashes: the RFC 8785 canonical JSON of `[stream, revision, event hash]`. */
export function leafData(entry: LeafEntry): string {
  return canonicalize([entry.stream, entry.revision.toString(), entry.hash]) as string;
}

/** An event as far as the tree is concerned: its id and its leaf. */
export interface LoggedEvent extends LeafEntry {
  readonly id: string;
}

export function leafOf(event: RecordedEvent): LeafEntry {
  return { stream: event.stream, revision: event.revision, hash: String(event.metadata[HASH_KEY] ?? '') };
}

/** A stream's last leaf, with that leaf's hash. */
export interface StreamHead extends LeafEntry {
  readonly leafHash: Buffer;
}

/** A checkpoint as the log recorded it: the signed note of a tree size. */
export interface RecordedCheckpoint {
  readonly size: number;
  readonly note: string;
  readonly recordedAt: string;
}

export interface StoredLeaf extends LeafEntry {
  readonly index: number;
  readonly eventId: string;
  readonly position: Position;
}

/**
 * The Merkle tree over the global log, in position order, kept in its own SQLite file: one leaf per event,
 * and the hash of every perfect subtree, so that any root or proof costs O(log n) lookups. It follows the
 * log (`catchUp`), a page per transaction; a tree that fell behind, or a new file, catches up from where it
 * stopped.
 */
export class MerkleLog implements SubtreeHashes {
  private readonly db: Database.Database;
  private readonly statements: {
    node: Database.Statement<[number, number], { hash: Buffer }>;
    putNode: Database.Statement<[number, number, Buffer]>;
    putLeaf: Database.Statement<[number, string, string, bigint, string, bigint, bigint]>;
    leafByEvent: Database.Statement<[string], LeafRow>;
    leafAt: Database.Statement<[number], LeafRow>;
    leavesFrom: Database.Statement<[number, number], LeafRow>;
    last: Database.Statement<[], LeafRow>;
    putCheckpoint: Database.Statement<[number, string, string]>;
    checkpointAt: Database.Statement<[number], CheckpointRow>;
    latestCheckpoint: Database.Statement<[], CheckpointRow>;
    headsPage: Database.Statement<[{ size: number; after: string; limit: number }], HeadRow>;
  };
  /** The tree's right edge: where the next leaf joins. */
  private edge: RootBuilder;
  private lastPosition?: Position;
  /** Hashes of partial subtrees computed for proofs: an append-only tree never changes them. */
  private readonly partials = new Map<string, Buffer>();
  private catching?: Promise<number>;
  /** Whether the tree's last leaf was found in the log, once after opening: a tree of another log must not be extended. */
  private matched = false;

  constructor(file: string) {
    this.db = openPrivateDatabase(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.db.defaultSafeIntegers(true);
    this.statements = {
      node: this.db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?'),
      putNode: this.db.prepare('INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
      putLeaf: this.db.prepare('INSERT INTO leaves (idx, event_id, stream, revision, event_hash, commit_position, prepare_position) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      leafByEvent: this.db.prepare('SELECT * FROM leaves WHERE event_id = ?'),
      leafAt: this.db.prepare('SELECT * FROM leaves WHERE idx = ?'),
      leavesFrom: this.db.prepare('SELECT * FROM leaves WHERE idx >= ? ORDER BY idx LIMIT ?'),
      last: this.db.prepare('SELECT * FROM leaves ORDER BY idx DESC LIMIT 1'),
      putCheckpoint: this.db.prepare('INSERT OR IGNORE INTO checkpoints (size, note, recorded_at) VALUES (?, ?, ?)'),
      checkpointAt: this.db.prepare('SELECT * FROM checkpoints WHERE size = ?'),
      latestCheckpoint: this.db.prepare('SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1'),
      // The next streams' last leaves below a size, in stream order, read along leaves_by_stream.
      headsPage: this.db.prepare(`SELECT l.stream, l.revision, l.event_hash, n.hash FROM
        (SELECT max(idx) AS idx FROM leaves WHERE stream > @after AND idx < @size GROUP BY stream ORDER BY stream LIMIT @limit) h
        JOIN leaves l ON l.idx = h.idx JOIN nodes n ON n.level = 0 AND n.idx = h.idx ORDER BY l.stream`),
    };
    const last = this.statements.last.get();
    this.lastPosition = last && { commit: last.commit_position, prepare: last.prepare_position };
    this.edge = RootBuilder.resume(last ? Number(last.idx) + 1 : 0, (level, index) => this.node(level, index));
  }

  /** How many leaves the tree has: the size of the largest tree it can prove. */
  get size(): number {
    return this.edge.size;
  }

  /** The log position of the last leaf. */
  get position(): Position | undefined {
    return this.lastPosition;
  }

  root(size = this.edge.size): Buffer {
    this.checkSize(size);
    return rootHash(this, size);
  }

  hash(start: number, end: number): Buffer {
    const width = end - start;
    if ((width & (width - 1)) === 0 && start % width === 0) return this.node(Math.log2(width), start / width);
    const key = `${start}:${end}`;
    let known = this.partials.get(key);
    if (!known) {
      const k = splitPoint(width);
      known = nodeHash(this.hash(start, start + k), this.hash(start + k, end));
      if (this.partials.size >= 10_000) this.partials.clear();
      this.partials.set(key, known);
    }
    return known;
  }

  inclusionProof(index: number, size = this.edge.size): Buffer[] {
    this.checkSize(size);
    return inclusionProof(this, index, size);
  }

  consistencyProof(first: number, second = this.edge.size): Buffer[] {
    this.checkSize(second);
    return consistencyProof(this, first, second);
  }

  leafOfEvent(eventId: string): StoredLeaf | undefined {
    const row = this.statements.leafByEvent.get(eventId);
    return row && storedLeaf(row);
  }

  leafAt(index: number): StoredLeaf | undefined {
    const row = this.statements.leafAt.get(index);
    return row && storedLeaf(row);
  }

  /** Up to `count` leaves from `index` on. */
  leavesFrom(index: number, count: number): StoredLeaf[] {
    return this.statements.leavesFrom.all(index, count).map(storedLeaf);
  }

  /**
   * Every stream's head (its last leaf) in the tree of the first `size` leaves, sorted by stream name
   * (bytewise): the leaves of the stream-heads tree. Read a page at a time between time slices; a tree that
   * grows meanwhile does not change the heads below `size`.
   */
  async streamHeads(size = this.edge.size, pageSize = 1000): Promise<StreamHead[]> {
    this.checkSize(size);
    const heads: StreamHead[] = [];
    const slice = new TimeSlice();
    for (let page = this.statements.headsPage.all({ size, after: '', limit: pageSize }); page.length > 0;
      page = this.statements.headsPage.all({ size, after: heads[heads.length - 1].stream, limit: pageSize })) {
      for (const row of page) heads.push({ stream: row.stream, revision: row.revision, hash: row.event_hash, leafHash: row.hash });
      if (slice.due()) await slice.pause();
    }
    return heads;
  }

  /** Keeps a signed checkpoint of a size the tree has (the first one signed for a size stays). */
  recordCheckpoint(size: number, note: string, recordedAt: string): void {
    this.checkSize(size);
    this.statements.putCheckpoint.run(size, note, recordedAt);
  }

  /** The checkpoint recorded for a size, or the latest one. */
  checkpoint(size?: number): RecordedCheckpoint | undefined {
    const row = size === undefined ? this.statements.latestCheckpoint.get() : this.statements.checkpointAt.get(size);
    return row && { size: Number(row.size), note: row.note, recordedAt: row.recorded_at };
  }

  /** Adds the log's events after the last leaf, a page per transaction; resolves to the tree's size. Concurrent calls share one run. */
  catchUp(store: EventStore, pageSize = 1000): Promise<number> {
    this.catching ??= this.readOn(store, pageSize).finally(() => {
      this.catching = undefined;
    });
    return this.catching;
  }

  close(): void {
    this.db.close();
  }

  private async readOn(store: EventStore, pageSize: number): Promise<number> {
    if (!this.matched) await this.matchLastLeaf(store);
    const slice = new TimeSlice();
    for (let page = await store.readAll({ after: this.lastPosition, maxCount: pageSize }); page.length > 0;
      page = await store.readAll({ after: this.lastPosition, maxCount: pageSize })) {
      this.append(page);
      if (slice.due()) await slice.pause();
    }
    return this.edge.size;
  }

  /**
   * The log must still hold the tree's last leaf, unchanged; else the tree is of another (or a rewritten) log.
   * The tree goes on from where the log has that event now: a log copied in its order into another store
   * (`ledger migrate`) holds the same events at other positions, and the same tree grows over it.
   */
  private async matchLastLeaf(store: EventStore): Promise<void> {
    const last = this.edge.size > 0 ? this.leafAt(this.edge.size - 1) : undefined;
    if (last) {
      const [event] = await store.readStream(last.stream, { fromRevision: last.revision });
      if (event?.id !== last.eventId || event.revision !== last.revision || leafOf(event).hash !== last.hash) {
        throw new MerkleLogMismatchError(`The Merkle tree's last leaf (event ${last.eventId}, ${last.stream} revision ${last.revision}) ` +
          'is not in the log as the tree has it: the tree is of another log, or the log was rewritten. Checkpoints stop until an operator looks.');
      }
      this.lastPosition = event.position;
    }
    this.matched = true;
  }

  private append(events: readonly RecordedEvent[]): void {
    // The edge moves on only once the page's leaves and nodes are committed.
    const edge = this.edge.clone();
    this.db.transaction(() => {
      for (const event of events) {
        const entry = leafOf(event);
        this.statements.putLeaf.run(edge.size, event.id, entry.stream, entry.revision, entry.hash, event.position.commit, event.position.prepare);
        edge.push(leafHash(leafData(entry)), (level, index, hash) => this.statements.putNode.run(level, index, hash));
      }
    })();
    this.edge = edge;
    this.lastPosition = events[events.length - 1].position;
  }

  private node(level: number, index: number): Buffer {
    const row = this.statements.node.get(level, index);
    if (!row) throw new Error(`The Merkle log has no node at level ${level}, index ${index}`);
    return row.hash;
  }

  private checkSize(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.edge.size) throw new RangeError(`The tree has ${this.edge.size} leaves, not ${size}`);
  }
}

/** The tree and the log it follows disagree: it must not be extended. */
export class MerkleLogMismatchError extends Error {
  override readonly name = 'MerkleLogMismatchError';
}

interface CheckpointRow {
  size: bigint;
  note: string;
  recorded_at: string;
}

interface HeadRow {
  stream: string;
  revision: bigint;
  event_hash: string;
  /** The leaf's hash: a head's leaf in the stream-heads tree hashes the same bytes. */
  hash: Buffer;
}

interface LeafRow {
  idx: bigint;
  event_id: string;
  stream: string;
  revision: bigint;
  event_hash: string;
  commit_position: bigint;
  prepare_position: bigint;
}

function storedLeaf(row: LeafRow): StoredLeaf {
  return {
    index: Number(row.idx), eventId: row.event_id, stream: row.stream, revision: row.revision, hash: row.event_hash,
    position: { commit: row.commit_position, prepare: row.prepare_position },
  };
}
