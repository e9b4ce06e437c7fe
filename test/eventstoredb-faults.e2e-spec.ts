import request from 'supertest';
import { EventStoreDbTestServer } from './support/eventstoredb/test-server';
import { TestLedger, TOKENS } from './support/test-ledger';

/**
 * The ledger on EventStoreDB when the cluster misbehaves: the in-process test server goes away, answers
 * slowly, or cuts subscriptions; the service says so honestly and recovers without a restart.
 */
describe('the ledger on EventStoreDB under faults', () => {
  let server: EventStoreDbTestServer;
  let ledger: TestLedger;

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', 'SQLite', undefined, { eventStoreUrl: server.connectionString });
  });

  afterEach(async () => {
    await ledger.close();
    await server.stop();
  });

  it('answers 503 with Retry-After while the store is unreachable, keeps metrics, and recovers when it is back', async () => {
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await server.stop();

    const refused = await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' });
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const ready = await request(ledger.app.getHttpServer()).get('/health/ready');
    expect([ready.status, Number(ready.headers['retry-after']) > 0]).toEqual([503, true]);
    const metrics = await request(ledger.app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${TOKENS.admin}`);
    expect(metrics.status).toBe(200);

    await server.restart();
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' }).expect(201);
    await ledger.projected();
    await request(ledger.app.getHttpServer()).get('/health/ready').expect(200);
  });

  it('starts while the store is down, answers 503 meanwhile, and serves once it comes up', async () => {
    await ledger.close();
    await server.stop();
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', 'SQLite', undefined, { eventStoreUrl: server.connectionString });
    const http = request(ledger.app.getHttpServer());

    await http.get('/health/live').expect(200);
    const refused = await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' });
    expect([refused.status, Number(refused.headers['retry-after']) > 0]).toEqual([503, true]);
    const ready = await http.get('/health/ready');
    expect([ready.status, Number(ready.headers['retry-after']) > 0]).toEqual([503, true]);
    expect((await http.get('/metrics').set('Authorization', `Bearer ${TOKENS.admin}`)).status).toBe(200);

    await server.restart();
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.projected();
    await http.get('/partners/northwind').set('Authorization', `Bearer ${TOKENS.admin}`).expect(200);
  });
});
