import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { addDays, type Deadline } from '@ledger/domain';
import { sha256Hex } from '@ledger/event-store';
import type { ReadSide } from '@ledger/read-models';
import { createLedgerApp } from '../apps/ledger/src/app';
import type { LedgerCommands } from '../apps/ledger/src/commands/submit-command';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';
import { Scheduler } from '../apps/ledger/src/scheduler/scheduler';
import { MovableClock } from '../apps/ledger/src/testing/movable-clock';
import { TestLedger, TOKENS } from './support/test-ledger';

const T0 = '2026-03-01T09:00:00.000Z';
const GRANT_ENDS = addDays(T0, 10);

/** The attacks that once worked, each tried again: none has any effect now. */
describe('the trust boundary', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start(T0);
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'direct-bill', cloud: 'global' }).expect(201);
    for (const customerId of ['contoso', 'litware']) {
      await ledger.command('/customers', { customerId, name: customerId, cloud: 'global' }).expect(201);
    }
    await ledger.command('/customers/litware/invitations', { invitationId: 'inv-l', partnerId: 'northwind' }, { actor: 'partner:northwind' }).expect(201);
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-c', partnerId: 'adatum' }, { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/invitations/inv-c/acceptance', undefined, { actor: 'customer:contoso' }).expect(201);
    await ledger.command('/customers/contoso/delegated-admin-grants',
      { grantId: 'g-1', partnerId: 'adatum', roles: ['Global Reader'], endsAt: GRANT_ENDS }, { actor: 'customer:contoso' }).expect(201);
    await ledger.projected();
  });

  afterAll(async () => {
    await ledger.close();
  });

  const http = () => request(ledger.app.getHttpServer());
  const head = async () => (await ledger.store.headPosition())?.commit;

  describe('when a service’s token names a party it may not act for', () => {
    it('refuses to accept an invitation and grant Global Administrator in the customer’s name, and appends nothing', async () => {
      const before = await head();
      const accept = await ledger.command('/customers/litware/invitations/inv-l/acceptance', undefined,
        { token: TOKENS.partnerPortal, actor: 'customer:litware' }).expect(403);
      expect(accept.body.code).toBe('ACTOR_NOT_ALLOWED');
      const grant = await ledger.command('/customers/litware/delegated-admin-grants',
        { partnerId: 'northwind', roles: ['Global Administrator'], endsAt: addDays(T0, 700) },
        { token: TOKENS.partnerPortal, actor: 'customer:litware' }).expect(403);
      expect(grant.body.code).toBe('ACTOR_NOT_ALLOWED');

      expect(await head()).toBe(before);
      const check = await http().get('/customers/litware/partners/northwind/rights/administer').set('Authorization', `Bearer ${TOKENS.admin}`).expect(200);
      expect(check.body.allowed).toBe(false);
    });

    it('refuses an operator it is not, and lets a service without a list act only as itself', async () => {
      const before = await head();
      const posing = await ledger.command('/customers', { customerId: 'fabrikam', name: 'F', cloud: 'global' },
        { token: TOKENS.opsService, actor: 'operator:someone-else' }).expect(403);
      expect(posing.body.code).toBe('ACTOR_NOT_ALLOWED');
      expect(await head()).toBe(before);

      await ledger.command('/customers', { customerId: 'fabrikam', name: 'F', cloud: 'global' }, { token: TOKENS.opsService }).expect(201);
      const [registered] = await ledger.store.readStream('customer-fabrikam');
      expect(registered.metadata).toMatchObject({
        actor: { kind: 'operator', id: 'ops-service' }, client: 'ops-service', credential: { type: 'static-token', client: 'ops-service' },
      });
    });

    it('refuses a listed service that names nobody, since it may not act as itself', async () => {
      const refused = await ledger.command('/partners', { partnerId: 'x', name: 'X', program: 'direct-bill', cloud: 'global' },
        { token: TOKENS.partnerPortal }).expect(403);
      expect(refused.body.code).toBe('ACTOR_NOT_ALLOWED');
    });
  });

  describe('idempotency keys', () => {
    it('belong to their client: the same key from two clients names two commands', async () => {
      const first = await ledger.command('/customers', { customerId: 'k1', name: 'K1', cloud: 'global' }, { token: TOKENS.opsService, key: 'shared-key' })
        .expect(201);
      const second = await ledger.command('/customers', { customerId: 'k2', name: 'K2', cloud: 'global' }, { key: 'shared-key', actor: 'operator:test-admin' })
        .expect(201);
      expect(second.body.replayed).toBe(false);
      expect(second.body.events[0].id).not.toBe(first.body.events[0].id);
      const retry = await ledger.command('/customers', { customerId: 'k1', name: 'K1', cloud: 'global' }, { token: TOKENS.opsService, key: 'shared-key' })
        .expect(201);
      expect(retry.body.replayed).toBe(true);
    });

    it('cannot reach the scheduler’s: a partner sending a scheduler-shaped key with a refused command does not stop the grant’s expiry', async () => {
      const schedulerKey = `scheduler:grant-expiry:contoso:g-1:${GRANT_ENDS}`;
      await ledger.command('/customers/contoso/delegated-admin-grants/g-1/expiry', undefined,
        { token: TOKENS.northwindBackOffice, key: schedulerKey }).expect(403);

      ledger.clock.set(addDays(GRANT_ENDS, 1));
      const run = await ledger.app.get(Scheduler).runOnce();
      expect(run).toMatchObject({ recorded: 1, failed: 0 });
      expect(await ledger.streamTypes('customer-contoso')).toContain('DelegatedAdminExpired');
    });
  });

  describe('reads', () => {
    it('answer a customer-bound reader about another customer as about one that does not exist', async () => {
      await ledger.projected();
      for (const path of ['/customers/contoso/ownership', '/customers/contoso/support-rights', '/customers/nobody/ownership']) {
        const answer = await http().get(path).set('Authorization', `Bearer ${TOKENS.litwarePortal}`).expect(404);
        expect(answer.body.code).toBe('CUSTOMER_NOT_FOUND');
      }
      await http().get('/customers/litware/ownership').set('Authorization', `Bearer ${TOKENS.litwarePortal}`).expect(200);
    });

    it('show a partner-bound reader only its own expiring grants, and the customers it has a part in', async () => {
      ledger.clock.set(T0);
      await ledger.command('/customers/litware/invitations/inv-l/acceptance', undefined, { actor: 'customer:litware' }).expect(201);
      await ledger.command('/customers/litware/delegated-admin-grants',
        { grantId: 'g-n', partnerId: 'northwind', roles: ['Global Reader'], endsAt: addDays(T0, 20) }, { actor: 'customer:litware' }).expect(201);
      await ledger.projected();
      const asNorthwind = (path: string) => http().get(path).set('Authorization', `Bearer ${TOKENS.northwindBackOffice}`);

      const all = await http().get('/delegated-admin-grants/expiring?withinDays=30').set('Authorization', `Bearer ${TOKENS.admin}`).expect(200);
      expect(all.body.items.map((g: { partnerId: string }) => g.partnerId).sort()).toEqual(['northwind']);
      const own = await asNorthwind('/delegated-admin-grants/expiring?withinDays=30').expect(200);
      expect(own.body.items).toEqual([expect.objectContaining({ customerId: 'litware', partnerId: 'northwind', grantId: 'g-n' })]);
      expect((await asNorthwind('/delegated-admin-grants/expiring?partnerId=adatum').expect(404)).body.code).toBe('PARTNER_NOT_FOUND');
      const litwares = await http().get('/delegated-admin-grants/expiring?withinDays=30').set('Authorization', `Bearer ${TOKENS.litwarePortal}`).expect(200);
      expect(litwares.body.items).toHaveLength(1);
      expect(await http().get('/delegated-admin-grants/expiring?withinDays=30').set('Authorization', `Bearer ${TOKENS.contosoPortal}`)
        .then((r) => r.body.items)).toEqual([]);

      await asNorthwind('/customers/litware/ownership').expect(200);
      await asNorthwind('/customers/contoso/ownership').expect(404);
      await asNorthwind('/partners/adatum').expect(404);
      await asNorthwind('/partners/northwind/customers').expect(200);
      await asNorthwind('/partners/adatum/customers').expect(404);
    });
  });
});

describe('the scheduler, when one fact cannot be recorded', () => {
  it('reports it and goes on with the others', async () => {
    const due: Deadline[] = [
      { customerId: 'a', kind: 'grant-expiry', refId: 'g-broken', dueAt: T0 },
      { customerId: 'b', kind: 'license-term-end', refId: 's-1', dueAt: T0 },
    ];
    // Fault injection: a store failure on one stream cannot be produced on demand with real parts, so the commands
    // here fails the first fact and records the second.
    const commands = {
      customer: async (input: { data: { customerId: string } }) => {
        if (input.data.customerId === 'a') throw new Error('disk I/O error');
        return { replayed: false };
      },
    } as unknown as LedgerCommands;
    const readSide = { query: () => ({ due: () => due }) } as unknown as ReadSide;
    const failures: string[] = [];
    const scheduler = new Scheduler(readSide, commands, new MovableClock(T0), {
      intervalMs: 0, onFailure: (deadline, error) => failures.push(`${deadline.refId}: ${String(error)}`),
    });
    expect(await scheduler.runOnce()).toEqual({ recorded: 1, alreadyRecorded: 0, refused: 0, failed: 1 });
    expect(failures).toEqual(['g-broken: Error: disk I/O error']);
  });
});

describe('files', () => {
  it('keeps the data directory to its owner (0700) and every database file to its owner (0600)', async () => {
    const ledger = await TestLedger.start(T0);
    try {
      await ledger.command('/partners', { partnerId: 'northwind', name: 'N', program: 'direct-bill', cloud: 'global' }).expect(201);
      await ledger.projected();
      expect(statSync(ledger.dataDir).mode & 0o777).toBe(0o700);
      const files = readdirSync(ledger.dataDir).filter((name) => name.endsWith('.sqlite'));
      expect(files.sort()).toEqual(['events.sqlite', 'merkle.sqlite', 'read-models.sqlite', 'refusals.sqlite', 'state-snapshots.sqlite']);
      for (const name of readdirSync(ledger.dataDir)) {
        expect({ name, mode: (statSync(join(ledger.dataDir, name)).mode & 0o777).toString(8) }).toEqual({ name, mode: '600' });
      }
    } finally {
      await ledger.close();
    }
  });

  describe('a tokens file', () => {
    const token = (name: string) => `${name}-token-0123456789abcdef`;

    let dataDir: string;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'ledger-tokens-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('is refused at start when its group or others may read it', async () => {
      const file = join(dataDir, 'tokens.json');
      writeFileSync(file, JSON.stringify([{ client: 'a', token: token('a'), scopes: ['read'] }]));
      chmodSync(file, 0o644);
      await expect(createLedgerApp(loadConfig({ LEDGER_DATA_DIR: dataDir, LEDGER_TOKENS_FILE: file }), { quiet: true }))
        .rejects.toThrow(/open to its group or others \(mode 644\).*chmod 600/);
    });

    it('is put in force when it changes, without a restart; a broken change keeps the tokens in force', async () => {
      const file = join(dataDir, 'tokens.json');
      const write = (entries: object[]) => writeFileSync(file, JSON.stringify(entries), { mode: 0o600 });
      write([{ client: 'a', sha256: sha256Hex(token('a')), scopes: ['read'] }]);
      const { app } = await createLedgerApp(loadConfig({ LEDGER_DATA_DIR: dataDir, LEDGER_TOKENS_FILE: file, LEDGER_TOKENS_RELOAD_MS: '100' }), { quiet: true });
      const status = async (name: string) => (await request(app.getHttpServer()).get('/partners/x').set('Authorization', `Bearer ${token(name)}`)).status;
      const until = async (name: string, expected: number) => {
        for (let i = 0; i < 100 && (await status(name)) !== expected; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
        return status(name);
      };
      try {
        expect(await status('a')).toBe(404);
        expect(await status('b')).toBe(401);
        write([{ client: 'b', token: token('b'), scopes: ['read'] }]);
        expect(await until('b', 404)).toBe(404);
        expect(await status('a')).toBe(401);

        writeFileSync(file, '[{"client": "broken"');
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(await status('b')).toBe(404);
      } finally {
        await app.close();
      }
      // Its own wait for the reload may take up to 5 s, jest's default for the whole test, after an app start.
    }, 20_000);
  });
});
