import { EventStoreUnavailableError, type StoreFaultReason } from '../event-store.port';

/** SQLite's result codes (extended ones start with these) that say the storage failed, not the statement. */
const FAULTS: ReadonlyArray<readonly [prefix: string, reason: StoreFaultReason]> = [
  ['SQLITE_FULL', 'disk-full'],
  ['SQLITE_IOERR', 'io-error'],
  ['SQLITE_CANTOPEN', 'io-error'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_CORRUPT', 'corrupt'],
  ['SQLITE_NOTADB', 'corrupt'],
];

/** The storage fault an SQLite error stands for, or undefined for an error of the statement itself. */
export function sqliteFaultReason(error: unknown): StoreFaultReason | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return FAULTS.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1];
}

/** The port's error for an SQLite storage fault (the original as its cause), or the error itself. */
export function asStorageFault(error: unknown, doing: string): unknown {
  const reason = sqliteFaultReason(error);
  if (!reason) return error;
  return new EventStoreUnavailableError(`${doing} failed: ${(error as Error).message}`, reason, { cause: error });
}

/** Runs a synchronous SQLite call, turning a storage fault into the port's error. */
export function guardStorage<T>(doing: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw asStorageFault(error, doing);
  }
}
