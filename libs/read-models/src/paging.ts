import { InvalidCursorError } from './query-errors';

export interface Page<T> {
  readonly items: T[];
  /** Where the next page starts; absent when this page is the last. */
  readonly nextCursor?: string;
}

function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** The key a page ended at, from the cursor that names it (undefined for the first page). */
export function decodeCursor(cursor: string | undefined, size: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === size && parts.every((p) => typeof p === 'string')) return parts;
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursorError('The cursor is not one this ledger gave.');
}

/** Makes a page of rows fetched one beyond its size (to know whether another page follows). */
export function page<R, T>(rows: R[], limit: number, item: (row: R) => T, cursorOf: (row: R) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items: items.map(item), nextCursor: encodeCursor(cursorOf(items[items.length - 1])) } : { items: items.map(item) };
}
