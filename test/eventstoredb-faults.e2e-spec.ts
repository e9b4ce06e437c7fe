import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EventStoreDbEventStore } from '@ledger/event-store';
import { ReadSide } from '@ledger/read-models';
import { writeHistory } from '../libs/read-models/src/testing/history-generator';
import { cleanRebuildDump, readWholeLog } from '../libs/read-models/src/testing/whole-log';
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

describe('the projector on EventStoreDB while its subscription is cut', () => {
  const DROPS = 20;
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;
  let dir: string;

  beforeEach(async () => {
    server = await EventStoreDbTestServer.start();
    store = new EventStoreDbEventStore({ connection: server.connectionString, backoff: { initialDelayMs: 5, maxDelayMs: 50, factor: 2, jitter: 0.5 } });
    dir = mkdtempSync(join(tmpdir(), 'ledger-drops-'));
  });

  afterEach(async () => {
    await store.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`applies every event of a 10,000-event load once across ${DROPS} drops at random points, and equals a clean rebuild`, async () => {
    const resubscribed: unknown[] = [];
    const delivered: string[] = [];
    // The drops fall where a seeded random walk over the load says, whenever the writer gets there.
    let seed = 20_261_122;
    const random = () => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
    const points = Array.from({ length: DROPS }, () => Math.floor(random() * 10_000)).sort((a, b) => a - b);
    let appended = 0;
    const observed = new Proxy(store, {
      get: (target, name, receiver) => {
        if (name === 'appendToStream') {
          return async (...args: Parameters<EventStoreDbEventStore['appendToStream']>) => {
            const result = await target.appendToStream(...args);
            appended += args[1].length;
            // A drop counts only when it cut a live subscription (not one waiting to resubscribe).
            while (points.length && appended >= points[0] && server.dropSubscriptions() > 0) resubscribed.push(points.shift());
            return result;
          };
        }
        if (name === 'subscribeToAll') {
          return (...args: Parameters<EventStoreDbEventStore['subscribeToAll']>) => {
            const subscription = target.subscribeToAll(...args);
            return {
              close: () => subscription.close(),
              async *[Symbol.asyncIterator]() {
                for await (const event of subscription) {
                  delivered.push(event.id);
                  yield event;
                }
              },
            };
          };
        }
        return Reflect.get(target, name, receiver);
      },
    });
    const side = new ReadSide(observed, { file: join(dir, 'read.sqlite'), batchSize: 200 });
    side.start();

    const written = await writeHistory(observed, { partners: 60, customers: 1400, secondsBetweenCommands: 3600 }, 1);
    while (points.length) {
      if (server.dropSubscriptions() > 0) resubscribed.push(points.shift());
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }

    const head = await store.headPosition();
    await expect(side.waitFor(head!, 30_000)).resolves.toBe(true);
    expect(written).toBeGreaterThanOrEqual(10_000);
    expect(resubscribed).toHaveLength(DROPS);
    // Delivered once each by the subscription across its drops, and applied once each.
    expect(delivered).toHaveLength(written);
    expect(new Set(delivered).size).toBe(written);
    expect(side.store.checkpoint()?.eventsSeen).toBe(written);

    expect(await readWholeLog(store)).toHaveLength(written);
    expect([...side.store.dump()]).toEqual(await cleanRebuildDump(store, join(dir, 'clean.sqlite')));
    await side.stop();
  }, 120_000);
});
