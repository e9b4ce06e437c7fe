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

interface Folding<S> {
  readonly initialState: () => S;
  readonly evolve: (state: S, event: RecordedEvent) => S;
}

/**
 * Folded stream states kept between commands, so that a command reads and folds only the events appended
 * since the last one on its stream: its cost does not grow with the stream's length. The store stays the
 * truth: every load asks it for what came after the cached revision. The least recently used streams are
 * dropped beyond `maxStreams`.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, StreamState<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly maxStreams: number,
  ) {}

  async load<S>(stream: string, folding: Folding<S>): Promise<StreamState<S>> {
    const cached = this.entries.get(stream) as StreamState<S> | undefined;
    const from = cached ?? { revision: -1n, state: folding.initialState(), last: undefined, commands: new CommandIndex() };
    const newer = await this.store.readStream(stream, { fromRevision: from.revision + 1n });
    const current = newer.length === 0 ? from : extend(from, newer, folding);
    this.remember(stream, current);
    return current;
  }

  private remember(stream: string, state: StreamState<unknown>): void {
    const held = this.entries.get(stream);
    // Two commands on one stream may load at once: keep the later revision.
    if (held && held.revision > state.revision) return;
    this.entries.delete(stream);
    this.entries.set(stream, state);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value as string);
  }
}

function extend<S>(from: StreamState<S>, newer: readonly RecordedEvent[], folding: Folding<S>): StreamState<S> {
  from.commands.add(newer);
  const last = newer[newer.length - 1];
  return { revision: last.revision, state: fold(from.state, newer, folding.evolve), last, commands: from.commands };
}
