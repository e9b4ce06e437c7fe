import { fold } from '@ledger/domain';
import { type EventStore, type RecordedEvent, scopedCommandId } from '@ledger/event-store';

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

/**
 * The events each command appended to one stream, by its scoped id (client and command id). Streams only
 * grow, so one index serves every cached revision of the stream: it may know of commands appended after an
 * older revision, which is what a retry check wants to know anyway.
 */
export class CommandIndex {
  private upTo = -1n;
  private readonly byCommand = new Map<string, RecordedEvent[]>();

  add(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      if (event.revision <= this.upTo) continue;
      const key = scopedCommandId(String(event.metadata.client), String(event.metadata.commandId));
      const held = this.byCommand.get(key);
      if (held) held.push(event);
      else this.byCommand.set(key, [event]);
      this.upTo = event.revision;
    }
  }

  /** The events a client's command appended, in order; empty when it appended none here. */
  appliedBy(client: string, commandId: string): readonly RecordedEvent[] {
    return this.byCommand.get(scopedCommandId(client, commandId)) ?? [];
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
 */
export class StreamStateCache {
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly maxStreams: number,
  ) {}

  async load<S>(stream: string, folding: Folding<S>): Promise<StreamState<S>> {
    const known = this.entries.get(stream) as Entry<S> | undefined;
    const newer = await this.store.readStream(stream, { fromRevision: (known?.revision ?? -1n) + 1n });
    // After the await: another load may have moved the entry on (or it was dropped; `known` still holds it).
    const entry = (this.entries.get(stream) as Entry<S> | undefined) ?? known
      ?? { revision: -1n, state: folding.initialState(), last: undefined, commands: new CommandIndex(), owned: new WeakSet() };
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
    }
    this.touch(stream, entry);
    return { revision: entry.revision, state: entry.state, last: entry.last, commands: entry.commands };
  }

  private touch<S>(stream: string, entry: Entry<S>): void {
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value as string);
  }
}
