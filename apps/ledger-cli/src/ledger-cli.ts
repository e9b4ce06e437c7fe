import { createReadStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  backupDataDir,
  BackupRefused,
  ChainVerifier,
  type Checkpoint,
  CheckpointAudit,
  CheckpointRejected,
  type CheckpointReport,
  copyLog,
  CopyRefused,
  copyRefusals,
  decodePositionToken,
  encodePositionToken,
  type EventStore,
  EventStoreDbEventStore,
  EventStoreDbRefusalLog,
  eventsOf,
  type EventToCopy,
  EventStoreUnavailableError,
  ensurePrivateDirectory,
  leafOf,
  MerkleLog,
  moveIntoPlace,
  noteSigner,
  openCheckpoint,
  type RecordedEvent,
  type RefusalLog,
  SqliteEventStore,
  SqliteRefusalLog,
  unpackBackup,
  verifyLog,
  type VerifyReport,
  verifyStoredLog,
} from '@ledger/event-store';
import { buildReadModels, ReadModelStore, removeDatabase } from '@ledger/read-models';
import { checkProof, type ProofVerdict } from './verify-proof';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Whether stderr is a terminal (progress is shown only there). */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const USAGE = `usage: ledger <command> [options]

commands:
  verify [--since CHECKPOINT] [--key VKEY] [--at TOKEN] [--expect-digest HEX]
                                               recompute every hash chain and the digest, and check the log still holds
                                               what a signed checkpoint covers (the kept note --since, else the latest
                                               the service signed), and that each decision saw the other streams it
                                               read as they stood at its place in the log; exit 1 naming what is
                                               broken, missing, changed or decided on a stale read
  replay                                       rebuild the read models into a scratch copy and compare with the live ones
  export [--customer ID]                       every event (or one customer's) as NDJSON, with metadata and hashes
  history <customerId>                         one customer's events, oldest first
  backup --to FILE                             a consistent copy of the log, the refusal log and the signed checkpoints
                                               (read models are rebuilt, the signing key is yours to keep), taken while
                                               the service writes, verified, and written whole or not at all
  restore --from FILE --data-dir DIR [--since CHECKPOINT] [--key VKEY]
                                               into an empty or new DIR: checks every file against the backup's
                                               manifest, verifies as verify does (the digest must be the backup's),
                                               then moves it into place; the service started on DIR rebuilds the rest
  import --from FILE                           an export (ledger export) read back, in order, with every id and hash, into
                                               the data directory's store (created) or --eventstore's; resumable: run it
                                               again after an interruption; ends by verifying both digests are equal
  migrate --to URL | --from URL                the data directory's log and refusals copied into an EventStoreDB cluster
                                               (--to), or back from one (--from) into a new data directory; resumable;
                                               ends by verifying both digests are equal (docs/operations.md)
  verify-proof --key VKEY [--checkpoint FILE] [--old-checkpoint FILE] [--origin NAME] <proof.json>
                                               check an inclusion, consistency or stream proof the ledger gave, offline:
                                               only the verifier key (or @file holding it) and the notes are read

options:
  --data-dir DIR      the service's data directory (default: LEDGER_DATA_DIR or ./data)
  --eventstore URL    an EventStoreDB connection string (default: LEDGER_EVENTSTORE_URL); else the SQLite log
  --json              machine-readable output
`;

type Options = {
  'data-dir'?: string; eventstore?: string; json?: boolean; at?: string; 'expect-digest'?: string; customer?: string; help?: boolean;
  key?: string; checkpoint?: string; 'old-checkpoint'?: string; origin?: string; since?: string; to?: string; from?: string;
};

/** Runs one `ledger` command; resolves to the process exit code (0 ok, 1 a finding, 2 a usage error). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: { values: Options; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv], allowPositionals: true,
      options: {
        'data-dir': { type: 'string' }, eventstore: { type: 'string' }, json: { type: 'boolean' }, at: { type: 'string' },
        'expect-digest': { type: 'string' }, customer: { type: 'string' }, help: { type: 'boolean', short: 'h' },
        key: { type: 'string' }, checkpoint: { type: 'string' }, 'old-checkpoint': { type: 'string' }, origin: { type: 'string' },
        since: { type: 'string' }, to: { type: 'string' }, from: { type: 'string' },
      },
    }) as { values: Options; positionals: string[] };
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  if (!COMMANDS.includes(command)) {
    io.err(`unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  if (command === 'verify-proof') return verifyProofFile(rest[0], values, io);
  if (command === 'history' && !rest[0]) {
    io.err(`history needs a customer id\n\n${USAGE}`);
    return 2;
  }
  const dataDir = resolve(values['data-dir'] ?? io.env.LEDGER_DATA_DIR ?? './data');
  const copying = Object.hasOwn(COPY_COMMANDS, command) ? COPY_COMMANDS[command] : undefined;
  if (copying) {
    try {
      return await copying(dataDir, values, io);
    } catch (error) {
      if (error instanceof EventStoreUnavailableError) {
        io.err(`${command} stopped: ${error.message}; what was copied stays, and the same command run again goes on from there`);
        return 1;
      }
      // Refused before anything changed: what was asked cannot be done as asked (exit 2, like a usage error).
      if (!(error instanceof BackupRefused || error instanceof CopyRefused)) throw error;
      io.err(`${command} refused: ${error.message}`);
      return 2;
    }
  }
  const url = values.eventstore ?? io.env.LEDGER_EVENTSTORE_URL;
  if (!url && !existsSync(join(dataDir, 'events.sqlite'))) {
    io.err(`no ledger in ${dataDir} (no events.sqlite); give --data-dir or --eventstore`);
    return 2;
  }
  const store: EventStore = url
    ? new EventStoreDbEventStore({ connection: url })
    : new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
  try {
    switch (command) {
      case 'verify':
        return await verify(store, dataDir, values, io);
      case 'replay':
        return await replay(store, dataDir, values, io);
      case 'export':
        return await exportEvents(store, values.customer, io);
      default:
        return await history(store, rest[0], values, io);
    }
  } finally {
    await store.close();
  }
}

const COMMANDS = ['verify', 'replay', 'export', 'history', 'verify-proof', 'backup', 'restore', 'import', 'migrate'];

/** The commands that copy a ledger somewhere (they open their own stores). */
const COPY_COMMANDS: Readonly<Record<string, (dataDir: string, values: Options, io: CliIo) => Promise<number>>> = {
  backup, restore, import: importExport, migrate,
};

/** The events of an export, one JSON line each, in the order they were exported. */
async function* exportedEvents(file: string): AsyncGenerator<EventToCopy> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    try {
      const { stream, revision, id, type, schemaVersion, data, metadata } = JSON.parse(line) as Record<string, unknown> & { metadata: Record<string, unknown> };
      yield { stream: String(stream), revision: BigInt(String(revision)), id: String(id), type: String(type), schemaVersion: Number(schemaVersion), data, metadata };
    } catch (error) {
      throw new CopyRefused(`line ${number} of ${file} is not an exported event: ${(error as Error).message}`);
    }
  }
}

/** A store to copy into: the cluster --eventstore names, else the data directory's SQLite file (created). */
function targetStore(dataDir: string, url: string | undefined): EventStore {
  if (url) return new EventStoreDbEventStore({ connection: url });
  ensurePrivateDirectory(dataDir);
  return new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
}

/**
 * Copies a log into a store, checking every chain of the source on the way, then verifies the target as
 * `verify` does: both digests (every stream's head) must be equal. Exit 1 when they are not.
 */
async function copyVerified(source: AsyncIterable<EventToCopy>, target: EventStore, targetDir: string | undefined, io: CliIo): Promise<number> {
  const started = Date.now();
  const sourceChains = new ChainVerifier();
  const checked = async function* () {
    for await (const event of source) {
      if (!sourceChains.check(event)) {
        const { stream, revision, reason } = sourceChains.firstBrokenLink!;
        throw new CopyRefused(`the source is broken at stream ${stream}, revision ${revision}: ${reason}`);
      }
      yield event;
    }
  };
  // SQLite commits appends in the order they were submitted (group commit): many in flight; a cluster, one at a time.
  const { copied, resumed } = await copyLog(checked(), target, { onProgress: progress(io, 'copy'), concurrency: targetDir ? 256 : 1 });
  const report = targetDir ? await verifyStoredLog(join(targetDir, 'events.sqlite')) : await verifyLog(target);
  const same = !report.brokenLink && report.digest === sourceChains.digest() && report.eventsChecked === sourceChains.eventsChecked;
  if (io.interactive) io.err('\n');
  io.out(`${same ? 'ok' : 'MISMATCH'}: copied ${copied} events${resumed > 0 ? ` after the ${resumed} an earlier run copied` : ''} in `
    + `${((Date.now() - started) / 1000).toFixed(2)} s; the source has ${sourceChains.eventsChecked} events, digest ${sourceChains.digest()}; `
    + `the target ${report.eventsChecked}, digest ${report.digest}${report.brokenLink ? `, broken at ${report.brokenLink.stream} revision ${report.brokenLink.revision}` : ''}`);
  return same ? 0 : 1;
}

/** `import`: an export read back into the data directory's store (or --eventstore's). */
async function importExport(dataDir: string, values: Options, io: CliIo): Promise<number> {
  if (!values.from) {
    io.err(`import needs --from FILE (an export)\n\n${USAGE}`);
    return 2;
  }
  const url = values.eventstore ?? io.env.LEDGER_EVENTSTORE_URL;
  const target = targetStore(dataDir, url);
  try {
    return await copyVerified(exportedEvents(resolve(values.from)), target, url ? undefined : dataDir, io);
  } finally {
    await target.close();
  }
}

/**
 * `migrate --to URL`: the data directory's log and refusal log into a cluster; `migrate --from URL`: a cluster's
 * into the data directory (new, or holding an interrupted run's copy). The Merkle tree and its checkpoints stay
 * in the data directory: the log keeps its order, so the same tree goes on over it on the other store.
 */
async function migrate(dataDir: string, values: Options, io: CliIo): Promise<number> {
  if (Boolean(values.to) === Boolean(values.from)) {
    io.err(`migrate needs --to URL (from the data directory into a cluster) or --from URL (back)\n\n${USAGE}`);
    return 2;
  }
  const toCluster = Boolean(values.to);
  if (toCluster && !existsSync(join(dataDir, 'events.sqlite'))) {
    io.err(`no ledger in ${dataDir} (no events.sqlite); give --data-dir`);
    return 2;
  }
  const cluster = new EventStoreDbEventStore({ connection: (values.to ?? values.from) as string });
  const local = targetStore(dataDir, undefined);
  const refusals: RefusalLog[] = [new SqliteRefusalLog(join(dataDir, 'refusals.sqlite')), new EventStoreDbRefusalLog(cluster)];
  const [fromRefusals, toRefusals] = toCluster ? refusals : [refusals[1], refusals[0]];
  try {
    const copied = await copyVerified(eventsOf(toCluster ? local : cluster), toCluster ? cluster : local, toCluster ? undefined : dataDir, io);
    if (copied !== 0) return copied;
    io.out(`ok: ${await copyRefusals(fromRefusals, toRefusals)} refusals copied`);
    return 0;
  } finally {
    await Promise.all(refusals.map((log) => log.close()));
    await Promise.all([cluster.close(), local.close()]);
  }
}

/** `backup`: the data directory's log, refusals and checkpoints, as one verified file. */
async function backup(dataDir: string, values: Options, io: CliIo): Promise<number> {
  if (!values.to) {
    io.err(`backup needs --to FILE\n\n${USAGE}`);
    return 2;
  }
  const { file, manifest, seconds } = await backupDataDir(dataDir, resolve(values.to));
  if (values.json) io.out(JSON.stringify({ ok: true, file, seconds, ...manifest }));
  else {
    io.out(`ok: ${manifest.events} events up to ${manifest.position ?? 'the empty log'} backed up to ${file} (${seconds.toFixed(2)} s)`);
    io.out(`digest: ${manifest.digest} (a restore must give the same)`);
  }
  return 0;
}

/**
 * `restore`: unpacks a backup beside the target, checks its files against the manifest, verifies the log there
 * as `verify` does (its digest must be the backup's; against a kept checkpoint with --since and --key), and only
 * then moves it into place.
 */
async function restore(dataDir: string, values: Options, io: CliIo): Promise<number> {
  if (!values.from || !values['data-dir']) {
    io.err(`restore needs --from FILE and --data-dir DIR\n\n${USAGE}`);
    return 2;
  }
  const { dir, manifest } = await unpackBackup(resolve(values.from), dataDir);
  let verified: number;
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  try {
    verified = await verify(store, dir, { ...values, at: undefined, 'expect-digest': manifest.digest }, io);
  } finally {
    await store.close();
  }
  if (verified !== 0) {
    rmSync(dir, { recursive: true, force: true });
    io.out(`not restored: the log in ${values.from} does not verify as the backup recorded it`);
    return 1;
  }
  moveIntoPlace(dir, dataDir);
  io.out(`restored ${manifest.events} events (backed up ${manifest.createdAt}) into ${dataDir}; the service started on it rebuilds its read models`);
  return 0;
}

/** `verify-proof`: no store, only the files and the key. */
function verifyProofFile(file: string | undefined, values: Options, io: CliIo): number {
  if (!file || !values.key) {
    io.err(`verify-proof needs --key and a proof file\n\n${USAGE}`);
    return 2;
  }
  const read = (path: string) => readFileSync(path, 'utf8');
  let verdict: ProofVerdict;
  try {
    verdict = checkProof(JSON.parse(read(file)), {
      key: verifierKeyOf(values.key),
      checkpoint: values.checkpoint && read(values.checkpoint),
      oldCheckpoint: values['old-checkpoint'] && read(values['old-checkpoint']),
      origin: values.origin,
    });
  } catch (error) {
    io.err(`cannot check ${file}: ${(error as Error).message}`);
    return 2;
  }
  if (values.json) io.out(JSON.stringify(verdict));
  else for (const line of verdict.lines) io.out(line);
  return verdict.ok ? 0 : 1;
}

function progress(io: CliIo, label: string): (count: number) => void {
  if (!io.interactive) return () => undefined;
  return (count) => io.err(`\r${label}: ${count.toLocaleString('en')} events`);
}

/** A verifier key given on the command line, or `@file` holding one. */
function verifierKeyOf(value: string): string {
  return value.startsWith('@') ? readFileSync(value.slice(1), 'utf8').trim() : value;
}

/** The checkpoint `verify` holds the log to, and the tree that can name what it misses. */
interface Against {
  readonly checkpoint: Checkpoint;
  /** The auditor's own note (`--since`), or the latest the service recorded. */
  readonly kept: boolean;
  readonly tree?: MerkleLog;
}

/**
 * The checkpoint to verify against: the note given with --since, else the latest in the data directory's
 * Merkle log; its signature checked with --key, else with the data directory's signing key. A number is an
 * exit code: a usage error (2), or a checkpoint whose signature fails (1, said on the way).
 */
function checkpointToVerify(dataDir: string, values: Options, io: CliIo): Against | undefined | number {
  const treeFile = join(dataDir, 'merkle.sqlite');
  const tree = existsSync(treeFile) ? new MerkleLog(treeFile) : undefined;
  const fail = (code: number, line: string) => {
    tree?.close();
    (code === 2 ? io.err : io.out)(line);
    return code;
  };
  if (values.since && values.at) return fail(2, `--since and --at cannot be given together: --since checks the whole log\n\n${USAGE}`);
  let note: string | undefined;
  try {
    note = values.since ? readFileSync(values.since, 'utf8') : values.at ? undefined : tree?.checkpoint()?.note;
  } catch (error) {
    return fail(2, `cannot read ${values.since}: ${(error as Error).message}`);
  }
  if (!note) {
    tree?.close();
    return undefined;
  }
  const keyFile = io.env.LEDGER_CHECKPOINT_KEY_FILE ?? join(dataDir, 'checkpoint-key.pem');
  if (!values.key && (values.since || !existsSync(keyFile))) {
    if (values.since) return fail(2, `verify --since needs the log's verifier key: give --key (or @file)\n\n${USAGE}`);
    tree?.close();
    return undefined;
  }
  let key: string;
  try {
    key = values.key ? verifierKeyOf(values.key) : noteSigner(note.split('\n')[0], readFileSync(keyFile, 'utf8')).verifierKey;
  } catch (error) {
    return fail(2, `cannot read the verifier key: ${(error as Error).message}`);
  }
  try {
    return { checkpoint: openCheckpoint(note, key, values.origin), kept: Boolean(values.since), tree };
  } catch (error) {
    if (!(error instanceof CheckpointRejected)) throw error;
    return fail(1, `CHECKPOINT REJECTED: ${error.message}`);
  }
}

async function verify(store: EventStore, dataDir: string, values: Options, io: CliIo): Promise<number> {
  const against = checkpointToVerify(dataDir, values, io);
  if (typeof against === 'number') return against;
  const audit = against && new CheckpointAudit(against.checkpoint, against.tree);
  const started = Date.now();
  const upTo = values.at ? decodePositionToken(values.at) : undefined;
  let report: VerifyReport;
  try {
    // The SQLite file is verified as stored, across the cores; any other store through its port.
    report = store instanceof SqliteEventStore
      ? await verifyStoredLog(join(dataDir, 'events.sqlite'), { upTo, onProgress: progress(io, 'verify'), observe: audit && ((event) => audit.add(event)) })
      : await verifyLog(store, { upTo, onProgress: progress(io, 'verify'), observe: audit && ((event) => audit.add({ id: event.id, ...leafOf(event) })) });
  } catch (error) {
    // A damaged file is a finding about the log, not a usage error.
    if (!(error instanceof EventStoreUnavailableError && error.reason === 'corrupt')) throw error;
    if (values.json) io.out(JSON.stringify({ ok: false, damaged: error.message }));
    else io.out(`BROKEN: the log's file is damaged and cannot be read through: ${error.message}`);
    return 1;
  } finally {
    against?.tree?.close();
  }
  const seconds = (Date.now() - started) / 1000;
  const covered = audit?.finish();
  const digestMatches = values['expect-digest'] === undefined || values['expect-digest'] === report.digest;
  const ok = !report.brokenLink && digestMatches && (covered?.ok ?? true) && report.staleReads.count === 0;
  if (io.interactive) io.err('\n');
  if (values.json) {
    io.out(JSON.stringify({
      ok, eventsChecked: report.eventsChecked, streams: report.streams, seconds,
      position: report.position && encodePositionToken(report.position), digest: report.digest, digestMatches,
      brokenLink: report.brokenLink && { ...report.brokenLink, revision: report.brokenLink.revision.toString() },
      staleReads: report.staleReads,
      checkpoint: covered && against && { origin: against.checkpoint.origin, kept: against.kept, ...covered },
    }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
    return ok ? 0 : 1;
  }
  if (report.brokenLink) {
    const { stream, revision, eventId, reason } = report.brokenLink;
    io.out(`BROKEN: stream ${stream}, revision ${revision} (event ${eventId}): ${reason}`);
    io.out(`checked ${report.eventsChecked} events before it`);
  } else {
    io.out(`ok: ${report.eventsChecked} events in ${report.streams} streams, every chain intact (${seconds.toFixed(2)} s)`);
    io.out(`digest as of ${report.position ? encodePositionToken(report.position) : 'the empty log'}: ${report.digest}`);
    if (!digestMatches) io.out(`DIGEST MISMATCH: expected ${values['expect-digest']}; the history up to there was rewritten`);
  }
  for (const { stream, revision, eventId, read, actual } of report.staleReads.first) {
    io.out(`STALE READ: stream ${stream}, revision ${revision} (event ${eventId}) was decided on ${read.stream} at revision ${read.revision}, which was at ${actual} there`);
  }
  if (report.staleReads.count > report.staleReads.first.length) io.out(`… and ${report.staleReads.count - report.staleReads.first.length} more stale reads`);
  if (covered && against) for (const line of checkpointLines(covered, against)) io.out(line);
  else if (!values.at) io.out('not held to a signed checkpoint: none in the data directory, or no key to check it (give --since NOTE --key VKEY)');
  return ok ? 0 : 1;
}

const SHOWN = 20;

/** What `verify` says about the checkpoint: that the log holds it, or what is missing, changed or added. */
function checkpointLines(covered: CheckpointReport, against: Against): string[] {
  const which = `the ${against.kept ? 'kept' : 'latest signed'} checkpoint (${against.checkpoint.origin}, tree size ${covered.size})`;
  if (covered.ok) return [`ok: the log holds every event of ${which}, as signed`];
  if (!covered.named) {
    return [covered.missingCount > 0
      ? `MISSING: ${which} covers ${covered.size} events, the log holds only ${covered.size - covered.missingCount} (the tree that would name them is not in the data directory)`
      : `REWRITTEN: the log's first ${covered.size} events do not hash to the root of ${which}`];
  }
  const lines: string[] = [];
  if (covered.missingCount > 0) {
    lines.push(`MISSING: ${covered.missingCount} of the ${covered.size} events of ${which} are not in the log:`);
    for (const run of covered.missing.slice(0, SHOWN)) {
      const revisions = run.fromRevision === run.toRevision ? `revision ${run.fromRevision}` : `revisions ${run.fromRevision}–${run.toRevision}`;
      lines.push(`  ${run.stream}: ${revisions} (${run.count} event${run.count === 1 ? '' : 's'})`);
    }
    if (covered.missing.length > SHOWN) lines.push(`  … and ${covered.missing.length - SHOWN} more streams`);
    if (covered.tailFrom !== undefined) lines.push(`  the log's tail is gone: every event from leaf ${covered.tailFrom} to the checkpoint's last (${covered.size - 1})`);
  }
  for (const entry of covered.changed.slice(0, SHOWN)) lines.push(`CHANGED: ${entry.stream} revision ${entry.revision} is not the event ${which} committed to`);
  for (const entry of covered.added.slice(0, SHOWN)) lines.push(`ADDED: ${entry.stream} revision ${entry.revision} is in the log where ${which} has no such event`);
  return lines;
}

async function replay(store: EventStore, dataDir: string, values: Options, io: CliIo): Promise<number> {
  const liveFile = join(dataDir, 'read-models.sqlite');
  if (!existsSync(liveFile)) {
    io.err(`no read models in ${dataDir} (no read-models.sqlite): nothing to compare a replay with; the service builds them when it starts`);
    return 2;
  }
  const live = new ReadModelStore(liveFile);
  const checkpoint = live.checkpoint();
  const scratchFile = join(dataDir, 'read-models.replay.sqlite');
  try {
    // Replays exactly as far as the live copy has got, so a running service does not make a difference.
    await buildReadModels(store, scratchFile, {
      upTo: checkpoint?.position ?? { commit: -1n, prepare: -1n }, onProgress: progress(io, 'replay'),
    });
    if (io.interactive) io.err('\n');
    const scratch = new ReadModelStore(scratchFile);
    const differences = compareDumps([...live.dump()], [...scratch.dump()]);
    scratch.close();
    if (values.json) {
      io.out(JSON.stringify({ ok: differences.length === 0, position: checkpoint && encodePositionToken(checkpoint.position), differences }));
    } else if (differences.length === 0) {
      io.out(`ok: the live read models equal a replay of the log up to ${checkpoint ? encodePositionToken(checkpoint.position) : 'the start'}`);
    } else {
      io.out(`${differences.length} difference(s) between the live read models and a replay:`);
      for (const d of differences) io.out(`  ${d.table} ${d.key}: live ${d.live ?? '(missing)'} | replay ${d.replay ?? '(missing)'}`);
    }
    return differences.length === 0 ? 0 : 1;
  } finally {
    live.close();
    removeDatabase(scratchFile);
  }
}

interface Difference {
  readonly table: string;
  readonly key: string;
  readonly live?: string;
  readonly replay?: string;
}

/** Rows of two dumps by table and key (the row's identifying columns), those that differ. */
function compareDumps(live: string[], replay: string[]): Difference[] {
  const index = (lines: string[]) => new Map(lines.map((line) => {
    const space = line.indexOf(' ');
    const table = line.slice(0, space);
    const row = JSON.parse(line.slice(space + 1)) as Record<string, unknown>;
    const key = ['customer_id', 'partner_id', 'role', 'kind', 'ref_id', 'events_applied', 'id'].filter((k) => k in row).map((k) => String(row[k])).join('/');
    return [`${table} ${key}`, line.slice(space + 1)] as const;
  }));
  const a = index(live);
  const b = index(replay);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((k) => a.get(k) !== b.get(k)).map((k) => {
    const [table, key] = [k.slice(0, k.indexOf(' ')), k.slice(k.indexOf(' ') + 1)];
    return { table, key, live: a.get(k), replay: b.get(k) };
  });
}

function eventLine(event: RecordedEvent): string {
  return JSON.stringify({
    position: encodePositionToken(event.position), stream: event.stream, revision: event.revision.toString(), id: event.id,
    type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata,
  });
}

async function exportEvents(store: EventStore, customerId: string | undefined, io: CliIo): Promise<number> {
  if (customerId) {
    for (const event of await store.readStream(`customer-${customerId}`)) io.out(eventLine(event));
    return 0;
  }
  const tick = progress(io, 'export');
  let count = 0;
  for await (const event of eventsOf(store)) {
    io.out(eventLine(event));
    if ((count += 1) % 2000 === 0) tick(count);
  }
  return 0;
}

async function history(store: EventStore, customerId: string, values: Options, io: CliIo): Promise<number> {
  const events = await store.readStream(`customer-${customerId}`);
  if (events.length === 0) {
    io.err(`no customer ${customerId} in the log`);
    return 1;
  }
  for (const event of events) {
    if (values.json) {
      io.out(eventLine(event));
      continue;
    }
    const m = event.metadata as { recordedAt?: string; actor?: { kind: string; id: string }; client?: string; commandId?: string };
    io.out(`${m.recordedAt ?? '?'}  #${event.revision}  ${event.type.padEnd(22)}  by ${m.actor?.kind}:${m.actor?.id} via ${m.client} ` +
      `(command ${m.commandId})  ${JSON.stringify(event.data)}`);
  }
  return 0;
}
