import {
  ChainVerifier, checkStreamHeads, CheckpointRejected, committedHeads, eventHash, type HeadProof, leafData, leafHash, openCheckpoint,
  type RecordedEvent, verifyConsistency, verifyInclusion,
} from '@ledger/event-store';

/** An event as the proofs give it. */
interface EventFile {
  readonly id: string; readonly stream: string; readonly revision: string; readonly type: string; readonly schemaVersion: number;
  readonly data: unknown; readonly metadata: Readonly<Record<string, unknown>>;
}

interface LeafFile {
  readonly stream: string;
  readonly revision: string;
  readonly hash: string;
}

/** A proof as `GET /audit/proofs/inclusion` answers it. */
interface InclusionFile {
  readonly kind: 'inclusion';
  readonly checkpoint: string;
  readonly treeSize: number;
  readonly leafIndex: number;
  readonly leaf: LeafFile;
  readonly proof: readonly string[];
  readonly event: EventFile;
}

/** A proof as `GET /audit/proofs/consistency` answers it. */
interface ConsistencyFile {
  readonly kind: 'consistency';
  readonly from: string;
  readonly to: string;
  readonly proof: readonly string[];
}

interface HeadFile {
  readonly index: number;
  readonly head: LeafFile;
  readonly proof: readonly string[];
}

/** A proof as `GET /audit/proofs/stream` answers it. */
interface StreamFile {
  readonly kind: 'stream';
  readonly checkpoint: string;
  readonly treeSize: number;
  readonly stream: string;
  readonly heads: { readonly count: number; readonly head?: HeadFile; readonly before?: HeadFile; readonly after?: HeadFile };
  readonly events: readonly EventFile[];
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
  const proof = file as InclusionFile | ConsistencyFile | StreamFile;
  if (typeof proof !== 'object' || proof === null) throw new TypeError('The file is not a proof the ledger gave');
  try {
    if (proof.kind === 'inclusion') return checkInclusion(proof, hashes(proof.proof), options);
    if (proof.kind === 'consistency') return checkConsistency(proof, hashes(proof.proof), options);
    if (proof.kind === 'stream') return checkStream(proof, options);
  } catch (error) {
    if (error instanceof CheckpointRejected) return { ok: false, lines: [`CHECKPOINT REJECTED: ${error.message}`] };
    throw error;
  }
  throw new TypeError(`The file's kind is "${String((proof as { kind?: unknown }).kind)}", not inclusion, consistency or stream`);
}

function hashes(list: unknown): Buffer[] {
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) throw new TypeError('The file is not a proof the ledger gave (no "proof" list)');
  return list.map((p: string) => Buffer.from(p, 'base64'));
}

function chained(event: EventFile): Omit<RecordedEvent, 'position'> {
  return { ...event, revision: BigInt(event.revision) };
}

function verdict(findings: readonly string[], proven: string): ProofVerdict {
  return findings.length > 0 ? { ok: false, lines: findings.map((f) => `NOT PROVEN: ${f}`) } : { ok: true, lines: [`ok: ${proven}`] };
}

function checkInclusion(proof: InclusionFile, path: Buffer[], options: ProofOptions): ProofVerdict {
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
  if (!verifyInclusion(leafHash(leafData(entry)), proof.leafIndex, checkpoint.size, path, checkpoint.root)) {
    findings.push(`the audit path does not lead from leaf ${proof.leafIndex} to the checkpoint's root`);
  }
  return verdict(findings, `event ${event.id} (${event.stream} revision ${event.revision}, ${event.type}) is leaf ${proof.leafIndex} of ${checkpoint.origin} at tree size ${checkpoint.size}`);
}

function checkConsistency(proof: ConsistencyFile, path: Buffer[], options: ProofOptions): ProofVerdict {
  const older = openCheckpoint(options.oldCheckpoint ?? proof.from, options.key, options.origin);
  const newer = openCheckpoint(options.checkpoint ?? proof.to, options.key, options.origin ?? older.origin);
  const findings = verifyConsistency(older.size, newer.size, older.root, newer.root, path) ? []
    : [`the tree of size ${older.size} is not shown to be a prefix of the tree of size ${newer.size}`];
  return verdict(findings, `${newer.origin} only grew from tree size ${older.size} to ${newer.size}`);
}

/** The stream's head is committed in the checkpoint, and the events given chain, from the first, up to it: they are all of the stream's. */
function checkStream(proof: StreamFile, options: ProofOptions): ProofVerdict {
  const checkpoint = openCheckpoint(options.checkpoint ?? proof.checkpoint, options.key, options.origin);
  const committed = committedHeads(checkpoint);
  if (!committed) return verdict([`the checkpoint of size ${checkpoint.size} commits to no stream heads`], '');
  const head = (at: HeadFile | undefined): HeadProof | undefined => at && {
    index: at.index, head: { stream: at.head.stream, revision: BigInt(at.head.revision), hash: at.head.hash }, proof: hashes(at.proof),
  };
  const { stream, events } = proof;
  const heads = { count: proof.heads.count, head: head(proof.heads.head), before: head(proof.heads.before), after: head(proof.heads.after) };
  const findings: string[] = [];
  if (checkpoint.size !== proof.treeSize) findings.push(`the proof is for tree size ${proof.treeSize}, the checkpoint is of size ${checkpoint.size}`);
  const headsFinding = checkStreamHeads(stream, heads, committed);
  if (headsFinding) findings.push(headsFinding);
  const chain = new ChainVerifier();
  for (const event of events) {
    if (event.stream !== stream) findings.push(`event ${event.id} is of stream ${event.stream}, not ${stream}`);
    else if (!chain.check(chained(event))) break;
  }
  const broken = chain.firstBrokenLink;
  if (broken) findings.push(`${stream} revision ${broken.revision} (event ${broken.eventId}): ${broken.reason}`);
  const reached = chain.head(stream);
  const expected = heads.head?.head;
  if (!broken && (reached?.revision !== expected?.revision || reached?.hash !== expected?.hash)) {
    findings.push(`the events given end at ${reached ? `revision ${reached.revision}` : 'nothing'}, the stream's committed head is ` +
      `${expected ? `revision ${expected.revision}` : 'nothing'}: events are withheld or added`);
  }
  const what = expected ? `the ${events.length} event${events.length === 1 ? '' : 's'} given ${events.length === 1 ? 'is' : 'are'} all of ${stream}'s`
    : `${stream} had no events`;
  return verdict(findings, `${what} as of tree size ${checkpoint.size} of ${checkpoint.origin}`);
}
