import { fold, metadataOf } from '@ledger/domain';
import { type EventStore, HASH_KEY, type RecordedEvent, scopedCommandId } from '@ledger/event-store';
import type { StateSnapshots } from './state-snapshots';

/** A stream's state as of a revision: what a decision needs, and which commands it already holds. */
export interface StreamState<S> {
  /** -1 for a stream with no events. */
  readonly revision: bigint;
  readonly state: S;
  /** The last event, whose hash the next one chains to. */
  readonly last: RecordedEvent | undefined;
  /** The commands the stream holds, up to this revision at least. */
  readonly commands: CommandIndex;
}

/** The revisions a command's events took in a stream: first and last. */
export type AppliedRange = readonly [first: bigint, last: bigint];

/**
 * Where each command's events are in one stream, by its scoped id (client and command id). Streams only
 * grow, so one index serves every cached revision of the stream: it may know of commands appended after an
 * older revision, which is what a retry check wants to know anyway. It holds revisions, not events: a retry
 * reads its events again, and a long stream's index stays small.
 */
export class CommandIndex {
  private upTo = -1n;
  private readonly byCommand = new Map<string, [bigint, bigint]>();

  add(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      if (event.revision <= this.upTo) continue;
      const { client, commandId } = metadataOf(event);
      const key = scopedCommandId(client, commandId);
      const held = this.byCommand.get(key);
      if (held) held[1] = event.revision;
      else this.byCommand.set(key, [event.revision, event.revision]);
      this.upTo = event.revision;
    }
  }

  /** Where a client's command's events are; undefined when it appended none here. */
  appliedBy(client: string, commandId: string): AppliedRange | undefined {
    return this.byCommand.get(scopedCommandId(client, commandId));
  }

  entries(): Array<readonly [string, bigint, bigint]> {
    return [...this.byCommand].map(([key, [first, last]]) => [key, first, last] as const);
  }

  static restore(entries: ReadonlyArray<readonly [string, bigint, bigint]>, upTo: bigint): CommandIndex {
    const index = new CommandIndex();
    for (const [key, first, last] of entries) index.byCommand.set(key, [first, last]);
    index.upTo = upTo;
    return index;
  }
}

/** One stream's cached state, changed in place as events are folded into it. */
interface Entry<S> {
  revision: bigint;
  state: S;
  last: RecordedEvent | undefined;
  readonly commands: CommandIndex;
  /** The collections this entry's state alone holds: folding more events changes them in place. */
  readonly owned: WeakSet<object>;
  /** The revision of the latest snapshot taken of it. */
  snapshotAt: bigint;
}

interface Folding<S> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: RecordedEvent) => S;
}

/**
 * Folded stream states kept between commands, so that a command reads and folds only the events appended
 * since the last one on its stream: its cost does not grow with the stream's length. The store stays the
 * truth: every load asks it for what came after the cached revision. The least recently used streams are
 * dropped beyond `maxStreams`.
 *
 * A cached state is extended in place (its collections are owned by its entry), so a state handed out may
 * later move ahead of the revision it was handed out with, by events that are already in the store. That
 * is safe for deciding: a decision appends at the revision it loaded, and the store refuses that append
 * whenever newer events exist, so a command decided on a state that moved ahead is decided again.
 *
 * With a snapshot store, a stream's state is also kept every `snapshotEvery` events, so that a stream not in
 * the cache (after a restart, or dropped from it) is read from its latest snapshot rather than its start. A
 * snapshot is used only where the stream still holds, at the snapshot's revision, the event it was taken
 * after (same hash): a store restored from elsewhere, or a rewritten stream, is folded from its start.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly maxStreams: number,
    private readonly snapshots?: StateSnapshots,
    private readonly snapshotEvery = 1000,
  ) {}

  async load<S>(stream: string, folding: Folding<S>): Promise<StreamState<S>> {
    let base = this.entries.get(stream) as Entry<S> | undefined;
    let newer: RecordedEvent[];
    if (base) {
      newer = await this.store.readStream(stream, { fromRevision: base.revision + 1n });
    } else {
      const restored = this.fromSnapshot<S>(stream);
      newer = await this.store.readStream(stream, { fromRevision: restored ? restored.entry.revision : 0n });
      // The first event read must be the one the snapshot was taken after, else the snapshot is not of this stream.
      const [first] = newer;
      if (restored && first?.revision === restored.entry.revision && first.metadata[HASH_KEY] === restored.hash) {
        base = { ...restored.entry, last: first };
      } else if (restored) {
        newer = await this.store.readStream(stream, { fromRevision: 0n });
      }
    }
    // After the awaits: another load may have moved the entry on (or it was dropped; `base` still holds it).
    const entry: Entry<S> = (this.entries.get(stream) as Entry<S> | undefined) ?? base ?? {
      revision: -1n, state: folding.initialState(), last: undefined, commands: new CommandIndex(), owned: new WeakSet(), snapshotAt: -1n,
    };
    const unseen = newer.filter((event) => event.revision > entry.revision);
    if (unseen.length > 0) {
      try {
        entry.commands.add(unseen);
        entry.state = fold(entry.state, unseen, folding.evolve, entry.owned);
        entry.last = unseen[unseen.length - 1];
        entry.revision = entry.last.revision;
      } catch (error) {
        this.entries.delete(stream); // a fold that failed half-way leaves nothing behind
        throw error;
      }
      this.snapshotIfDue(stream, entry);
    }
    this.touch(stream, entry);
    return { revision: entry.revision, state: entry.state, last: entry.last, commands: entry.commands };
  }

  /** The events a command appended to a stream (for answering its retry). */
  async eventsOf(stream: string, [first, last]: AppliedRange): Promise<RecordedEvent[]> {
    return (await this.store.readStream(stream, { fromRevision: first })).filter((event) => event.revision <= last);
  }

  private fromSnapshot<S>(stream: string): { entry: Entry<S>; hash: string } | undefined {
    const snapshot = this.snapshots?.get(stream);
    if (!snapshot) return undefined;
    return {
      hash: snapshot.hash,
      entry: {
        revision: snapshot.revision, state: snapshot.state as S, last: undefined, owned: new WeakSet(), snapshotAt: snapshot.revision,
        commands: CommandIndex.restore(snapshot.commands, snapshot.revision),
      },
    };
  }

  private snapshotIfDue<S>(stream: string, entry: Entry<S>): void {
    if (!this.snapshots || !entry.last || entry.revision - entry.snapshotAt < BigInt(this.snapshotEvery)) return;
    this.snapshots.put(stream, {
      revision: entry.revision, hash: String(entry.last.metadata[HASH_KEY]), state: entry.state, commands: entry.commands.entries(),
    });
    entry.snapshotAt = entry.revision;
  }

  private touch<S>(stream: string, entry: Entry<S>): void {
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value as string);
  }
}
