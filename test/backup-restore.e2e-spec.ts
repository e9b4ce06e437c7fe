import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@ledger/event-store';
import request from 'supertest';
import * as tar from 'tar';
import { backupDataDir, type BackupManifest, decodePositionToken, SqliteEventStore, verifyLog } from '@ledger/event-store';
import { Transparency } from '../apps/ledger/src/audit/transparency';
import { LEDGER_CONFIG } from '../apps/ledger/src/config/config.token';
import { TestLedger, TOKENS } from './support/test-ledger';
import { ledgerCommand } from './support/ledger-command';

describe('a backup taken while 32 clients write, restored into a new directory', () => {
  let ledger: TestLedger;
  let scratch: string;
  let manifest: BackupManifest;
  const acknowledged: Array<{ key: string; position: string }> = [];
  let backupFile: string;
  let verifierKey: string;
  let answeredDuringBackup = 0;

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    scratch = mkdtempSync(join(tmpdir(), 'ledger-backup-'));
    backupFile = join(scratch, 'backups', 'ledger.tar');
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'direct-bill', cloud: 'global' }).expect(201);
    verifierKey = (await request(ledger.app.getHttpServer()).get('/audit/checkpoint/key').expect(200)).body.verifierKey as string;

    // 32 clients register customers until told to stop; the backup starts once 300 commands were acknowledged.
    let stop = false;
    let started: () => void = () => undefined;
    const enough = new Promise<void>((resolve) => (started = resolve));
    const clients = Array.from({ length: 32 }, async (_, client) => {
      for (let n = 0; !stop; n += 1) {
        const key = `c${client}-${n}`;
        const response = await ledger.command('/customers', { customerId: key, name: key, cloud: 'global' }, { key });
        if (response.status !== 201) throw new Error(`${key}: ${response.status} ${JSON.stringify(response.body)}`);
        acknowledged.push({ key, position: response.headers['ledger-position'] as string });
        if (acknowledged.length >= 300) started();
      }
    });
    await enough;
    writeFileSync(join(scratch, 'kept.note'), (await ledger.app.get(Transparency).checkpoint()).note);
    const beforeBackup = acknowledged.length;
    manifest = (await backupDataDir(ledger.dataDir, backupFile)).manifest;
    const atBackup = acknowledged.length;
    answeredDuringBackup = atBackup - beforeBackup;
    // The service kept answering while the backup ran, and goes on after it.
    while (acknowledged.length < atBackup + 200) await new Promise((resolve) => setTimeout(resolve, 20));
    stop = true;
    await Promise.all(clients);
  }, 60_000);

  afterAll(async () => {
    await ledger.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('holds every command acknowledged before its position exactly once, nothing after it, and every chain intact', async () => {
    const restored = join(scratch, 'restored');
    const result = await ledgerCommand('restore', '--from', backupFile, '--data-dir', restored,
      '--since', join(scratch, 'kept.note'), '--key', verifierKey);
    expect(answeredDuringBackup).toBeGreaterThan(0);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toContainEqual(expect.stringMatching(/^ok: the log holds every event of the kept checkpoint/));

    const store = new SqliteEventStore({ file: join(restored, 'events.sqlite') });
    try {
      const report = await verifyLog(store);
      expect(report).toMatchObject({ brokenLink: undefined, digest: manifest.digest, eventsChecked: manifest.events });
      const covered = decodePositionToken(manifest.position!).commit;
      const byCommand = new Map<string, number>();
      for (const event of await store.readAll({ maxCount: 1_000_000 })) {
        const commandId = String(event.metadata.commandId);
        byCommand.set(commandId, (byCommand.get(commandId) ?? 0) + 1);
      }
      const before = acknowledged.filter(({ position }) => decodePositionToken(position).commit <= covered);
      const after = acknowledged.filter(({ position }) => decodePositionToken(position).commit > covered);
      expect(before.length).toBeGreaterThanOrEqual(300);
      expect(after.length).toBeGreaterThan(0);
      expect(before.filter(({ key }) => byCommand.get(key) !== 1)).toEqual([]);
      expect(after.filter(({ key }) => byCommand.has(key))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('is a directory the service starts on: it rebuilds its read models and answers for a restored customer', async () => {
    const restored = join(scratch, 'started');
    expect((await ledgerCommand('restore', '--from', backupFile, '--data-dir', restored)).code).toBe(0);
    const [{ key }] = acknowledged;
    const service = await TestLedger.start('2026-03-01T10:00:00.000Z', 'SQLite', restored);
    try {
      await service.projected();
      await request(service.app.getHttpServer()).get(`/customers/${key}/ownership`).set('Authorization', `Bearer ${TOKENS.admin}`).expect(200);
    } finally {
      await service.close();
    }
  });

  it('refuses a target that holds data, and a backup whose files differ from its manifest, restoring nothing', async () => {
    const occupied = mkdtempSync(join(scratch, 'occupied-'));
    writeFileSync(join(occupied, 'events.sqlite'), 'not yours to overwrite');
    expect(await ledgerCommand('restore', '--from', backupFile, '--data-dir', occupied))
      .toMatchObject({ code: 2, err: [expect.stringMatching(/holds data already/)] });
    expect(readFileSync(join(occupied, 'events.sqlite'), 'utf8')).toBe('not yours to overwrite');

    const unpacked = mkdtempSync(join(scratch, 'unpacked-'));
    await tar.extract({ file: backupFile, cwd: unpacked });
    const db = new Database(join(unpacked, 'events.sqlite'));
    db.prepare("UPDATE events SET hashed = replace(hashed, 'c0-0', 'c0-X') WHERE event_id = (SELECT event_id FROM events WHERE hashed LIKE '%c0-0%' LIMIT 1)").run();
    db.close();
    const altered = join(scratch, 'altered.tar');
    await tar.create({ file: altered, cwd: unpacked }, ['manifest.json', ...manifest.files.map((file) => file.name)]);
    expect(await ledgerCommand('restore', '--from', altered, '--data-dir', join(scratch, 'never')))
      .toMatchObject({ code: 2, err: [expect.stringMatching(/events\.sqlite .* is not the file the backup recorded/)] });

    // The manifest rewritten to match the altered file: the log itself no longer verifies.
    const events = readFileSync(join(unpacked, 'events.sqlite'));
    const rewritten: BackupManifest = {
      ...manifest,
      files: manifest.files.map((file) => (file.name === 'events.sqlite' ? { ...file, bytes: events.length, sha256: createHash('sha256').update(events).digest('hex') } : file)),
    };
    writeFileSync(join(unpacked, 'manifest.json'), JSON.stringify(rewritten));
    const forged = join(scratch, 'forged.tar');
    await tar.create({ file: forged, cwd: unpacked }, ['manifest.json', ...manifest.files.map((file) => file.name)]);
    const refused = await ledgerCommand('restore', '--from', forged, '--data-dir', join(scratch, 'never'));
    expect(refused.code).toBe(1);
    expect(refused.out[0]).toMatch(/^BROKEN: stream customer-c0-0, revision 0 .*altered/);
    expect(refused.out).toContainEqual(expect.stringMatching(/^not restored/));
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });
});

describe('POST /admin/backups', () => {
  let ledger: TestLedger;
  const post = (token: string) => request(ledger.app.getHttpServer()).post('/admin/backups').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', 'SQLite', undefined, { backupDir: mkdtempSync(join(tmpdir(), 'ledger-backups-')) });
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
  });

  afterAll(async () => {
    rmSync(ledger.app.get<{ backupDir: string }>(LEDGER_CONFIG).backupDir, { recursive: true, force: true });
    await ledger.close();
  });

  it('takes a backup for the system scope only, one at a time, that `ledger restore` restores', async () => {
    await post(TOKENS.reader).expect(403);
    const [first, second] = await Promise.all([post(TOKENS.systemOnly), post(TOKENS.systemOnly)]);
    const taken = first.status === 201 ? first : second;
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    expect((first.status === 409 ? first : second).body).toMatchObject({ code: 'BACKUP_IN_PROGRESS' });
    expect(taken.body).toMatchObject({ format: 'relationship-ledger-backup/1', events: 1, file: expect.stringMatching(/ledger-20260301T090000000Z\.tar$/) });

    const restored = mkdtempSync(join(tmpdir(), 'ledger-restored-'));
    try {
      expect((await ledgerCommand('restore', '--from', taken.body.file as string, '--data-dir', restored)).code).toBe(0);
    } finally {
      rmSync(restored, { recursive: true, force: true });
    }
  });
});
