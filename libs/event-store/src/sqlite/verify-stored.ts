import { availableParallelism } from 'node:os';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { type ChainHead, digestOfHeads, READS_KEY, StaleReads, verifyLog, type VerifyReport } from '../hash-chain';
import type { Position } from '../position';
import type { LoggedEvent } from '../transparency/merkle-log';
import { sqliteWorkerData, WORKER_DATABASE } from './driver';
import { openPrivateDatabase } from './private-files';
import { SqliteEventStore } from './sqlite-event-store';
import { asStorageFault, guardStorage } from './storage-faults';

/** One worker's answer for a range of positions: its streams' first and last events there, or that a link broke. */
interface RangeResult {
  readonly count: number;
  /** [stream, revision, previousHash] of each stream's first event in the range, in log order. */
  readonly firsts: readonly [string, number, string | null][];
  /** [stream, revision, hash] of each stream's last event in the range. */
  readonly lasts: readonly [string, number, string][];
  readonly broken: boolean;
  /** [event id, stream, revision, its reads, the revision each stream read had just before it] of each event with a read that does not match. */
  readonly stale: readonly [string, string, number, Record<string, unknown>, Record<string, number>][];
}

/**
 * A worker checks a range of positions on its own read-only connection: each event's stored form hashes to
 * its stored hash, names the event's own stream, revision and type, and (within the range) follows the
 * stream's event before it. An event whose form holds `"reads":{` has its metadata's reads held to the head
 * each stream read had just before it (along the (stream, revision) index); those that do not match go back
 * for `StaleReads` to judge. Plain JavaScript, so it runs the same from sources and from the build.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const Database = ${WORKER_DATABASE};
const db = new Database(workerData.file, { readonly: true });
const rows = db.prepare('SELECT position, event_id, stream, revision, type, hashed, hash FROM events WHERE position > ? AND position <= ? ORDER BY position').raw();
const positionsOf = db.prepare('SELECT position FROM events WHERE stream = ? ORDER BY revision').pluck();
// The streams decisions read (partners': few, short), each as its events' positions in revision order.
const readStreams = new Map();
function headBefore(stream, position) {
  let positions = readStreams.get(stream);
  if (!positions) readStreams.set(stream, (positions = positionsOf.all(stream)));
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle] < position) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
parentPort.on('message', ({ range, after, upTo }) => {
  try {
    check(range, after, upTo);
  } catch (error) {
    parentPort.postMessage({ range, error: { message: error.message, code: error.code } });
  }
});
function check(range, after, upTo) {
  const heads = new Map();
  const firsts = [];
  let count = 0;
  let broken = false;
  const stale = [];
  for (const [position, eventId, stream, revision, type, hashed, stored] of rows.iterate(after, upTo)) {
    const previousHash = hash('sha256', hashed, 'hex') === stored ? previousHashOf(hashed, stream, revision, type) : undefined;
    if (previousHash === undefined) { broken = true; break; }
    if (hashed.includes('"reads":{')) {
      const reads = readsOf(hashed);
      if (reads) {
        const actual = {};
        for (const read of Object.keys(reads)) actual[read] = headBefore(read, position);
        if (Object.keys(reads).some((read) => String(reads[read]) !== String(actual[read]))) stale.push([eventId, stream, revision, reads, actual]);
      }
    }
    const head = heads.get(stream);
    if (!head) firsts.push([stream, revision, previousHash]);
    else if (revision !== head[0] + 1 || previousHash !== head[1]) { broken = true; break; }
    heads.set(stream, [revision, stored]);
    count += 1;
  }
  parentPort.postMessage({ range, count, firsts, lasts: [...heads].map(([s, [r, h]]) => [s, r, h]), broken, stale });
}
// The metadata's reads, parsed alone (JSON.parse of whole forms would double the work): the metadata is the
// object after the top-level "metadata" key, the last such key before the revision (data sorts before it, and
// the ledger's metadata holds none); "reads" is its last key that holds an object ("recordedAt", a string, is
// the only one after it); its values are strings, so the first "}" outside a string ends it.
function readsOf(hashed) {
  const end = hashed.lastIndexOf('},"revision":"');
  const metadata = hashed.lastIndexOf(',"metadata":{', end);
  const key = Math.max(hashed.lastIndexOf(',"reads":{', end), hashed.lastIndexOf('{"reads":{', end));
  if (metadata < 0 || key < metadata) return undefined;
  let inString = false;
  for (let i = key + 9; i < end; i += 1) {
    const c = hashed.charCodeAt(i);
    if (inString) {
      if (c === 92) i += 1;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 125) return JSON.parse(hashed.slice(key + 9, i + 1));
  }
  return undefined;
}
// The hashed form is RFC 8785 text: its top-level keys sorted, it ends with the revision, schema version,
// stream and type, right after the metadata, whose previousHash is the last such key before them (a key
// inside a string value would be escaped). Read so, without parsing the whole event: undefined when the form
// names another place or type, or has no previousHash (an event appended unchained).
function previousHashOf(hashed, stream, revision, type) {
  const end = ',"stream":' + JSON.stringify(stream) + ',"type":' + JSON.stringify(type) + '}';
  const tail = '},"revision":"' + revision + '","schemaVersion":';
  const at = hashed.lastIndexOf(tail);
  if (at < 0 || !hashed.endsWith(end) || !/^[0-9]+$/.test(hashed.slice(at + tail.length, hashed.length - end.length))) return undefined;
  const key = hashed.lastIndexOf('"previousHash":', at);
  if (key < 0) return undefined;
  const value = hashed.slice(key + 15, at);
  const next = value.indexOf(',"');
  const literal = next < 0 ? value : value.slice(0, next);
  if (literal === 'null') return null;
  return /^"[0-9a-f]{64}"$/.test(literal) ? literal.slice(1, -1) : undefined;
}
`;

/**
 * `verifyLog` over the SQLite file itself, in worker threads across the cores: reading and hashing the stored
 * bytes, no re-serialization. The workers check ranges of the log; the ranges are then joined in order (each
 * stream's first event in a range must follow its last before). A log with a broken link is verified again
 * event by event (`verifyLog`), which names the first one exactly. `observe` sees every event in log order,
 * from the main thread, while the workers hash.
 */
export async function verifyStoredLog(
  file: string,
  options: { upTo?: Position; workers?: number; onProgress?: (eventsChecked: number) => void; observe?: (event: LoggedEvent) => void } = {},
): Promise<VerifyReport> {
  const db = openPrivateDatabase(file, { readonly: true });
  db.defaultSafeIntegers(true);
  const [first, last] = guardStorage('Verifying the log', () => db.prepare('SELECT min(position), max(position) FROM events WHERE position <= ?').raw()
    .get(options.upTo?.commit ?? BigInt(Number.MAX_SAFE_INTEGER))) as [bigint | null, bigint | null];
  if (first === null || last === null) {
    db.close();
    return { eventsChecked: 0, streams: 0, position: undefined, digest: digestOfHeads(new Map()), brokenLink: undefined, staleReads: { count: 0, first: [] } };
  }
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const ranges = splitRange(first - 1n, last, workers * 2);
  let results: RangeResult[];
  try {
    [results] = await Promise.all([checkRanges(file, ranges, workers, options.onProgress), observeLog(db, last, options.observe)]);
  } finally {
    db.close();
  }

  const heads = new Map<string, ChainHead>();
  const staleReads = new StaleReads();
  let count = 0;
  for (const result of results) {
    const joins = !result.broken && result.firsts.every(([stream, revision, previousHash]) => {
      const head = heads.get(stream);
      return BigInt(revision) === (head ? head.revision + 1n : 0n) && previousHash === (head?.hash ?? null);
    });
    if (!joins) {
      const store = new SqliteEventStore({ file });
      try {
        return await verifyLog(store, { upTo: options.upTo });
      } finally {
        await store.close();
      }
    }
    for (const [stream, revision, hash] of result.lasts) heads.set(stream, { revision: BigInt(revision), hash });
    for (const [id, stream, revision, reads, actual] of result.stale) {
      staleReads.check({ id, stream, revision: BigInt(revision), metadata: { [READS_KEY]: reads } }, (read) => BigInt(actual[read]));
    }
    count += result.count;
  }
  return {
    eventsChecked: count, streams: heads.size, position: { commit: last, prepare: last }, digest: digestOfHeads(heads), brokenLink: undefined,
    staleReads: staleReads.report,
  };
}

/** `parts` ranges (after, upTo] that cover (after, last]. */
function splitRange(after: bigint, last: bigint, parts: number): { after: bigint; upTo: bigint }[] {
  const width = (last - after + BigInt(parts) - 1n) / BigInt(parts);
  const ranges: { after: bigint; upTo: bigint }[] = [];
  for (let start = after; start < last; start += width) ranges.push({ after: start, upTo: start + width < last ? start + width : last });
  return ranges;
}

async function checkRanges(
  file: string, ranges: readonly { after: bigint; upTo: bigint }[], workers: number, onProgress?: (eventsChecked: number) => void,
): Promise<RangeResult[]> {
  const results: RangeResult[] = [];
  let next = 0;
  let checked = 0;
  const run = (worker: Worker) => new Promise<void>((resolve, reject) => {
    const give = () => {
      if (next >= ranges.length) return resolve();
      const range = next++;
      worker.postMessage({ range, after: Number(ranges[range].after), upTo: Number(ranges[range].upTo) });
    };
    worker.on('message', (result: RangeResult & { range: number; error?: { message: string; code?: string } }) => {
      if (result.error) return reject(asStorageFault(Object.assign(new Error(result.error.message), { code: result.error.code }), 'Verifying the log'));
      results[result.range] = result;
      onProgress?.((checked += result.count));
      give();
    });
    worker.on('error', reject);
    give();
  });
  const pool = Array.from({ length: Math.min(workers, ranges.length) }, () =>
    new Worker(WORKER, { eval: true, workerData: { file, sqlite: sqliteWorkerData() } }));
  try {
    await Promise.all(pool.map(run));
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}

/** Shows every event up to `last` to `observe`, in log order, a page per turn of the event loop. */
async function observeLog(db: ReturnType<typeof openPrivateDatabase>, last: bigint, observe?: (event: LoggedEvent) => void): Promise<void> {
  if (!observe) return;
  const page = db.prepare('SELECT position, event_id, stream, revision, hash FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT 5000').raw();
  let after = -1n;
  const read = () => guardStorage('Verifying the log', () => page.all(after, last)) as [bigint, string, string, bigint, string | null][];
  for (let rows = read(); rows.length > 0; rows = read()) {
    for (const [, id, stream, revision, hash] of rows) observe({ id, stream, revision, hash: hash ?? '' });
    after = rows[rows.length - 1][0];
    await nextMacrotask();
  }
}
