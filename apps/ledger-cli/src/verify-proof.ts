import {
  CheckpointRejected, eventHash, leafData, leafHash, openCheckpoint, verifyConsistency, verifyInclusion,
} from '@ledger/event-store';

/** A proof as `GET /audit/proofs/inclusion` answers it. */
interface InclusionFile {
  readonly kind: 'inclusion';
  readonly checkpoint: string;
  readonly treeSize: number;
  readonly leafIndex: number;
  readonly leaf: { readonly stream: string; readonly revision: string; readonly hash: string };
  readonly proof: readonly string[];
  readonly event: {
    readonly id: string; readonly stream: string; readonly revision: string; readonly type: string; readonly schemaVersion: number;
    readonly data: unknown; readonly metadata: Readonly<Record<string, unknown>>;
  };
}

/** A proof as `GET /audit/proofs/consistency` answers it. */
interface ConsistencyFile {
  readonly kind: 'consistency';
  readonly from: string;
  readonly to: string;
  readonly proof: readonly string[];
}

export interface ProofOptions {
  /** The verifier key (`name+id+key`). */
  readonly key: string;
  /** A checkpoint note the auditor holds: the proof must be against it (else the proof's own, once its signature checks out). */
  readonly checkpoint?: string;
  /** For a consistency proof: the older checkpoint note the auditor kept. */
  readonly oldCheckpoint?: string;
  /** The origin the checkpoints must name. */
  readonly origin?: string;
}

export interface ProofVerdict {
  readonly ok: boolean;
  /** What was proven, or what failed. */
  readonly lines: readonly string[];
}

/** The proof file's claim, checked with the verifier key alone: no store is read. Throws TypeError for a file that is not a proof. */
export function checkProof(file: unknown, options: ProofOptions): ProofVerdict {
  const proof = file as InclusionFile | ConsistencyFile;
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.proof) || !proof.proof.every((p) => typeof p === 'string')) {
    throw new TypeError('The file is not a proof the ledger gave (no "proof" list)');
  }
  const hashes = proof.proof.map((p) => Buffer.from(p, 'base64'));
  try {
    if (proof.kind === 'inclusion') return checkInclusion(proof, hashes, options);
    if (proof.kind === 'consistency') return checkConsistency(proof, hashes, options);
  } catch (error) {
    if (error instanceof CheckpointRejected) return { ok: false, lines: [`CHECKPOINT REJECTED: ${error.message}`] };
    throw error;
  }
  throw new TypeError(`The file's kind is "${String((proof as { kind?: unknown }).kind)}", not inclusion or consistency`);
}

function checkInclusion(proof: InclusionFile, hashes: Buffer[], options: ProofOptions): ProofVerdict {
  const checkpoint = openCheckpoint(options.checkpoint ?? proof.checkpoint, options.key, options.origin);
  const { event, leaf } = proof;
  const findings: string[] = [];
  if (checkpoint.size !== proof.treeSize) findings.push(`the proof is for tree size ${proof.treeSize}, the checkpoint is of size ${checkpoint.size}`);
  const recomputed = eventHash(event.stream, BigInt(event.revision), event, (event.metadata.previousHash as string | null | undefined) ?? null);
  if (recomputed !== event.metadata.hash || recomputed !== leaf.hash) {
    findings.push(`event ${event.id}'s content does not hash to the leaf's event hash: it was altered`);
  }
  if (leaf.stream !== event.stream || leaf.revision !== event.revision) findings.push('the leaf names another place than the event');
  const entry = { stream: leaf.stream, revision: BigInt(leaf.revision), hash: leaf.hash };
  if (!verifyInclusion(leafHash(leafData(entry)), proof.leafIndex, checkpoint.size, hashes, checkpoint.root)) {
    findings.push(`the audit path does not lead from leaf ${proof.leafIndex} to the checkpoint's root`);
  }
  if (findings.length > 0) return { ok: false, lines: findings.map((f) => `NOT PROVEN: ${f}`) };
  return {
    ok: true,
    lines: [`ok: event ${event.id} (${event.stream} revision ${event.revision}, ${event.type}) is leaf ${proof.leafIndex} of ${checkpoint.origin} at tree size ${checkpoint.size}`],
  };
}

function checkConsistency(proof: ConsistencyFile, hashes: Buffer[], options: ProofOptions): ProofVerdict {
  const older = openCheckpoint(options.oldCheckpoint ?? proof.from, options.key, options.origin);
  const newer = openCheckpoint(options.checkpoint ?? proof.to, options.key, options.origin ?? older.origin);
  if (!verifyConsistency(older.size, newer.size, older.root, newer.root, hashes)) {
    return { ok: false, lines: [`NOT PROVEN: the tree of size ${older.size} is not shown to be a prefix of the tree of size ${newer.size}`] };
  }
  return { ok: true, lines: [`ok: ${newer.origin} only grew from tree size ${older.size} to ${newer.size}`] };
}
