import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ReadSide } from '@ledger/read-models';
import { runCli } from '../apps/ledger-cli/src/ledger-cli';
import { TestLedger } from './support/test-ledger';

/** Runs `ledger …` in-process and collects what it prints. */
async function ledgerCommand(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), interactive: false, env: {} });
  return { code, out, err };
}

describe('the ledger command', () => {
  let dataDir: string;

  beforeAll(async () => {
    const ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'fabrikam', name: 'Fabrikam', program: 'indirect-reseller', cloud: 'global' }).expect(201);
    await ledger.command('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'adatum', resellerId: 'fabrikam' },
      { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/invitations/inv-1/acceptance', undefined, { actor: 'customer:contoso' }).expect(201);
    await ledger.command('/customers/contoso/delegated-admin-grants',
      { grantId: 'g-1', partnerId: 'fabrikam', roles: ['Helpdesk Administrator'], endsAt: '2026-09-01T00:00:00Z' }, { actor: 'customer:contoso' })
      .expect(201);
    await ledger.app.get(ReadSide).waitFor((await ledger.store.headPosition())!, 5000);
    await ledger.stop();
    dataDir = ledger.dataDir;
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exports every event as NDJSON with metadata and hashes, and one customer’s history', async () => {
    const exported = await ledgerCommand('export', '--data-dir', dataDir);
    expect(exported.code).toBe(0);
    const lines = exported.out.map((line) => JSON.parse(line) as { stream: string; metadata: { hash: string; actor: unknown } });
    expect(lines).toHaveLength(7);
    expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l.metadata.hash))).toBe(true);
    const history = await ledgerCommand('history', 'contoso', '--data-dir', dataDir);
    expect(history.out).toHaveLength(4);
    expect(history.out[2]).toMatch(/RelationshipAccepted .* by customer:contoso via test-admin/);
  });

  it('replay finds the read models equal to the log, then exactly the one row altered by hand', async () => {
    expect(await ledgerCommand('replay', '--data-dir', dataDir)).toMatchObject({ code: 0, out: [expect.stringMatching(/^ok/)] });

    const db = new Database(join(dataDir, 'read-models.sqlite'));
    db.prepare("UPDATE customer_links SET ends_at = '2099-01-01T00:00:00.000Z' WHERE role = 'delegated-admin'").run();
    db.close();
    const replay = await ledgerCommand('replay', '--data-dir', dataDir, '--json');
    expect(replay.code).toBe(1);
    const report = JSON.parse(replay.out[0]) as { differences: Array<{ table: string; key: string }> };
    expect(report.differences.map((d) => [d.table, d.key])).toEqual([['customer_links', 'contoso/fabrikam/delegated-admin/g-1']]);
  });

  it('verify passes an intact log, then names the event one changed byte altered, with a non-zero exit', async () => {
    const intact = await ledgerCommand('verify', '--data-dir', dataDir, '--json');
    expect(intact.code).toBe(0);
    const { digest } = JSON.parse(intact.out[0]) as { digest: string };

    const db = new Database(join(dataDir, 'events.sqlite'));
    db.prepare("UPDATE events SET data = replace(data, 'Helpdesk', 'Helpdusk') WHERE stream = 'customer-contoso' AND revision = 3").run();
    db.close();
    const broken = await ledgerCommand('verify', '--data-dir', dataDir);
    expect(broken.code).toBe(1);
    expect(broken.out[0]).toMatch(/^BROKEN: stream customer-contoso, revision 3 .*altered/);

    // The command as an operator runs it: its exit status says so too.
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register',
      'apps/ledger-cli/src/main.ts', 'verify', '--data-dir', dataDir, '--expect-digest', digest], { cwd: join(__dirname, '..'), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/BROKEN: stream customer-contoso, revision 3/);
  });

  it('verify reports a damaged page of the log as a finding (exit 1), not a usage error', async () => {
    const damagedDir = mkdtempSync(join(tmpdir(), 'ledger-damaged-'));
    try {
      const source = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
      source.prepare('VACUUM INTO ?').run(join(damagedDir, 'events.sqlite'));
      source.close();
      const file = join(damagedDir, 'events.sqlite');
      const bytes = readFileSync(file);
      const pageSize = bytes.readUInt16BE(16);
      bytes.fill(0xa5, pageSize, bytes.length); // every page but the first (the schema) overwritten
      writeFileSync(file, bytes);
      const damaged = await ledgerCommand('verify', '--data-dir', damagedDir);
      expect(damaged).toMatchObject({ code: 1, out: [expect.stringMatching(/^BROKEN: the log's file is damaged/)] });
    } finally {
      rmSync(damagedDir, { recursive: true, force: true });
    }
  });

  it('answers a usage error with exit 2', async () => {
    expect((await ledgerCommand('teleport')).code).toBe(2);
    expect((await ledgerCommand('verify', '--data-dir', '/nonexistent')).code).toBe(2);
    expect((await ledgerCommand('history', '--data-dir', dataDir)).code).toBe(2);
  });
});
