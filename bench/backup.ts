/**
 * Backup, restore and import benchmark (not a test): `ledger backup`, `ledger restore`, and `ledger import` of the
 * data directory's export, in events/s.
 *
 *   npm run bench:generate -- /tmp/history        # about 1.1 million events
 *   npm run bench:backup -- /tmp/history
 *
 * The backup copies, verifies and archives; the restore unpacks, checks the files, verifies the log again and
 * moves it into place; the import reads the NDJSON export, checks every chain on the way, appends (256 in
 * flight) and verifies the copy. All run as the CLI runs them, in this process.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli } from '../apps/ledger-cli/src/ledger-cli';

async function timed(label: string, argv: string[], print?: (line: string) => void): Promise<{ seconds: number; out: string[] }> {
  const out: string[] = [];
  const started = performance.now();
  const code = await runCli(argv, { out: print ?? ((line) => out.push(line)), err: (line) => out.push(line), interactive: false, env: {} });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${label} failed (exit ${code}):\n${out.join('\n')}`);
  return { seconds, out };
}

async function main(): Promise<void> {
  const [dirArg] = process.argv.slice(2);
  if (!dirArg) throw new Error('usage: backup <data-dir>');
  const dataDir = resolve(dirArg);
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-bench-backup-'));
  try {
    const file = join(scratch, 'ledger.tar');
    const backup = await timed('backup', ['backup', '--data-dir', dataDir, '--to', file, '--json']);
    const { events } = JSON.parse(backup.out[0]) as { events: number };
    const restore = await timed('restore', ['restore', '--from', file, '--data-dir', join(scratch, 'restored')]);
    const megabytes = statSync(file).size / 1e6;
    const exportFile = join(scratch, 'export.ndjson');
    const exportStream = createWriteStream(exportFile);
    await timed('export', ['export', '--data-dir', dataDir], (line) => exportStream.write(`${line}\n`));
    await new Promise((resolve) => exportStream.end(resolve));
    const imported = await timed('import', ['import', '--from', exportFile, '--data-dir', join(scratch, 'imported')]);
    console.log(`${events} events, backup file ${megabytes.toFixed(0)} MB, export ${(statSync(exportFile).size / 1e6).toFixed(0)} MB; node ${process.version}`);
    console.log(`backup:  ${backup.seconds.toFixed(2)} s = ${Math.round(events / backup.seconds)} events/s (copy, verify, archive)`);
    console.log(`restore: ${restore.seconds.toFixed(2)} s = ${Math.round(events / restore.seconds)} events/s (unpack, check, verify, move)`);
    console.log(`import:  ${imported.seconds.toFixed(2)} s = ${Math.round(events / imported.seconds)} events/s (read the export, check chains, append, verify)`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
