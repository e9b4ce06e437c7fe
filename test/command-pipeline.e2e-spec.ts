import { decodePositionToken } from '@ledger/event-store';
import { TestLedger, TOKENS } from './support/test-ledger';

describe('the command pipeline', () => {
  let ledger: TestLedger;

  beforeEach(async () => {
    ledger = await TestLedger.start();
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
  });

  afterEach(async () => {
    await ledger.close();
  });

  const subscription = (id: string) => ({ subscriptionId: id, kind: 'usage', channel: 'microsoft' });

  describe('when a command is retried with the same Idempotency-Key', () => {
    it('answers as the first time and appends nothing', async () => {
      const first = await ledger.command('/customers/contoso/subscriptions', subscription('s1'), { key: 'k-1' }).expect(201);
      const retry = await ledger.command('/customers/contoso/subscriptions', subscription('s1'), { key: 'k-1' }).expect(201);

      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect({ ...retry.body, replayed: false }).toEqual(first.body);
      expect(retry.headers.etag).toBe(first.headers.etag);
      expect(await ledger.streamTypes('customer-contoso')).toEqual(['CustomerRegistered', 'SubscriptionRecorded']);
    });

    it('refuses the key with a different command', async () => {
      await ledger.command('/customers/contoso/subscriptions', subscription('s1'), { key: 'k-1' }).expect(201);
      const reused = await ledger.command('/customers/contoso/subscriptions', subscription('s2'), { key: 'k-1' }).expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await ledger.streamTypes('customer-contoso')).toHaveLength(2);
    });

    it('answers a refused command’s retry with the same refusal, even after the state changed', async () => {
      const invite = { partnerId: 'adatum' };
      const first = await ledger.command('/customers/contoso/invitations', invite, { key: 'k-2', actor: 'partner:adatum' }).expect(404);
      await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'direct-bill', cloud: 'global' }).expect(201);
      const retry = await ledger.command('/customers/contoso/invitations', invite, { key: 'k-2', actor: 'partner:adatum' }).expect(404);
      expect(retry.body.code).toBe('PARTNER_NOT_FOUND');
      expect(retry.body.detail).toBe(first.body.detail);
      expect((await ledger.refusals.list({ limit: 10 })).map((r) => r.commandId)).toEqual(['k-2']);
    });
  });

  describe('when the caller sends If-Match', () => {
    it('appends at the revision it names and answers the new ETag and position', async () => {
      const before = await ledger.store.headPosition();
      const accepted = await ledger.command('/customers/contoso/subscriptions', subscription('s1'), { ifMatch: '"0"' }).expect(201);
      expect(accepted.headers.etag).toBe('"1"');
      expect(decodePositionToken(accepted.headers['ledger-position']).commit).toBeGreaterThan(before?.commit ?? 0n);
      expect(accepted.body.position).toBe(accepted.headers['ledger-position']);
    });

    it('refuses a stale revision with 412 and appends nothing', async () => {
      await ledger.command('/customers/contoso/subscriptions', subscription('s1')).expect(201);
      const stale = await ledger.command('/customers/contoso/subscriptions', subscription('s2'), { ifMatch: '"0"' }).expect(412);
      expect(stale.body.code).toBe('REVISION_MISMATCH');
      expect(await ledger.streamTypes('customer-contoso')).toHaveLength(2);
    });

    it('refuses If-Match: * on a stream that does not exist', async () => {
      const missing = await ledger.command('/customers/fabrikam/subscriptions', subscription('s1'), { ifMatch: '*' }).expect(412);
      expect(missing.body.code).toBe('REVISION_MISMATCH');
    });
  });

  describe('when commands on one stream race without If-Match', () => {
    it('decides each again on a conflict, so all of them land, in some order', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        ledger.command('/customers/contoso/subscriptions', subscription(`s${i}`))));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(results.map((r) => r.headers.etag)).size).toBe(20);
      expect(await ledger.streamTypes('customer-contoso')).toHaveLength(21);
    });
  });

  describe('who acts', () => {
    it('takes the party a token is bound to as the actor', async () => {
      await ledger.command('/customers/contoso/subscriptions', subscription('s1'), { token: TOKENS.contosoPortal }).expect(201);
      const [, recorded] = await ledger.store.readStream('customer-contoso');
      expect(recorded.metadata).toMatchObject({ actor: { kind: 'customer', id: 'contoso' }, client: 'contoso-portal' });
    });

    it('refuses a bound token acting as another party', async () => {
      const refused = await ledger.command('/customers/contoso/subscriptions', subscription('s1'), {
        token: TOKENS.contosoPortal, actor: 'partner:northwind',
      }).expect(403);
      expect(refused.body.code).toBe('ACTOR_MISMATCH');
    });

    it('refuses writes with a read-only token', async () => {
      const refused = await ledger.command('/customers/contoso/subscriptions', subscription('s1'), { token: TOKENS.reader }).expect(403);
      expect(refused.body.code).toBe('INSUFFICIENT_SCOPE');
    });

    it('records an unbound service without Ledger-Actor as an operator', async () => {
      await ledger.command('/customers/contoso/subscriptions', subscription('s1')).expect(201);
      const [, recorded] = await ledger.store.readStream('customer-contoso');
      expect(recorded.metadata.actor).toEqual({ kind: 'operator', id: 'test-admin' });
    });

    it('refuses a party acting where the rules name another', async () => {
      const refused = await ledger.command('/customers/contoso/invitations', { partnerId: 'northwind' }, { actor: 'customer:contoso' })
        .expect(403);
      expect(refused.body.code).toBe('ACTOR_NOT_PERMITTED');
    });
  });

  it('carries the caller’s correlation id into the events and the answer', async () => {
    const answer = await ledger.command('/customers/contoso/subscriptions', subscription('s1'))
      .set('X-Correlation-Id', 'corr-42').expect(201);
    expect(answer.headers['x-correlation-id']).toBe('corr-42');
    const [, recorded] = await ledger.store.readStream('customer-contoso');
    expect(recorded.metadata.correlationId).toBe('corr-42');
  });
});
