import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Database } from '@ledger/event-store';
import request from 'supertest';
import { chainEvents, chainHeadOf, hashedForm, SqliteEventStore } from '@ledger/event-store';
import { ReadSide } from '@ledger/read-models';
import { TestLedger, TOKENS } from './support/test-ledger';
import { inviteThroughReseller, ledgerCommand } from './support/ledger-command';

/** Runs `use` on a data directory holding a consistent copy of `dataDir`'s log, removed afterwards. */
async function withCopyOfLog(dataDir: string, use: (copyDir: string) => Promise<void>): Promise<void> {
  const copyDir = mkdtempSync(join(tmpdir(), 'ledger-copy-'));
  try {
    const source = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    source.prepare('VACUUM INTO ?').run(join(copyDir, 'events.sqlite'));
    source.close();
    await use(copyDir);
  } finally {
    rmSync(copyDir, { recursive: true, force: true });
  }
}

describe('the ledger command', () => {
  let dataDir: string;

  beforeAll(async () => {
    const ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    await inviteThroughReseller(ledger);
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

  it('replay refuses a data directory with no read models (exit 2) rather than report it equal', async () => {
    await withCopyOfLog(dataDir, async (copyDir) => {
      const replay = await ledgerCommand('replay', '--data-dir', copyDir);
      expect(replay).toMatchObject({ code: 2, out: [] });
      expect(replay.err.join('\n')).toContain(`no read models in ${copyDir}`);
    });
  });

  it('verify names a decision recorded on a partner revision older than the partner had there (exit 1), with the chains intact', async () => {
    await withCopyOfLog(dataDir, async (copyDir) => {
      // What no append through the ledger can record: the store checks the reads it is given, so these are only written.
      const store = new SqliteEventStore({ file: join(copyDir, 'events.sqlite') });
      const stream = 'customer-contoso';
      const history = await store.readStream(stream);
      const head = chainHeadOf(history[history.length - 1]);
      const [stale] = chainEvents(stream, head, [{ ...history[1], id: 'a0c3e3c4-7c1e-4f55-9d55-4b0d3f6f1a01', metadata: { ...history[1].metadata, reads: { 'partner-adatum': '0' } } }]);
      await store.appendToStream(stream, [stale], { expectedRevision: head!.revision });
      await store.close();

      const verified = await ledgerCommand('verify', '--data-dir', copyDir);
      expect(verified.code).toBe(1);
      expect(verified.out[0]).toMatch(/^ok: 8 events in 3 streams, every chain intact/);
      expect(verified.out).toContainEqual(expect.stringMatching(
        /^STALE READ: stream customer-contoso, revision 4 \(event a0c3e3c4-.*\) was decided on partner-adatum at revision 0, which was at 1 there$/));
    });
  });

  it('verify passes an intact log, then names the event one changed byte altered, with a non-zero exit', async () => {
    const intact = await ledgerCommand('verify', '--data-dir', dataDir, '--json');
    expect(intact.code).toBe(0);
    const { digest } = JSON.parse(intact.out[0]) as { digest: string };

    const db = new Database(join(dataDir, 'events.sqlite'));
    db.prepare("UPDATE events SET hashed = replace(hashed, 'Helpdesk', 'Helpdusk') WHERE stream = 'customer-contoso' AND revision = 3").run();
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
    await withCopyOfLog(dataDir, async (damagedDir) => {
      const file = join(damagedDir, 'events.sqlite');
      const bytes = readFileSync(file);
      const pageSize = bytes.readUInt16BE(16);
      bytes.fill(0xa5, pageSize, bytes.length); // every page but the first (the schema) overwritten
      writeFileSync(file, bytes);
      const damaged = await ledgerCommand('verify', '--data-dir', damagedDir);
      expect(damaged).toMatchObject({ code: 1, out: [expect.stringMatching(/^BROKEN: the log's file is damaged/)] });
    });
  });

  it('answers a usage error with exit 2', async () => {
    expect((await ledgerCommand('teleport')).code).toBe(2);
    expect((await ledgerCommand('verify', '--data-dir', '/nonexistent')).code).toBe(2);
    expect((await ledgerCommand('history', '--data-dir', dataDir)).code).toBe(2);
  });
});

describe('ledger verify against a signed checkpoint', () => {
  let signedDir: string;
  let scratch: string;
  let key = '';
  let keptNote = '';
  let copies = 0;
  /** A copy of the signed data directory, changed by hand as someone with write access to the files might. */
  const copy = (change?: (events: BetterSqlite3.Database) => void) => {
    const dir = join(scratch, `copy-${(copies += 1)}`);
    cpSync(signedDir, dir, { recursive: true });
    if (change) {
      const db = new Database(join(dir, 'events.sqlite'));
      change(db);
      db.close();
    }
    return dir;
  };

  beforeAll(async () => {
    const ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    for (const id of ['adatum', 'fabrikam']) {
      await ledger.command('/partners', { partnerId: id, name: id, program: 'direct-bill', cloud: 'global' }).expect(201);
    }
    for (const id of ['contoso', 'northwind']) {
      await ledger.command('/customers', { customerId: id, name: id, cloud: 'global' }).expect(201);
      await ledger.command(`/customers/${id}/subscriptions`, { subscriptionId: `${id}-s1`, kind: 'usage', channel: 'microsoft' }).expect(201);
    }
    const signed = await request(ledger.app.getHttpServer()).post('/audit/checkpoints').set('Authorization', `Bearer ${TOKENS.auditOnly}`).expect(201);
    expect(signed.body.treeSize).toBe(6);
    keptNote = signed.body.note;
    key = (await request(ledger.app.getHttpServer()).get('/audit/checkpoint/key').expect(200)).body.verifierKey;
    // An event after the checkpoint: the log may grow past what was signed.
    await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 'contoso-s2', kind: 'usage', channel: 'microsoft' }).expect(201);
    await ledger.stop();
    signedDir = ledger.dataDir;
    scratch = mkdtempSync(join(tmpdir(), 'ledger-verify-'));
  });

  afterAll(() => {
    rmSync(signedDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('finds the log holding every event of the latest signed checkpoint, and of a kept note checked with the key', async () => {
    const latest = await ledgerCommand('verify', '--data-dir', signedDir);
    expect(latest.code).toBe(0);
    expect(latest.out[2]).toMatch(/^ok: the log holds every event of the latest signed checkpoint \(relationship-ledger\/[0-9a-f]{16}, tree size 6\), as signed$/);
    const kept = await ledgerCommand('verify', '--data-dir', signedDir, '--since', join(scratch, 'kept.note'), '--key', key);
    expect(kept.code).toBe(2); // the note is not written yet: a usage error
    writeFileSync(join(scratch, 'kept.note'), keptNote);
    expect(await ledgerCommand('verify', '--data-dir', signedDir, '--since', join(scratch, 'kept.note'), '--key', key))
      .toMatchObject({ code: 0, out: [expect.anything(), expect.anything(), expect.stringMatching(/^ok: the log holds every event of the kept checkpoint/)] });
  });

  it('names the events missing when the tail of the log is deleted, though every chain left is intact', async () => {
    const dir = copy((db) => db.prepare('DELETE FROM events WHERE position > (SELECT max(position) - 3 FROM events)').run());
    const verified = await ledgerCommand('verify', '--data-dir', dir);
    expect(verified.code).toBe(1);
    expect(verified.out[0]).toMatch(/^ok: 4 events in 3 streams, every chain intact/);
    expect(verified.out.slice(2)).toEqual([
      expect.stringMatching(/^MISSING: 2 of the 6 events of the latest signed checkpoint .* are not in the log:$/),
      '  customer-northwind: revisions 0–1 (2 events)',
      '  the log\'s tail is gone: every event from leaf 4 to the checkpoint\'s last (5)',
    ]);
  });

  it('names a whole stream deleted, and one rewritten with its chain recomputed', async () => {
    const deleted = await ledgerCommand('verify', '--data-dir', copy((db) => db.prepare("DELETE FROM events WHERE stream = 'partner-fabrikam'").run()));
    expect(deleted.code).toBe(1);
    expect(deleted.out.slice(2)).toEqual([expect.stringMatching(/^MISSING: 1 of the 6 events/), '  partner-fabrikam: revision 0 (1 event)']);

    // Rewritten by someone who knows the chaining: every chain checks out, the checkpoint does not.
    const rewritten = copy((db) => {
      const rows = db.prepare("SELECT position, hashed FROM events WHERE stream = 'customer-contoso' ORDER BY revision").all() as Array<{ position: number; hashed: string }>;
      const events = rows.map((row) => {
        const form = JSON.parse(row.hashed.replace('contoso', 'Contoso Ltd')) as { type: string; schemaVersion: number; data: unknown; metadata: Record<string, unknown> };
        return { id: '', ...form };
      });
      chainEvents('customer-contoso', undefined, events).forEach((event, i) => {
        db.prepare('UPDATE events SET hashed = ?, hash = ? WHERE position = ?')
          .run(hashedForm('customer-contoso', BigInt(i), event), event.metadata.hash, rows[i].position);
      });
    });
    const changed = await ledgerCommand('verify', '--data-dir', rewritten);
    expect(changed.code).toBe(1);
    expect(changed.out[0]).toMatch(/every chain intact/);
    expect(changed.out.slice(2)).toEqual([
      expect.stringMatching(/^CHANGED: customer-contoso revision 0 is not the event the latest signed checkpoint/),
      expect.stringMatching(/^CHANGED: customer-contoso revision 1 /),
    ]);
  });

  it('with only a kept note (the tree gone too), still finds a log that lost events or was rewritten', async () => {
    writeFileSync(join(scratch, 'kept.note'), keptNote);
    const since = ['--since', join(scratch, 'kept.note'), '--key', key];
    const truncated = copy((db) => db.prepare("DELETE FROM events WHERE stream = 'partner-adatum'").run());
    rmSync(join(truncated, 'merkle.sqlite'));
    expect(await ledgerCommand('verify', '--data-dir', truncated, ...since)).toMatchObject({
      code: 1, out: [expect.anything(), expect.anything(), expect.stringMatching(/^REWRITTEN: the log's first 6 events do not hash to the root of the kept checkpoint/)],
    });
    const emptied = copy((db) => db.prepare('DELETE FROM events WHERE position > 2').run());
    rmSync(join(emptied, 'merkle.sqlite'));
    expect(await ledgerCommand('verify', '--data-dir', emptied, ...since)).toMatchObject({
      code: 1, out: [expect.anything(), expect.anything(), expect.stringMatching(/^MISSING: the kept checkpoint .* covers 6 events, the log holds only 2/)],
    });
  });

  it('refuses a kept note that another key signed, or one altered (exit 1), and --since without a key (exit 2)', async () => {
    const forged = keptNote.replace('\n6\n', '\n5\n');
    writeFileSync(join(scratch, 'forged.note'), forged);
    expect(await ledgerCommand('verify', '--data-dir', signedDir, '--since', join(scratch, 'forged.note'), '--key', key))
      .toMatchObject({ code: 1, out: [expect.stringMatching(/^CHECKPOINT REJECTED/)] });
    writeFileSync(join(scratch, 'kept.note'), keptNote);
    const other = 'relationship-ledger/0000000000000000+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect((await ledgerCommand('verify', '--data-dir', signedDir, '--since', join(scratch, 'kept.note'), '--key', other)).code).toBe(1);
    expect((await ledgerCommand('verify', '--data-dir', signedDir, '--since', join(scratch, 'kept.note'))).code).toBe(2);
  });
});
