import request from 'supertest';
import { encodePositionToken } from '@ledger/event-store';
import { TestLedger, TOKENS } from './support/test-ledger';

describe('fair use', () => {
  it('limits each client to its requests per minute with 429 and Retry-After; other clients, the system scope and probes go on', async () => {
    const ledger = await TestLedger.start(undefined, 'SQLite', undefined, { rateLimitPerMinute: 5 });
    const server = ledger.app.getHttpServer();
    const get = (token: string) => request(server).get('/customers/contoso/ownership').set('Authorization', `Bearer ${token}`);
    try {
      for (let i = 0; i < 5; i += 1) expect((await get(TOKENS.reader)).status).toBe(404);
      const limited = await get(TOKENS.reader).expect(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The budget is the client's across routes, not one per route.
      await request(server).get('/partners/northwind/customers?right=support').set('Authorization', `Bearer ${TOKENS.reader}`).expect(429);

      expect((await get(TOKENS.readOnly)).status).toBe(404);
      for (let i = 0; i < 10; i += 1) expect((await get(TOKENS.admin)).status).toBe(404);
      for (let i = 0; i < 10; i += 1) await request(server).get('/health/live').expect(200);
    } finally {
      await ledger.close();
    }
  });

  it('holds at most LEDGER_READ_WAIT_MAX_WAITING reads waiting for a position; more are answered 503 at once', async () => {
    const ledger = await TestLedger.start(undefined, 'SQLite', undefined, { readWaitMaxWaiting: 2 });
    const server = ledger.app.getHttpServer();
    try {
      await ledger.command('/partners', { partnerId: 'northwind', name: 'N', program: 'direct-bill', cloud: 'global' }).expect(201);
      const head = (await ledger.store.headPosition())!;
      const future = encodePositionToken({ commit: head.commit + 1000n, prepare: head.prepare + 1000n });
      const waitingRead = () => request(server).get('/partners/northwind').set('Authorization', `Bearer ${TOKENS.reader}`)
        .set('Ledger-Min-Position', future);
      const waiting = [waitingRead().then((r) => r), waitingRead().then((r) => r)];
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await waitingRead().expect(503);
      expect(refused.body.code).toBe('TOO_MANY_WAITING');
      expect(refused.headers['retry-after']).toBe('1');
      for (const answer of await Promise.all(waiting)) expect(answer.body.code).toBe('NOT_YET_CONSISTENT');
    } finally {
      await ledger.close();
    }
  });
});
