import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inviteThroughReseller } from './support/ledger-command';
import { TestLedger } from './support/test-ledger';

const ROOT = join(__dirname, '..');

/** Runs the `ledger` command as the image and `npx ledger` run it: the webpack bundle, not the sources. */
function builtLedger(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['bin/ledger.js', ...argv], { cwd: ROOT, encoding: 'utf8' });
}

/**
 * The bundle is another program than the sources: worker threads get no module paths from it (a bundled
 * `require.resolve` is a number). Verify, backup and restore all start workers; they run here as shipped.
 */
describe('the built ledger command', () => {
  let scratch: string;
  let dataDir: string;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['node_modules/@nestjs/cli/bin/nest.js', 'build', 'ledger-cli'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`nest build ledger-cli failed:\n${build.stdout}\n${build.stderr}`);
    scratch = mkdtempSync(join(tmpdir(), 'ledger-built-'));
    const ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    await inviteThroughReseller(ledger);
    await ledger.stop();
    dataDir = ledger.dataDir;
  }, 120_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('verifies the log, backs it up and restores the backup, each in its worker threads', () => {
    const verified = builtLedger('verify', '--data-dir', dataDir);
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(/^ok: 5 events in 3 streams, every chain intact/);

    const file = join(scratch, 'ledger.tar');
    expect(builtLedger('backup', '--data-dir', dataDir, '--to', file)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^ok: 5 events/) });
    expect(builtLedger('restore', '--from', file, '--data-dir', join(scratch, 'restored')))
      .toMatchObject({ status: 0, stdout: expect.stringMatching(/restored 5 events/) });
  });
});
