import { leafHash, RootBuilder } from './merkle';
import { leafData, type LeafEntry, type LoggedEvent, type MerkleLog, type StoredLeaf } from './merkle-log';
import type { Checkpoint } from './signed-note';

/** Events of one stream that a checkpoint covers and the log no longer holds. */
export interface MissingRun {
  readonly stream: string;
  readonly fromRevision: bigint;
  readonly toRevision: bigint;
  readonly count: number;
}

export interface CheckpointReport {
  readonly size: number;
  /** Whether the tree that was signed was at hand, so that what is missing or changed could be named. */
  readonly named: boolean;
  /** How many of the checkpoint's events the log still holds, as they were. */
  readonly held: number;
  readonly missing: readonly MissingRun[];
  readonly missingCount: number;
  /** The first leaf of a missing run that reaches the checkpoint's last: the log's tail is gone from there. */
  readonly tailFrom?: number;
  /** Events in the log where the checkpoint has another content, or none (at most the first 100 of each). */
  readonly changed: readonly LeafEntry[];
  readonly added: readonly LeafEntry[];
  /** Without the tree: whether the log's first `size` events hash to the checkpoint's root. */
  readonly rootMatches?: boolean;
  readonly ok: boolean;
}

const LISTED = 100;

/**
 * Checks the log against a signed checkpoint, given its events in log order: the first `size` must be the
 * tree the checkpoint signed. With that tree at hand (a Merkle log whose root at `size` is the checkpoint's),
 * each event is matched to its leaf, so what is missing or changed is named by stream and revision; without
 * it, the events' leaves are hashed to a root, which tells whether the history was rewritten, not where.
 */
export class CheckpointAudit {
  private readonly tree?: MerkleLog;
  private readonly builder?: RootBuilder;
  private page: StoredLeaf[] = [];
  /** The next leaf of the checkpoint's tree the log should give. */
  private next = 0;
  private held = 0;
  private readonly missing = new Map<string, MissingRun>();
  private missingCount = 0;
  private tailFrom?: number;
  private readonly changed: LeafEntry[] = [];
  private readonly added: LeafEntry[] = [];

  constructor(
    private readonly checkpoint: Checkpoint,
    tree?: MerkleLog,
  ) {
    const signed = tree && tree.size >= checkpoint.size && tree.root(checkpoint.size).equals(checkpoint.root);
    if (signed) this.tree = tree;
    else this.builder = RootBuilder.empty();
  }

  add(event: LoggedEvent): void {
    const size = this.checkpoint.size;
    if (this.builder) {
      if (this.builder.size < size) this.builder.push(leafHash(leafData(event)));
      return;
    }
    if (this.next >= size) return;
    let leaf = this.leaf(this.next);
    if (leaf.eventId !== event.id) {
      const found = (this.tree as MerkleLog).leafOfEvent(event.id);
      if (!found || found.index < this.next) {
        // Not an event the checkpoint has here: written into the log behind the ledger's back.
        if (this.added.length < LISTED) this.added.push(leafEntry(event));
        return;
      }
      this.lose(this.next, Math.min(found.index, size));
      if (found.index >= size) return;
      leaf = found;
    }
    const entry = leafEntry(event);
    if (entry.stream !== leaf.stream || entry.revision !== leaf.revision || entry.hash !== leaf.hash) {
      if (this.changed.length < LISTED) this.changed.push(entry);
    } else {
      this.held += 1;
    }
    this.next = leaf.index + 1;
  }

  finish(): CheckpointReport {
    const size = this.checkpoint.size;
    if (this.builder) {
      const rootMatches = this.builder.size === size && this.builder.root().equals(this.checkpoint.root);
      return {
        size, named: false, held: rootMatches ? size : 0, missing: [], missingCount: Math.max(0, size - this.builder.size), changed: [], added: [],
        rootMatches, ok: rootMatches,
      };
    }
    this.lose(this.next, size);
    return {
      size, named: true, held: this.held, missing: [...this.missing.values()], missingCount: this.missingCount, tailFrom: this.tailFrom,
      changed: this.changed, added: this.added, ok: this.missingCount === 0 && this.changed.length === 0 && this.added.length === 0,
    };
  }

  /** Leaves [from, to) are not in the log. */
  private lose(from: number, to: number): void {
    if (to === this.checkpoint.size && from < to) this.tailFrom = from;
    for (let index = from; index < to; index += 1) {
      const leaf = this.leaf(index);
      const run = this.missing.get(leaf.stream);
      this.missing.set(leaf.stream, run
        ? { ...run, toRevision: leaf.revision, count: run.count + 1 }
        : { stream: leaf.stream, fromRevision: leaf.revision, toRevision: leaf.revision, count: 1 });
      this.missingCount += 1;
    }
    this.next = Math.max(this.next, to);
  }

  /** The tree's leaf `index`, read a page ahead. */
  private leaf(index: number): StoredLeaf {
    const first = this.page[0]?.index ?? -1;
    if (index < first || index >= first + this.page.length) this.page = (this.tree as MerkleLog).leavesFrom(index, 1000);
    return this.page[index - this.page[0].index];
  }
}

const leafEntry = ({ stream, revision, hash }: LoggedEvent): LeafEntry => ({ stream, revision, hash });
