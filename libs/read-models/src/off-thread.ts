import { Worker } from 'node:worker_threads';
import { sqliteWorkerData, WORKER_DATABASE } from '@ledger/event-store';

/**
 * A worker's whole program: opens the SQLite file with its own connection, runs the SQL, closes. It loads
 * the driver relative to this module's file, so it works from the sources and from the bundle alike.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = ${WORKER_DATABASE};
const db = new Database(workerData.file);
try {
  db.pragma('cache_size = -65536');
  db.exec(workerData.sql);
} finally {
  db.close();
}
parentPort.postMessage('done');`;

/**
 * Runs SQL that takes seconds on a large file (building indexes) on a worker thread, so the service's event
 * loop goes on answering. No other connection may write the file meanwhile.
 */
export function execOffThread(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(PROGRAM, { eval: true, workerData: { file, sql, sqlite: sqliteWorkerData() } });
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The worker building ${file} exited with ${code}`));
    });
  });
}
