import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventStore, EventToAppend, RecordedEvent, StreamRead } from './event-store.port';
import { comparePositions, type Position } from './position';
import { TimeSlice } from './time-slice';

/** The metadata fields that chain an event to the one before it in its stream. */
export const HASH_KEY = 'hash';
export const PREVIOUS_HASH_KEY = 'previousHash';
/** The metadata field that names the other streams an event's decision read, and at which revisions. */
export const READS_KEY = 'reads';

/** `reads` metadata: each stream read and the revision read ("-1": it had none), as text like every revision hashed. */
export function readsMetadata(reads: readonly StreamRead[]): Record<string, string> {
  return Object.fromEntries(reads.map((read) => [read.stream, read.revision.toString()]));
}

/** The streams an event's decision read, from its metadata (none for events recorded without). */
export function readsOf(metadata: Readonly<Record<string, unknown>>): StreamRead[] {
  const reads = metadata[READS_KEY];
  if (typeof reads !== 'object' || reads === null) return [];
  // A revision that is not one (the ledger writes none such) can match no stream's head.
  return Object.entries(reads as Record<string, unknown>)
    .map(([stream, revision]) => ({ stream, revision: /^(-1|[0-9]+)$/.test(String(revision)) ? BigInt(String(revision)) : -2n }));
}

export interface ChainHead {
  readonly revision: bigint;
  readonly hash: string;
}

interface Hashable {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Metadata keys others may add to a stored event (an EventStoreDB client's trace ids: `$traceId`, `$spanId`): the ledger writes none, and hashes none. */
export function isForeignMetadataKey(key: string): boolean {
  return key.startsWith('$');
}

/** The metadata an event's hash covers: all the ledger wrote, less the hash itself. */
export function hashedMetadata(metadata: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const hashed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) if (key !== HASH_KEY && !isForeignMetadataKey(key)) hashed[key] = value;
  return hashed;
}

/**
 * The event as its hash covers it: the RFC 8785 canonical JSON of its stream, revision, type, schema version,
 * data and metadata (less its own hash and keys others add; with `previousHash` once chained). The SQLite
 * store keeps exactly these bytes, so verifying is hashing them.
 */
export function hashedForm(stream: string, revision: bigint, event: Hashable): string {
  return canonicalize({
    stream, revision: revision.toString(), type: event.type, schemaVersion: event.schemaVersion, data: event.data,
    metadata: hashedMetadata(event.metadata),
  }) ?? '';
}

/** SHA-256 (hex) over the event's hashed form, chained to `previousHash` (the event before it in its stream). */
export function eventHash(stream: string, revision: bigint, event: Hashable, previousHash: string | null): string {
  return sha256Hex(chainedForm(stream, revision, event, previousHash));
}

/** The hashed form of an event chained to `previousHash`. */
function chainedForm(stream: string, revision: bigint, event: Hashable, previousHash: string | null): string {
  return hashedForm(stream, revision, { ...event, metadata: { ...event.metadata, [PREVIOUS_HASH_KEY]: previousHash } });
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * Chains events about to be appended after `head` (the stream's last event, absent for a new stream):
 * each gets `previousHash` and `hash` in its metadata. The same events after the same head always chain
 * the same way, so a retried append carries the same hashes.
 */
export function chainEvents(stream: string, head: ChainHead | undefined, events: readonly EventToAppend[]): EventToAppend[] {
  let previous = head;
  return events.map((event) => {
    const revision = previous ? previous.revision + 1n : 0n;
    const previousHash = previous?.hash ?? null;
    const form = chainedForm(stream, revision, event, previousHash);
    const hash = sha256Hex(form);
    previous = { revision, hash };
    // The form is handed on with the event: the SQLite store keeps these very bytes.
    return { ...event, metadata: { ...event.metadata, [PREVIOUS_HASH_KEY]: previousHash, [HASH_KEY]: hash }, hashed: { revision, form } };
  });
}

/** The chain head a stream's last recorded event gives. */
export function chainHeadOf(event: RecordedEvent | undefined): ChainHead | undefined {
  return event && { revision: event.revision, hash: String(event.metadata[HASH_KEY] ?? '') };
}

export interface BrokenLink {
  readonly stream: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly reason: string;
}

/** An event whose decision read a stream at another revision than the one that stream had at the event's place in the log. */
export interface StaleRead {
  readonly stream: string;
  readonly revision: bigint;
  readonly eventId: string;
  /** The stream read, the revision the decision read, and the revision it had there. */
  readonly read: StreamRead;
  readonly actual: bigint;
}

/** Stale reads as a report gives them: all counted, the first ten named. */
export class StaleReads {
  private readonly first: StaleRead[] = [];
  private count = 0;

  /** Holds an event's reads to the heads the streams it read had just before it. */
  check(event: Pick<RecordedEvent, 'stream' | 'revision' | 'id' | 'metadata'>, headBefore: (stream: string) => bigint): void {
    for (const read of readsOf(event.metadata)) {
      const actual = headBefore(read.stream);
      if (actual === read.revision) continue;
      this.count += 1;
      if (this.first.length < 10) this.first.push({ stream: event.stream, revision: event.revision, eventId: event.id, read, actual });
    }
  }

  get report(): VerifyReport['staleReads'] {
    return { count: this.count, first: [...this.first] };
  }
}

/**
 * Follows every stream's chain through the log, event by event, and remembers each stream's head. The
 * first event that does not follow from its predecessor is the broken link: an altered event (its hash
 * does not match), a removed one (a revision is missing, or the next event's previousHash names another).
 * Each event's `reads` are held to the heads of the streams read at that place in the log: a decision that
 * read an older revision is a stale read (it does not break the chain; it is reported beside it).
 */
export class ChainVerifier {
  private readonly heads = new Map<string, ChainHead>();
  private broken?: BrokenLink;
  private count = 0;
  private readonly stale = new StaleReads();

  /** Checks one event (in log order); returns false once a link is broken. */
  check(event: Omit<RecordedEvent, 'position'>): boolean {
    if (this.broken) return false;
    this.count += 1;
    const head = this.heads.get(event.stream);
    const expectedRevision = head ? head.revision + 1n : 0n;
    const fail = (reason: string): boolean => {
      this.broken = { stream: event.stream, revision: event.revision, eventId: event.id, reason };
      return false;
    };
    if (event.revision !== expectedRevision) {
      return fail(`revision ${event.revision} follows ${head ? `revision ${head.revision}` : 'nothing'}: an event is missing`);
    }
    const previousHash = event.metadata[PREVIOUS_HASH_KEY] ?? null;
    if (previousHash !== (head?.hash ?? null)) return fail('its previousHash does not name the event before it');
    const hash = eventHash(event.stream, event.revision, event, head?.hash ?? null);
    if (hash !== event.metadata[HASH_KEY]) return fail('its content does not match its hash: it was altered');
    this.stale.check(event, (stream) => this.heads.get(stream)?.revision ?? -1n);
    this.heads.set(event.stream, { revision: event.revision, hash });
    return true;
  }

  /** The first stale reads found (up to 10) and how many there are. */
  get staleReads(): VerifyReport['staleReads'] {
    return this.stale.report;
  }

  /** The last event of a stream checked so far. */
  head(stream: string): ChainHead | undefined {
    return this.heads.get(stream);
  }

  get firstBrokenLink(): BrokenLink | undefined {
    return this.broken;
  }

  get eventsChecked(): number {
    return this.count;
  }

  /** The digest over every stream's head so far (see {@link digestOfHeads}). */
  digest(): string {
    return digestOfHeads(this.heads);
  }

  get streams(): number {
    return this.heads.size;
  }
}

/**
 * SHA-256 (hex) over the canonical JSON of every stream's head (name, revision, hash), sorted by stream.
 * An auditor who keeps the digest of a position can later recompute it from the log up to that position:
 * equal digests prove that no event up to there was altered, removed or added.
 */
export function digestOfHeads(heads: ReadonlyMap<string, ChainHead>): string {
  const entries = [...heads.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([stream, head]) => [stream, head.revision.toString(), head.hash]);
  // An array of arrays of strings: its JSON text is already RFC 8785's (no keys to sort, no numbers to format).
  return sha256Hex(JSON.stringify(entries));
}

export interface VerifyReport {
  readonly eventsChecked: number;
  readonly streams: number;
  /** The last position checked: the digest is the log's as of there. */
  readonly position: Position | undefined;
  readonly digest: string;
  readonly brokenLink?: BrokenLink;
  /** Decisions that read another stream at an older revision than it had at their place in the log. */
  readonly staleReads: { readonly count: number; readonly first: readonly StaleRead[] };
}

/**
 * Recomputes every chain of the log, in order, up to `upTo` (inclusive; the whole log when absent), and the
 * digest of the streams' heads as of there. Stops at the first broken link. Runs in time slices, so a
 * service verifying its log keeps answering.
 */
export async function verifyLog(
  store: EventStore,
  options: {
    upTo?: Position; pageSize?: number; onProgress?: (eventsChecked: number) => void;
    /** Sees every event read, in log order: given, the log is read to its end (or `upTo`) even past a broken link. */
    observe?: (event: RecordedEvent) => void;
  } = {},
): Promise<VerifyReport> {
  const verifier = new ChainVerifier();
  const slice = new TimeSlice();
  let checked: Position | undefined;
  let read: Position | undefined;
  for (let page = await store.readAll({ maxCount: options.pageSize ?? 1000 }); page.length > 0;
    page = await store.readAll({ after: read, maxCount: options.pageSize ?? 1000 })) {
    for (const event of page) {
      if (options.upTo && comparePositions(event.position, options.upTo) > 0) return report(verifier, checked);
      options.observe?.(event);
      if (verifier.check(event)) checked = event.position;
      else if (!options.observe) return report(verifier, checked);
      read = event.position;
      if (slice.due()) await slice.pause();
    }
    options.onProgress?.(verifier.eventsChecked);
  }
  return report(verifier, checked);
}

function report(verifier: ChainVerifier, position: Position | undefined): VerifyReport {
  return {
    eventsChecked: verifier.eventsChecked, streams: verifier.streams, position, digest: verifier.digest(),
    brokenLink: verifier.firstBrokenLink, staleReads: verifier.staleReads,
  };
}
