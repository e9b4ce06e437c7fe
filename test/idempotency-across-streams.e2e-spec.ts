import { TestLedger, testStores } from './support/test-ledger';

/**
 * An Idempotency-Key names one command of its client, whatever stream the command goes to: reused for a
 * command on another stream it is refused on both stores (on EventStoreDB, whose event ids are unique only
 * per stream, the adapter claims each append's first id).
 */
describe.each(testStores())('an Idempotency-Key reused on another stream, on %s', (store) => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', store);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    await ledger.command('/customers', { customerId: 'fabrikam', name: 'Fabrikam', cloud: 'global' }).expect(201);
  });

  afterAll(async () => {
    await ledger.close();
  });

  const subscription = { subscriptionId: 's1', kind: 'usage', channel: 'microsoft' };

  it('is refused with IDEMPOTENCY_KEY_REUSED and appends nothing there', async () => {
    await ledger.command('/customers/contoso/subscriptions', subscription, { key: 'k-shared' }).expect(201);
    const reused = await ledger.command('/customers/fabrikam/subscriptions', subscription, { key: 'k-shared' }).expect(422);

    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await ledger.streamTypes('customer-fabrikam')).toEqual(['CustomerRegistered']);
  });

  it('still answers the first command’s retry as the first time', async () => {
    const retry = await ledger.command('/customers/contoso/subscriptions', subscription, { key: 'k-shared' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await ledger.streamTypes('customer-contoso')).toEqual(['CustomerRegistered', 'SubscriptionRecorded']);
  });
});
