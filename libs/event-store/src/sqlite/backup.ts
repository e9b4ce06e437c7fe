import { createHash } from 'node:crypto';
import {
  chmodSync, closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync,
  statSync, writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tar from 'tar';
import { encodePositionToken } from '../position';
import { sqliteWorkerData, WORKER_DATABASE } from './driver';
import { verifyStoredLog } from './verify-stored';

/**
 * What a backup holds, in the order it is copied: the Merkle tree with its signed checkpoints first, so the
 * log copied after it holds every leaf the tree has; then the log; then the refusal log. Read models and state
 * snapshots are left out (they are rebuilt), and so is the checkpoint signing key (a secret: keep it with the
 * others).
 */
export const BACKED_UP_FILES = ['merkle.sqlite', 'events.sqlite', 'refusals.sqlite'] as const;

export const BACKUP_FORMAT = 'relationship-ledger-backup/1';

/** The first entry of a backup: what it covers, and the SHA-256 of each file in it. */
export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly createdAt: string;
  /** The position token of the last event in the backup (absent for an empty log). */
  readonly position?: string;
  readonly events: number;
  /** The digest of every stream's head as of `position` (what `ledger verify` prints): the restored log must give it. */
  readonly digest: string;
  readonly files: ReadonlyArray<{ readonly name: string; readonly bytes: number; readonly sha256: string }>;
}

/** A backup that cannot be taken or restored as asked: the message says why. */
export class BackupRefused extends Error {
  override readonly name = 'BackupRefused';
}

/**
 * Copies one SQLite database in a worker thread with `VACUUM INTO`: one read transaction, so a consistent
 * snapshot however the service writes meanwhile (WAL readers do not block writers), and the event loop of the
 * caller (a running service) stays free. Plain JavaScript, so it runs the same from sources and from the build
 * (the driver is required from this file's place: a bundle has no module paths to hand over).
 */
const COPY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = ${WORKER_DATABASE};
const db = new Database(workerData.from, { readonly: true });
try {
  db.prepare('VACUUM INTO ?').run(workerData.to);
} finally {
  db.close();
}
parentPort.postMessage('done');
`;

function copyDatabase(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(COPY_WORKER, { eval: true, workerData: { from, to, sqlite: sqliteWorkerData() } });
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => code === 0 || reject(new Error(`copying ${from} stopped with exit code ${code}`)));
  });
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface BackupResult {
  readonly file: string;
  readonly manifest: BackupManifest;
  readonly seconds: number;
}

/**
 * Takes a backup of a data directory while the service may keep writing: each database copied consistently
 * (merkle, then events, then refusals), the copied log verified (every chain, and its digest recorded), then
 * the lot written as one tar file under a temporary name, synced, and renamed into place, so `to` is either
 * absent or whole. Refuses a log with a broken chain: a backup of it would not restore.
 */
export async function backupDataDir(dataDir: string, to: string, now: () => Date = () => new Date()): Promise<BackupResult> {
  const started = performance.now();
  if (!existsSync(join(dataDir, 'events.sqlite'))) throw new BackupRefused(`no ledger in ${dataDir} (no events.sqlite)`);
  if (existsSync(to)) throw new BackupRefused(`${to} exists already: a backup never overwrites one`);
  mkdirSync(dirname(to), { recursive: true });
  const staging = mkdtempSync(join(dirname(to), `.${basename(to)}.partial-`));
  try {
    const names: string[] = [];
    for (const name of BACKED_UP_FILES) {
      if (!existsSync(join(dataDir, name))) continue;
      await copyDatabase(join(dataDir, name), join(staging, name));
      names.push(name);
    }
    const report = await verifyStoredLog(join(staging, 'events.sqlite'));
    if (report.brokenLink) {
      const { stream, revision, reason } = report.brokenLink;
      throw new BackupRefused(`the log is broken at stream ${stream}, revision ${revision} (${reason}): run ledger verify`);
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: now().toISOString(),
      position: report.position && encodePositionToken(report.position),
      events: report.eventsChecked,
      digest: report.digest,
      files: await Promise.all(names.map(async (name) => ({
        name, bytes: statSync(join(staging, name)).size, sha256: await sha256Of(join(staging, name)),
      }))),
    };
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = join(staging, 'backup.tar');
    await tar.create({ file: partial, cwd: staging, portable: true }, ['manifest.json', ...names]);
    chmodSync(partial, 0o600); // the whole history: as private as the data directory
    fsyncPath(partial);
    renameSync(partial, to);
    fsyncPath(dirname(to));
    return { file: to, manifest, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** What a backup restored into a staging directory gives: its manifest, checked against the files. */
export interface UnpackedBackup {
  readonly dir: string;
  readonly manifest: BackupManifest;
}

/**
 * Unpacks a backup into a new staging directory beside `dataDir` (only the manifest and the files it names,
 * nothing else, no path outside), and checks each file's size and SHA-256 against the manifest. The caller
 * verifies the log in it (its digest must be the manifest's) and then moves it into place (`moveIntoPlace`).
 */
export async function unpackBackup(from: string, dataDir: string): Promise<UnpackedBackup> {
  if (!existsSync(from)) throw new BackupRefused(`no backup at ${from}`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new BackupRefused(`${dataDir} holds data already: a restore goes into an empty or new directory`);
  }
  mkdirSync(dirname(dataDir), { recursive: true });
  const dir = mkdtempSync(join(dirname(dataDir), `.${basename(dataDir)}.restoring-`));
  try {
    const allowed = new Set<string>(['manifest.json', ...BACKED_UP_FILES]);
    await tar.extract({ file: from, cwd: dir, filter: (path) => allowed.has(path) });
    if (!existsSync(join(dir, 'manifest.json'))) throw new BackupRefused(`${from} is not a ledger backup (no manifest.json)`);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT) throw new BackupRefused(`${from} is a backup of format ${String(manifest.format)}, not ${BACKUP_FORMAT}`);
    for (const file of manifest.files) {
      const path = join(dir, file.name);
      if (!allowed.has(file.name) || !existsSync(path)) throw new BackupRefused(`${from} lacks ${file.name}, which its manifest names`);
      if (statSync(path).size !== file.bytes || (await sha256Of(path)) !== file.sha256) {
        throw new BackupRefused(`${file.name} in ${from} is not the file the backup recorded (size or SHA-256 differ)`);
      }
    }
    rmSync(join(dir, 'manifest.json'));
    for (const file of manifest.files) chmodSync(join(dir, file.name), 0o600);
    return { dir, manifest };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Moves a verified staging directory into place as the data directory (0700), replacing an empty one. */
export function moveIntoPlace(staging: string, dataDir: string): void {
  if (existsSync(dataDir)) rmdirSync(dataDir); // empty (unpackBackup refused any other)
  renameSync(staging, dataDir);
  fsyncPath(dirname(dataDir));
}
