import type BetterSqlite3 from 'better-sqlite3';

/**
 * The SQLite driver for the Node.js this process runs on. better-sqlite3 13 is built on Node-API 10 (Node
 * 22.14 and later, Node 24); 12, built on V8's own API, is the one that runs on Node 20, whose Node-API stops
 * at 9. 12 cannot serve on Node 24: there a statement or connection that the garbage collector frees can abort
 * the process (`Assertion failed: (env) != nullptr` in RemoveEnvironmentCleanupHook, from Node 24's
 * ObjectWrap). The two have the same API; `better-sqlite3-node20` is 12 installed under a second name.
 */
export const SQLITE_DRIVER = Number(process.versions.napi) >= 10 ? 'better-sqlite3' : 'better-sqlite3-node20';

// Two literal requires, so that the bundler leaves each to Node rather than resolving an expression.
export const Database: typeof BetterSqlite3 = SQLITE_DRIVER === 'better-sqlite3'
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ? require('better-sqlite3') as typeof BetterSqlite3
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  : require('better-sqlite3-node20') as typeof BetterSqlite3;

/**
 * What a worker thread's program (run with `eval`) needs to load the same driver: give it as
 * `workerData.sqlite` and open with `${WORKER_DATABASE}`. It is loaded relative to this module's file, so
 * that it works from the sources and from the bundle alike.
 */
export const sqliteWorkerData = (): { driver: string; from: string } => ({ driver: SQLITE_DRIVER, from: __filename });
export const WORKER_DATABASE = "require('node:module').createRequire(workerData.sqlite.from)(workerData.sqlite.driver)";
