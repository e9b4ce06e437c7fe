import { runCli } from '../apps/ledger-cli/src/ledger-cli';
import { EventStoreDbTestServer } from './support/eventstoredb/test-server';
import request from 'supertest';
import { TestLedger, TOKENS } from './support/test-ledger';

/**
 * Two replicas of the service on one EventStoreDB cluster (the in-process test server), each with its own
 * data directory: a command's first answer, accepted or refused, is the answer any replica gives its retry.
 */
describe('two replicas on one EventStoreDB', () => {
  let server: EventStoreDbTestServer;
  let first: TestLedger;
  let second: TestLedger;

  beforeAll(async () => {
    server = await EventStoreDbTestServer.start();
    first = await TestLedger.start('2026-03-01T09:00:00.000Z', 'SQLite', undefined, { eventStoreUrl: server.connectionString });
    second = await TestLedger.start('2026-03-01T09:00:00.000Z', 'SQLite', undefined, { eventStoreUrl: server.connectionString });
    await first.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    await first.command('/customers', { customerId: 'fabrikam', name: 'Fabrikam', cloud: 'global' }).expect(201);
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await server.stop();
  });

  it('leaves backups to the cluster: POST /admin/backups says so rather than copying a replica’s local files', async () => {
    const answer = await request(first.app.getHttpServer()).post('/admin/backups').set('Authorization', `Bearer ${TOKENS.systemOnly}`).expect(409);
    expect(answer.body).toMatchObject({ code: 'BACKUP_NOT_AVAILABLE' });
  });

  it('answers a retried refusal from the other replica with the first refusal, even after the state changed', async () => {
    const invite = { partnerId: 'adatum' };
    const refused = await first.command('/customers/contoso/invitations', invite, { key: 'k-refused', actor: 'partner:adatum' }).expect(404);
    await first.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'direct-bill', cloud: 'global' }).expect(201);

    const retried = await second.command('/customers/contoso/invitations', invite, { key: 'k-refused', actor: 'partner:adatum' }).expect(404);
    expect([retried.body.code, retried.body.detail]).toEqual([refused.body.code, refused.body.detail]);
    expect((await second.refusals.find('test-admin', 'k-refused'))?.code).toBe('PARTNER_NOT_FOUND');
    expect(await second.streamTypes('customer-contoso')).toEqual(['CustomerRegistered']);
  });

  it('answers a retried accepted command from the other replica as the first time', async () => {
    const subscription = { subscriptionId: 's1', kind: 'usage', channel: 'microsoft' };
    const accepted = await first.command('/customers/contoso/subscriptions', subscription, { key: 'k-accepted' }).expect(201);
    const retried = await second.command('/customers/contoso/subscriptions', subscription, { key: 'k-accepted' }).expect(201);

    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect({ ...retried.body, replayed: false }).toEqual(accepted.body);
  });

  it('refuses on one replica a key the other used on another stream', async () => {
    const subscription = { subscriptionId: 's2', kind: 'usage', channel: 'microsoft' };
    await first.command('/customers/contoso/subscriptions', subscription, { key: 'k-shared' }).expect(201);
    const reused = await second.command('/customers/fabrikam/subscriptions', subscription, { key: 'k-shared' }).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('the auditor’s CLI against an EventStoreDB cluster', () => {
  it('verifies every chain of the cluster’s log, reading it through the server’s filter', async () => {
    const server = await EventStoreDbTestServer.start();
    const ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', 'SQLite', undefined, { eventStoreUrl: server.connectionString });
    try {
      await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
      await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 's1', kind: 'usage', channel: 'microsoft' }).expect(201);
      server.log.writeForeign('$stats-127.0.0.1:2113', '$statsCollected', 50);

      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['verify', '--eventstore', server.connectionString], {
        out: (line) => out.push(line), err: (line) => err.push(line), interactive: false, env: {},
      });
      expect({ code, err }).toEqual({ code: 0, err: [] });
      expect(out.join('\n')).toMatch(/2 events/);
    } finally {
      await ledger.close();
      await server.stop();
    }
  });
});
