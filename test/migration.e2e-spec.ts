import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@ledger/event-store';
import request from 'supertest';
import { SqliteEventStore, SqliteRefusalLog, verifyStoredLog } from '@ledger/event-store';
import { writeHistory } from '../libs/read-models/src/testing/history-generator';
import { Transparency } from '../apps/ledger/src/audit/transparency';
import { EventStoreDbTestServer } from './support/eventstoredb/test-server';
import { TestLedger, TOKENS } from './support/test-ledger';
import { inviteThroughReseller, ledgerCommand } from './support/ledger-command';

const eventCount = (file: string): number => {
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } catch {
    return 0; // the schema is not there yet
  } finally {
    db.close();
  }
};

describe('ledger import, killed mid-way and run again', () => {
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ledger-import-'));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('ends with every event once, the source’s digest, and the events the first run copied left as they were', async () => {
    const sourceDir = join(scratch, 'source');
    mkdirSync(sourceDir);
    const source = new SqliteEventStore({ file: join(sourceDir, 'events.sqlite') });
    const total = await writeHistory(source, { customers: 3000, partners: 60 }, 64);
    await source.close();
    const exported = await ledgerCommand('export', '--data-dir', sourceDir);
    const file = join(scratch, 'export.ndjson');
    writeFileSync(file, `${exported.out.join('\n')}\n`);

    const target = join(scratch, 'target');
    const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register',
      'apps/ledger-cli/src/main.ts', 'import', '--from', file, '--data-dir', target], { cwd: join(__dirname, '..'), stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    while (eventCount(join(target, 'events.sqlite')) < 2000) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const copiedBefore = eventCount(join(target, 'events.sqlite'));
    expect(copiedBefore).toBeLessThan(total);

    const resumed = await ledgerCommand('import', '--from', file, '--data-dir', target);
    expect(resumed.err).toEqual([]);
    expect(resumed.code).toBe(0);
    expect(resumed.out[0]).toMatch(new RegExp(`^ok: copied ${total - copiedBefore} events after the ${copiedBefore} an earlier run copied`));
    expect(eventCount(join(target, 'events.sqlite'))).toBe(total);
    const [sourceReport, targetReport] = await Promise.all([verifyStoredLog(join(sourceDir, 'events.sqlite')), verifyStoredLog(join(target, 'events.sqlite'))]);
    expect(targetReport).toMatchObject({ brokenLink: undefined, eventsChecked: total, digest: sourceReport.digest });

    // A third run finds everything there and copies nothing.
    expect((await ledgerCommand('import', '--from', file, '--data-dir', target)).out[0]).toMatch(/^ok: copied 0 events after the \d+ an earlier run copied/);
  }, 120_000);

  it.each([
    ['whose last event is not in the source', { customers: 5, partners: 2 }, true, /is not in the source/],
    // The generator derives ids from command numbers: another history has events of the same ids, other content.
    ['whose last event has an id the source has, with other content', { customers: 5, partners: 2, seed: 7 }, false, /holds another log/],
  ])('refuses a target that holds another log (%s), and changes nothing', async (_case, shape, foreignLast, message) => {
    const other = mkdtempSync(join(scratch, 'other-'));
    const store = new SqliteEventStore({ file: join(other, 'events.sqlite') });
    await writeHistory(store, shape, 8);
    if (foreignLast) await store.appendToStream('customer-elsewhere', [{ id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, data: {}, metadata: {} }],
      { expectedRevision: 'no-stream' });
    await store.close();
    const before = eventCount(join(other, 'events.sqlite'));
    const refused = await ledgerCommand('import', '--from', join(scratch, 'export.ndjson'), '--data-dir', other);
    expect(refused).toMatchObject({ code: 2, err: [expect.stringMatching(message)] });
    expect(eventCount(join(other, 'events.sqlite'))).toBe(before);
  });
});

describe('ledger migrate to an EventStoreDB cluster (the protocol-level test server) and back', () => {
  let server: EventStoreDbTestServer;
  let scratch: string;
  let dataDir: string;
  let keptSize: number;
  let verifierKey: string;

  beforeAll(async () => {
    server = await EventStoreDbTestServer.start();
    scratch = mkdtempSync(join(tmpdir(), 'ledger-migrate-'));
    const ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    dataDir = ledger.dataDir;
    await inviteThroughReseller(ledger);
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-2', partnerId: 'nobody' }, { actor: 'partner:nobody', key: 'refused-1' })
      .expect(404);
    const kept = await ledger.app.get(Transparency).checkpoint();
    keptSize = kept.size;
    writeFileSync(join(scratch, 'kept.note'), kept.note);
    verifierKey = (await request(ledger.app.getHttpServer()).get('/audit/checkpoint/key').expect(200)).body.verifierKey as string;
    await ledger.stop();
  });

  afterAll(async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops with exit 1 while the cluster is down, saying the same command goes on from there', async () => {
    await server.stop();
    try {
      const stopped = await ledgerCommand('migrate', '--to', server.connectionString, '--data-dir', dataDir);
      expect(stopped).toMatchObject({ code: 1, err: [expect.stringMatching(/^migrate stopped: .*the same command run again goes on from there$/)] });
    } finally {
      await server.restart();
    }
  });

  it('copies the log and the refusals there with the same digest, and a second run copies nothing', async () => {
    const there = await ledgerCommand('migrate', '--to', server.connectionString, '--data-dir', dataDir);
    expect(there.err).toEqual([]);
    expect(there.code).toBe(0);
    expect(there.out).toEqual([expect.stringMatching(/^ok: copied 5 events in .* digest (\w+); the target 5, digest \1$/), 'ok: 1 refusals copied']);
    const again = await ledgerCommand('migrate', '--to', server.connectionString, '--data-dir', dataDir);
    expect(again.out).toEqual([expect.stringMatching(/^ok: copied 0 events after the 5 an earlier run copied/), 'ok: 1 refusals copied']);
  });

  it('serves from the cluster with the same Merkle tree: the next checkpoint proves the kept one its prefix', async () => {
    const ledger = await TestLedger.start('2026-03-01T10:00:00.000Z', 'SQLite', dataDir, { eventStoreUrl: server.connectionString });
    try {
      // The refusal came across: its retry is answered from the cluster's refusal log.
      await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-2', partnerId: 'nobody' }, { actor: 'partner:nobody', key: 'refused-1' })
        .expect(404);
      await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 's1', kind: 'usage', channel: 'microsoft' }).expect(201);
      const later = await ledger.app.get(Transparency).checkpoint();
      expect(later.size).toBe(keptSize + 1);
      const proof = (await request(ledger.app.getHttpServer()).get(`/audit/proofs/consistency?from=${keptSize}`)
        .set('Authorization', `Bearer ${TOKENS.auditOnly}`).expect(200)).body as unknown;
      writeFileSync(join(scratch, 'consistency.json'), JSON.stringify(proof));
      expect(await ledgerCommand('verify-proof', '--key', verifierKey, '--old-checkpoint', join(scratch, 'kept.note'), join(scratch, 'consistency.json')))
        .toMatchObject({ code: 0, out: [expect.stringMatching(`only grew from tree size ${keptSize} to ${keptSize + 1}`)] });
    } finally {
      await ledger.stop();
    }
  });

  it('copies it back into a new data directory: the same digest, the refusals, and verify passes', async () => {
    const back = join(scratch, 'back');
    const copied = await ledgerCommand('migrate', '--from', server.connectionString, '--data-dir', back);
    expect(copied.err).toEqual([]);
    expect(copied.out).toEqual([expect.stringMatching(/^ok: copied 6 events in .* digest (\w+); the target 6, digest \1$/), 'ok: 1 refusals copied']);
    const refusals = new SqliteRefusalLog(join(back, 'refusals.sqlite'));
    expect(await refusals.find('test-admin', 'refused-1')).toMatchObject({ code: 'PARTNER_NOT_FOUND' });
    await refusals.close();
    expect((await ledgerCommand('verify', '--data-dir', back)).code).toBe(0);
  });
});
