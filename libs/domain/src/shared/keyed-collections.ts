/** The keys of `T` whose values are records of entries by id. */
export type KeyedCollections<T> = {
  [K in keyof T]: T[K] extends Readonly<Record<string, object>> ? K : never;
}[keyof T];

export type EntryOf<T, K extends keyof T> = T[K][keyof T[K]];

/**
 * Collections made within the running `inTransientScope`: no one outside that scope holds them yet, so they
 * can be changed in place. Outside a scope there is none, and every update copies.
 */
let transient: WeakSet<object> | undefined;

/**
 * Runs `work` (synchronously) in a scope where the evolve functions' updates copy a collection the first time
 * they touch it and change that copy in place afterwards. A fold of n events then costs O(n) rather than
 * O(n²), and what the scope received stays untouched. Only the scope's result may be kept: the states it
 * passed through share their collections.
 *
 * `owned` carries ownership from one scope to the next: an owner that alone holds a folded state (a cache)
 * passes the same set each time it folds more events into that state, which then changes in place.
 */
export function inTransientScope<T>(work: () => T, owned: WeakSet<object> = new WeakSet()): T {
  const outer = transient;
  transient = owned;
  try {
    return work();
  } finally {
    transient = outer;
  }
}

/** `initial` evolved by every event, in one transient scope: linear in the number of events. */
export function fold<S, E>(initial: S, events: Iterable<E>, evolve: (state: S, event: E) => S, owned?: WeakSet<object>): S {
  return inTransientScope(() => {
    let state = initial;
    for (const event of events) state = evolve(state, event);
    return state;
  }, owned);
}

/** A copy of `owner` whose `collection` holds `entry` under `id`: the immutable update evolve functions share. */
export function putEntry<T, K extends KeyedCollections<T>>(owner: T, collection: K, id: string, entry: EntryOf<T, K>): T {
  const current = owner[collection] as Record<string, EntryOf<T, K>>;
  if (transient?.has(current)) {
    current[id] = entry;
    return owner;
  }
  const copy = { ...current, [id]: entry };
  transient?.add(copy);
  return { ...owner, [collection]: copy };
}

/** A copy of `owner` with the entry under `id` updated; `owner` itself when there is no such entry. */
export function changeEntry<T, K extends KeyedCollections<T>>(
  owner: T,
  collection: K,
  id: string,
  update: (entry: EntryOf<T, K>) => EntryOf<T, K>,
): T {
  const existing = (owner[collection] as Readonly<Record<string, EntryOf<T, K>>>)[id];
  return existing === undefined ? owner : putEntry(owner, collection, id, update(existing));
}

/** A copy of `owner` with some fields of the entry under `id` changed; `owner` itself when there is none. */
export function updateEntry<T, K extends KeyedCollections<T>>(
  owner: T,
  collection: K,
  id: string,
  change: Partial<EntryOf<T, K>>,
): T {
  return changeEntry(owner, collection, id, (entry) => ({ ...(entry as object), ...change }) as EntryOf<T, K>);
}
