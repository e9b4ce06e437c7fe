/** The keys of `T` whose values are records of entries by id. */
export type KeyedCollections<T> = {
  [K in keyof T]: T[K] extends Readonly<Record<string, object>> ? K : never;
}[keyof T];

export type EntryOf<T, K extends keyof T> = T[K][keyof T[K]];

/** A copy of `owner` whose `collection` holds `entry` under `id`: the immutable update evolve functions share. */
export function putEntry<T, K extends KeyedCollections<T>>(owner: T, collection: K, id: string, entry: EntryOf<T, K>): T {
  return { ...owner, [collection]: { ...(owner[collection] as object), [id]: entry } };
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
