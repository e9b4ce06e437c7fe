import { verifyLog } from '@ledger/event-store';
import { TestLedger, testStores } from './support/test-ledger';

/**
 * The write side's story, end to end through HTTP: every step is a real request against the real app on a
 * temporary SQLite store; refusals carry the rule id and append nothing.
 */
describe.each(testStores())('a multichannel story through the command API, on %s', (store) => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z', store);
  });

  afterAll(async () => {
    await ledger.close();
  });

  const TERM_END = '2026-04-01T00:00:00.000Z';
  let invitationId: string;

  it('enrols a direct-bill partner, an indirect provider and its authorized reseller', async () => {
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'fabrikam', name: 'Fabrikam', program: 'indirect-reseller', cloud: 'global' }).expect(201);
    const authorized = await ledger.command('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, { actor: 'partner:adatum' })
      .expect(201);
    expect(authorized.body.events).toEqual([
      expect.objectContaining({ type: 'IndirectResellerAuthorized', data: { providerId: 'adatum', resellerId: 'fabrikam' } }),
    ]);
  });

  it('registers the customer with an Azure subscription bought through EA and a license bought from an Advisor', async () => {
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 'azure-ea', kind: 'usage', channel: 'ea' }).expect(201);
    const recorded = await ledger.command('/customers/contoso/subscriptions', {
      subscriptionId: 'm365', kind: 'license', channel: 'advisor', termEndsAt: TERM_END,
    }).expect(201);
    expect(recorded.headers.etag).toBe('"2"');
  });

  it('lets the provider invite the customer through its reseller', async () => {
    const invited = await ledger.command('/customers/contoso/invitations', { partnerId: 'adatum', resellerId: 'fabrikam' }, {
      actor: 'partner:adatum', key: 'adatum-invites-contoso',
    }).expect(201);
    invitationId = invited.body.events[0].data.invitationId;
    expect(invited.body.events[0]).toMatchObject({
      type: 'InvitationCreated',
      data: { partnerId: 'adatum', resellerId: 'fabrikam', expiresAt: '2026-05-30T09:00:00.000Z' },
    });
  });

  it('refuses the reseller’s own invitation with MC-03', async () => {
    const refused = await ledger.command('/customers/contoso/invitations', { partnerId: 'fabrikam' }, { actor: 'partner:fabrikam' })
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'MC-03', rule: 'MC-03', status: 422 });
  });

  it('lets the customer accept and grant delegated admin to the reseller', async () => {
    const accepted = await ledger.command(`/customers/contoso/invitations/${invitationId}/acceptance`, undefined, { actor: 'customer:contoso' })
      .expect(201);
    expect(accepted.body.events[0]).toMatchObject({
      type: 'RelationshipAccepted', data: { partnerId: 'adatum', resellerId: 'fabrikam', relationshipId: invitationId },
    });
    const granted = await ledger.command('/customers/contoso/delegated-admin-grants', {
      partnerId: 'fabrikam', roles: ['Helpdesk Administrator'], endsAt: '2027-03-01T00:00:00Z',
    }, { actor: 'customer:contoso' }).expect(201);
    expect(granted.body.events[0]).toMatchObject({
      type: 'DelegatedAdminGranted', data: { partnerId: 'fabrikam', endsAt: '2027-03-01T00:00:00.000Z' },
    });
  });

  it('refuses switching the license subscription with MC-09 until its term ends', async () => {
    const refused = await ledger.command('/customers/contoso/subscriptions/m365/switch', {
      targetPartnerId: 'adatum', newTermEndsAt: '2027-04-01T00:00:00Z',
    }, { actor: 'customer:contoso' }).expect(422);
    expect(refused.body.code).toBe('MC-09');
  });

  it('records the term end when its time comes, then accepts the switch', async () => {
    ledger.clock.set('2026-04-01T00:00:00.000Z');
    await ledger.command('/customers/contoso/subscriptions/m365/term-end', undefined, { actor: 'system' }).expect(201);
    const switched = await ledger.command('/customers/contoso/subscriptions/m365/switch', {
      targetPartnerId: 'adatum', newTermEndsAt: '2027-04-01T00:00:00Z',
    }, { actor: 'customer:contoso' }).expect(201);
    expect(switched.body.events[0]).toMatchObject({
      type: 'SubscriptionSwitched',
      data: { fromChannel: 'advisor', fromPartnerId: null, toPartnerId: 'adatum', termEndsAt: '2027-04-01T00:00:00.000Z' },
    });
  });

  it('refuses switching the EA Azure subscription with MC-10 and says what to do instead', async () => {
    const refused = await ledger.command('/customers/contoso/subscriptions/azure-ea/switch', { targetPartnerId: 'adatum' }, {
      actor: 'customer:contoso',
    }).expect(422);
    expect(refused.body.code).toBe('MC-10');
    expect(refused.body.detail).toMatch(/create a new CSP subscription .* move the resources/);
  });

  it('kept exactly the accepted facts in the customer’s stream, and the refusals apart', async () => {
    expect(await ledger.streamTypes('customer-contoso')).toEqual([
      'CustomerRegistered', 'SubscriptionRecorded', 'SubscriptionRecorded', 'InvitationCreated', 'RelationshipAccepted',
      'DelegatedAdminGranted', 'LicenseTermEnded', 'SubscriptionSwitched',
    ]);
    const refusals = await ledger.refusals.list({ limit: 100 });
    expect(refusals.map((r) => [r.code, r.commandType, r.actor.id])).toEqual([
      ['MC-03', 'CreateInvitation', 'fabrikam'],
      ['MC-09', 'SwitchSubscription', 'contoso'],
      ['MC-10', 'SwitchSubscription', 'contoso'],
    ]);
  });

  it('records who acted, through which client, and when, on every event', async () => {
    const [, , , invited] = await ledger.store.readStream('customer-contoso');
    expect(invited.metadata).toMatchObject({
      actor: { kind: 'partner', id: 'adatum' },
      client: 'test-admin',
      commandId: 'adatum-invites-contoso',
      causationId: 'adatum-invites-contoso',
      commandType: 'CreateInvitation',
      recordedAt: '2026-03-01T09:00:00.000Z',
    });
    expect(typeof invited.metadata.correlationId).toBe('string');
  });

  it('keeps every stream’s hash chain intact, as the auditor recomputes it from the store', async () => {
    const report = await verifyLog(ledger.store);
    expect(report.brokenLink).toBeUndefined();
    expect(report.eventsChecked).toBeGreaterThanOrEqual(11);
  });
});
