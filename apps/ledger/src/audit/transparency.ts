import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  committedHeads,
  type EventStore,
  type MerkleLog,
  newSigningKeyPem,
  noteSigner,
  type NoteSigner,
  openCheckpoint,
  rawPublicKey,
  type RecordedCheckpoint,
  type RecordedEvent,
  signCheckpoint,
  type StoredLeaf,
  StreamHeads,
  type StreamHeadsProof,
} from '@ledger/event-store';
import { NotFoundError } from '@ledger/read-models';
import type { Clock } from '../clock';
import { PeriodicJob } from '../operations/periodic-job';

export interface InclusionAnswer {
  readonly checkpoint: RecordedCheckpoint;
  readonly leaf: StoredLeaf;
  readonly proof: Buffer[];
  /** The event as stored, so that its chain hash (the leaf's) can be recomputed from its content. */
  readonly event: RecordedEvent;
}

export interface ConsistencyAnswer {
  readonly from: RecordedCheckpoint;
  readonly to: RecordedCheckpoint;
  readonly proof: Buffer[];
}

export interface StreamAnswer {
  readonly checkpoint: RecordedCheckpoint;
  readonly stream: string;
  readonly heads: StreamHeadsProof;
  /** The stream's events up to its head as of the checkpoint, oldest first: their chain leads to the head. */
  readonly events: RecordedEvent[];
}

/** The signing key from its file, created there (0600) on first start when absent. */
export function loadSigningKey(file: string): string {
  if (!existsSync(file)) {
    try {
      writeFileSync(file, newSigningKeyPem(), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process created it first
    }
  }
  return readFileSync(file, 'utf8');
}

/** The default origin of a log: named after its signing key, so two ledgers' checkpoints never share one. */
export function defaultOrigin(pem: string): string {
  const raw = rawPublicKey(createPublicKey(pem));
  return `relationship-ledger/${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
}

/**
 * The log's transparency: the Merkle tree over the global log (`MerkleLog`), signed checkpoints of it
 * recorded at an interval when the log grew (and on request), and proofs against them. A proof is always
 * against a signed checkpoint the ledger recorded, so an auditor can keep the note and check the proof
 * with the public key alone.
 */
export class Transparency {
  private readonly signer: NoteSigner;
  private readonly job: PeriodicJob<RecordedCheckpoint>;
  /** The stream heads of the latest checkpoint signed here: proofs against it need not read them again. */
  private latestHeads?: { size: number; heads: StreamHeads };

  constructor(
    private readonly store: EventStore,
    private readonly log: MerkleLog,
    pem: string,
    readonly origin: string,
    private readonly clock: Clock,
    options: { intervalMs: number; onError?: (error: unknown) => void },
  ) {
    this.signer = noteSigner(origin, pem);
    this.job = new PeriodicJob(() => this.record(), options);
  }

  get verifierKey(): string {
    return this.signer.verifierKey;
  }

  start(): void {
    this.job.start();
  }

  async stop(): Promise<void> {
    await this.job.stop();
    this.log.close();
  }

  /** Brings the tree up to the log and signs a checkpoint of it, when it grew since the latest; the latest checkpoint. */
  checkpoint(): Promise<RecordedCheckpoint> {
    return this.job.runOnce();
  }

  /** A recorded checkpoint: of a size, or the latest (recording the first one when there is none). */
  async recorded(size?: number): Promise<RecordedCheckpoint> {
    const found = this.log.checkpoint(size);
    if (found) return found;
    if (size === undefined) return this.checkpoint();
    throw new NotFoundError('CHECKPOINT_NOT_FOUND', `No checkpoint of tree size ${size} was signed; see GET /audit/checkpoint.`);
  }

  /**
   * The proof that an event is in the tree of a recorded checkpoint: the one of `size`, or the latest (a new
   * one is signed when the event came after it).
   */
  async inclusion(eventId: string, size?: number): Promise<InclusionAnswer> {
    let leaf = this.log.leafOfEvent(eventId);
    if (!leaf) {
      await this.log.catchUp(this.store);
      leaf = this.log.leafOfEvent(eventId);
    }
    if (!leaf) throw new NotFoundError('EVENT_NOT_FOUND', `The log holds no event ${eventId}.`);
    let checkpoint = await this.recorded(size);
    if (leaf.index >= checkpoint.size) {
      if (size !== undefined) throw new NotFoundError('EVENT_NOT_FOUND', `Event ${eventId} came after the checkpoint of size ${size}.`);
      checkpoint = await this.checkpoint();
    }
    const [event] = await this.store.readStream(leaf.stream, { fromRevision: leaf.revision });
    if (event?.revision !== leaf.revision || event.id !== eventId) throw new NotFoundError('EVENT_NOT_FOUND', `The log no longer holds event ${eventId} where the tree has it.`);
    return { checkpoint, leaf, proof: this.log.inclusionProof(leaf.index, checkpoint.size), event };
  }

  /** The proof that the checkpoint of size `from` is a prefix of that of `to` (default: the latest). */
  async consistency(from: number, to?: number): Promise<ConsistencyAnswer> {
    const [older, newer] = [await this.recorded(from), await this.recorded(to)];
    if (older.size > newer.size) throw new NotFoundError('CHECKPOINT_NOT_FOUND', `The checkpoint of size ${from} is larger than that of ${newer.size}.`);
    return { from: older, to: newer, proof: this.log.consistencyProof(older.size, newer.size) };
  }

  /**
   * The proof that the stream's events as of a recorded checkpoint (of `size`, or a new one) are all of them:
   * its head in the checkpoint's stream heads and its events up to there, or, for a stream that had none, the
   * heads either side of it.
   */
  async stream(stream: string, size?: number): Promise<StreamAnswer> {
    const checkpoint = size === undefined ? await this.checkpoint() : await this.recorded(size);
    const committed = committedHeads(openCheckpoint(checkpoint.note, this.verifierKey));
    if (!committed) {
      throw new NotFoundError('CHECKPOINT_NOT_FOUND', `The checkpoint of size ${checkpoint.size} was signed before checkpoints committed to stream heads; use a later one.`);
    }
    const heads = (await this.headsAt(checkpoint.size)).proof(stream);
    const revision = heads.head?.head.revision;
    const events = revision === undefined ? [] : (await this.store.readStream(stream)).filter((event) => event.revision <= revision);
    return { checkpoint, stream, heads, events };
  }

  private async headsAt(size: number): Promise<StreamHeads> {
    if (this.latestHeads?.size === size) return this.latestHeads.heads;
    return StreamHeads.of(await this.log.streamHeads(size));
  }

  private async record(): Promise<RecordedCheckpoint> {
    const size = await this.log.catchUp(this.store);
    const latest = this.log.checkpoint();
    if (latest && latest.size >= size) return latest;
    const heads = await StreamHeads.of(await this.log.streamHeads(size));
    this.latestHeads = { size, heads };
    const note = signCheckpoint({ origin: this.origin, size, root: this.log.root(size), extensions: [heads.extension()] }, this.signer);
    this.log.recordCheckpoint(size, note, this.clock.now().toISOString());
    return this.log.checkpoint(size) as RecordedCheckpoint;
  }
}
