import { leafHash, MemoryTree, inclusionProof, verifyInclusion } from './merkle';
import { leafData, type LeafEntry, type StreamHead } from './merkle-log';
import type { Checkpoint } from './signed-note';

/**
 * The stream heads a checkpoint commits to, beside the tree of the log: every stream's last event (stream,
 * revision, chain hash) as of the checkpoint's size, sorted by stream name, as the leaves of a second RFC 6962
 * tree whose root is the checkpoint's `stream-heads <count> <base64 root>` extension line. A proof that a
 * stream's head is in that tree, with the stream's events whose chain leads to it, shows that those events are
 * all of the stream as of the checkpoint: one withheld breaks the chain or misses the head. A stream with no
 * events is shown by the two heads either side of where its name would sort.
 */
export const STREAM_HEADS_EXTENSION = 'stream-heads';

/** The order of the heads: by the bytes of the streams' UTF-8 names (SQLite's BINARY order). */
export function compareStreams(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface HeadProof {
  readonly index: number;
  readonly head: LeafEntry;
  /** The audit path from the head's leaf to the stream-heads root. */
  readonly proof: Buffer[];
}

/** A stream's head in the committed heads; for a stream without events, its neighbours (none at the ends). */
export interface StreamHeadsProof {
  readonly count: number;
  readonly head?: HeadProof;
  readonly before?: HeadProof;
  readonly after?: HeadProof;
}

/** What a checkpoint's extension line commits to. */
export interface CommittedHeads {
  readonly count: number;
  readonly root: Buffer;
}

export class StreamHeads {
  private constructor(
    private readonly heads: readonly LeafEntry[],
    private readonly tree: MemoryTree,
  ) {}

  /** The tree over heads sorted by stream, as `MerkleLog.streamHeads` gives them (with their leaf hashes, the same bytes as the log's leaves). */
  static async of(heads: readonly StreamHead[]): Promise<StreamHeads> {
    return new StreamHeads(heads, await MemoryTree.build(heads.map((head) => head.leafHash)));
  }

  get committed(): CommittedHeads {
    return { count: this.heads.length, root: this.tree.root() };
  }

  extension(): string {
    return `${STREAM_HEADS_EXTENSION} ${this.heads.length} ${this.tree.root().toString('base64')}`;
  }

  proof(stream: string): StreamHeadsProof {
    let low = 0;
    let high = this.heads.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareStreams(this.heads[middle].stream, stream) < 0) low = middle + 1;
      else high = middle;
    }
    const at = (index: number): HeadProof | undefined => index >= 0 && index < this.heads.length
      ? { index, head: this.heads[index], proof: inclusionProof(this.tree, index, this.heads.length) }
      : undefined;
    if (this.heads[low]?.stream === stream) return { count: this.heads.length, head: at(low) };
    return { count: this.heads.length, before: at(low - 1), after: at(low) };
  }
}

/** The stream heads a checkpoint commits to; undefined for one signed without them. */
export function committedHeads(checkpoint: Checkpoint): CommittedHeads | undefined {
  for (const line of checkpoint.extensions) {
    const [name, count, root] = line.split(' ');
    if (name === STREAM_HEADS_EXTENSION && /^\d+$/.test(count) && root) return { count: Number(count), root: Buffer.from(root, 'base64') };
  }
  return undefined;
}

/**
 * Checks a stream-heads proof for `stream` against the committed heads: undefined when it holds (the head is
 * in the tree, or the neighbours are adjacent leaves that sort either side of the stream), else what fails.
 */
export function checkStreamHeads(stream: string, proof: StreamHeadsProof, committed: CommittedHeads): string | undefined {
  if (proof.count !== committed.count) return `the proof is for ${proof.count} stream heads, the checkpoint commits to ${committed.count}`;
  const included = (at: HeadProof) => verifyInclusion(leafHash(leafData(at.head)), at.index, committed.count, at.proof, committed.root);
  if (proof.head) {
    if (proof.head.head.stream !== stream) return `the head given is ${proof.head.head.stream}'s, not ${stream}'s`;
    return included(proof.head) ? undefined : `the audit path does not lead from ${stream}'s head to the stream-heads root`;
  }
  const { before, after } = proof;
  if (before && !(included(before) && compareStreams(before.head.stream, stream) < 0)) return 'the head before the stream is not shown to sort before it';
  if (after && !(included(after) && compareStreams(stream, after.head.stream) < 0)) return 'the head after the stream is not shown to sort after it';
  const adjacent = before && after ? after.index === before.index + 1
    : before ? before.index === committed.count - 1
      : after ? after.index === 0
        : committed.count === 0;
  return adjacent ? undefined : `the heads either side of ${stream} are not neighbours: the stream's head may be between them`;
}
