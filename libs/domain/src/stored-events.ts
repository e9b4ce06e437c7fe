import { EVENT_SCHEMA_VERSIONS, isLedgerEventType, type LedgerEvent, type LedgerEventType } from './events';
import type { ProjectedEvent } from './projections/projected-event';
import { policyVersionAt } from './shared/policy';
import type { Actor } from './shared/vocabulary';

/** What the ledger writes beside each event it appends (the hash chain adds `previousHash` and `hash`). */
export interface LedgerEventMetadata {
  /** The client's command id (its Idempotency-Key). */
  readonly commandId: string;
  readonly commandType: string;
  /** A hash of the command, to tell a retry from another command under a reused id. */
  readonly commandHash: string;
  readonly actor: Actor;
  /** The client that sent the command: command ids are its own. */
  readonly client: string;
  /** How the client proved who it is. */
  readonly credential: { readonly type: string; readonly client: string };
  readonly correlationId: string;
  readonly causationId: string;
  /** When the ledger recorded it, by the ledger's clock (ISO 8601): time travel, lag and audit filters read it. */
  readonly recordedAt: string;
  /**
   * The version of the rules the command was decided under (policy.ts). Events recorded before versions were
   * named lack it: they were decided under the version in force at `recordedAt` ({@link policyOfEvent}).
   */
  readonly policy?: string;
  /**
   * The partners' streams the decision read, each with the revision it read (as text): the append went through
   * only while they were still there. Absent when the decision read none, and on events recorded before.
   */
  readonly reads?: Readonly<Record<string, string>>;
}

/** The version of the rules an event was decided under: as recorded, or the one in force when it was recorded. */
export function policyOfEvent(metadata: Pick<LedgerEventMetadata, 'policy' | 'recordedAt'>): string {
  return metadata.policy ?? policyVersionAt(metadata.recordedAt).version;
}

/** An event as the store holds it, as far as decoding goes. */
export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Turns one schema version's data into the next one's. */
export type Upcaster = (data: unknown) => unknown;

/**
 * By event type, the upcaster from each older schema version to the next. Stored events stay as they were
 * written; when an event's shape changes, its version in `EVENT_SCHEMA_VERSIONS` goes up and an upcaster
 * from the old version goes here.
 */
export const UPCASTERS: Readonly<Partial<Record<LedgerEventType, Readonly<Record<number, Upcaster>>>>> = {
  // Version 2 names the commerce platform; everything recorded before was sold on the legacy one.
  SubscriptionRecorded: { 1: (data) => ({ ...(data as object), commerce: 'legacy' }) },
};

/** The ledger's metadata of a stored event (written by the command runner). */
export function metadataOf(stored: Pick<StoredEvent, 'metadata'>): LedgerEventMetadata {
  return stored.metadata as unknown as LedgerEventMetadata;
}

/**
 * A stored event as the domain sees it, its data upcast to the current schema: what the command runner
 * folds, projections apply and time travel replays. Undefined for an event type the ledger does not know.
 */
export function decodeEvent(stored: StoredEvent, upcasters = UPCASTERS): ProjectedEvent<LedgerEvent> | undefined {
  if (!isLedgerEventType(stored.type)) return undefined;
  let data = stored.data;
  for (let version = stored.schemaVersion; version < EVENT_SCHEMA_VERSIONS[stored.type]; version += 1) {
    const upcast = upcasters[stored.type]?.[version];
    if (!upcast) throw new Error(`Event ${stored.id} is ${stored.type} at schema version ${version}, and no upcaster reads that version`);
    data = upcast(data);
  }
  return { type: stored.type, data, id: stored.id, recordedAt: String(stored.metadata.recordedAt) } as ProjectedEvent<LedgerEvent>;
}
