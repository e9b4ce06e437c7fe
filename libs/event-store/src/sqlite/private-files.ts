import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { Database } from './driver';

/** Creates a directory only its owner may enter (0700), or makes an existing one so. */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Opens a SQLite database whose file only its owner may read or write (0600). A new file is created with that
 * mode before SQLite opens it, and SQLite gives its -wal and -shm files the database file's mode. An existing
 * file is made so where this user owns it (files of an older version); an auditor's read of someone else's
 * copy leaves it as it is.
 */
export function openPrivateDatabase(file: string, options?: BetterSqlite3.Options): BetterSqlite3.Database {
  if (!options?.readonly) {
    try {
      closeSync(openSync(file, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        chmodSync(file, 0o600);
      } catch {
        // not ours to change
      }
    }
  }
  return new Database(file, options);
}
