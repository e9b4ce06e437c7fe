import request from 'supertest';
import { encodePositionToken } from '@ledger/event-store';
import { ReadSide } from '@ledger/read-models';
import { TestLedger, TOKENS } from './support/test-ledger';

/**
 * The write side's story again, each command followed at once by a read that carries the command's position
 * token: every read sees its own write, and the check endpoint answers right, with reasons, at every step.
 */
describe('reading your own writes through the story', () => {
  let ledger: TestLedger;
  let position = '';

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
  });

  afterAll(async () => {
    await ledger.close();
  });

  async function write(path: string, body?: object, actor?: string): Promise<request.Response> {
    const answer = await ledger.command(path, body, { actor });
    expect([201, 422]).toContain(answer.status);
    if (answer.status === 201) position = answer.headers['ledger-position'];
    return answer;
  }

  function read(path: string): request.Test {
    return request(ledger.app.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKENS.reader}`).set('Ledger-Min-Position', position);
  }

  async function check(partnerId: string, right: string): Promise<{ allowed: boolean; reasons: Array<{ rule: string; eventIds: string[] }> }> {
    const answer = await read(`/customers/contoso/partners/${partnerId}/rights/${right}`).expect(200);
    expect(answer.headers['ledger-position']).toBe(position);
    return answer.body;
  }

  it('sees each partner as soon as it is enrolled', async () => {
    await write('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' });
    await write('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' });
    await write('/partners', { partnerId: 'fabrikam', name: 'Fabrikam', program: 'indirect-reseller', cloud: 'global' });
    await write('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, 'partner:adatum');
    const adatum = await read('/partners/adatum').expect(200);
    expect(adatum.body).toMatchObject({ program: 'indirect-provider', resellers: [{ resellerId: 'fabrikam' }] });
    // The answer is the API's, not the stored view: the projection's bookkeeping stays out of it.
    expect(Object.keys(adatum.body).sort()).toEqual(['cloud', 'enrolledAt', 'name', 'partnerId', 'program', 'resellers']);
  });

  it('sees the customer and its subscriptions; nobody has rights yet', async () => {
    await write('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' });
    await write('/customers/contoso/subscriptions', { subscriptionId: 'azure-ea', kind: 'usage', channel: 'ea' });
    await write('/customers/contoso/subscriptions', { subscriptionId: 'm365', kind: 'license', channel: 'advisor', termEndsAt: '2026-04-01T00:00:00Z' });
    const ownership = await read('/customers/contoso/ownership').expect(200);
    expect(Object.keys(ownership.body.subscriptions).sort()).toEqual(['azure-ea', 'm365']);
    expect(ownership.body).not.toHaveProperty('eventsApplied');
    expect((await check('adatum', 'transact')).allowed).toBe(false);
    expect((await read('/customers/contoso/support-rights').expect(200)).body.partners).toEqual([]);
  });

  it('sees the pending invitation, which gives no rights', async () => {
    await write('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'adatum', resellerId: 'fabrikam' }, 'partner:adatum');
    expect((await read('/customers/contoso/ownership').expect(200)).body.invitations['inv-1'].status).toBe('pending');
    expect((await check('adatum', 'transact')).allowed).toBe(false);
  });

  it('after acceptance: the provider owns and transacts (MC-05), the reseller only supports', async () => {
    const accepted = await write('/customers/contoso/invitations/inv-1/acceptance', undefined, 'customer:contoso');
    const acceptedEvent = accepted.body.events[0].id;
    expect(await check('adatum', 'transact')).toMatchObject({ allowed: true, reasons: [{ rule: 'MC-05', eventIds: [acceptedEvent] }] });
    expect(await check('fabrikam', 'support')).toMatchObject({ allowed: true, reasons: [{ rule: 'MC-05', eventIds: [acceptedEvent] }] });
    expect(await check('fabrikam', 'transact')).toMatchObject({ allowed: false, reasons: [{ rule: 'MC-05' }] });
    expect(await check('fabrikam', 'administer')).toMatchObject({ allowed: false, reasons: [{ rule: 'MC-07' }] });
    const customers = await read('/partners/adatum/reseller-customers').expect(200);
    expect(customers.body.items).toEqual([{ resellerId: 'fabrikam', customerId: 'contoso', relationshipId: 'inv-1' }]);
  });

  it('after the grant: the reseller administers with its roles until the end date (MC-07)', async () => {
    const granted = await write('/customers/contoso/delegated-admin-grants',
      { grantId: 'g-1', partnerId: 'fabrikam', roles: ['Helpdesk Administrator'], endsAt: '2026-03-20T00:00:00Z' }, 'customer:contoso');
    expect(await check('fabrikam', 'administer')).toMatchObject({ allowed: true, reasons: [{ rule: 'MC-07', eventIds: [granted.body.events[0].id] }] });
    const rights = await read('/customers/contoso/support-rights').expect(200);
    expect(rights.body.partners.find((p: { partnerId: string }) => p.partnerId === 'fabrikam').rights)
      .toContainEqual(expect.objectContaining({ right: 'administer', roles: ['Helpdesk Administrator'], until: '2026-03-20T00:00:00.000Z' }));
    const expiring = await read('/delegated-admin-grants/expiring?withinDays=30').expect(200);
    expect(expiring.body).toMatchObject({ items: [{ customerId: 'contoso', grantId: 'g-1', partnerId: 'fabrikam' }], page: { complete: true } });
    expect((await read('/delegated-admin-grants/expiring?withinDays=7').expect(200)).body.items).toEqual([]);
  });

  it('a refused switch (MC-09) changes nothing a read can see', async () => {
    const refused = await write('/customers/contoso/subscriptions/m365/switch',
      { targetPartnerId: 'adatum', newTermEndsAt: '2027-04-01T00:00:00Z' }, 'customer:contoso');
    expect(refused.body.code).toBe('MC-09');
    expect((await read('/customers/contoso/ownership').expect(200)).body.subscriptions.m365.partnerOfRecordId).toBeNull();
  });

  it('when the grant’s end passes, it gives nothing even before its expiry is recorded (MC-15)', async () => {
    ledger.clock.set('2026-03-20T00:00:00.000Z');
    expect(await check('fabrikam', 'administer')).toMatchObject({ allowed: false, reasons: [{ rule: 'MC-15' }, { rule: 'MC-07' }] });
    await write('/customers/contoso/delegated-admin-grants/g-1/expiry', undefined, 'system');
    expect((await read('/customers/contoso/ownership').expect(200)).body.grants['g-1'].status).toBe('expired');
  });

  it('after the term ends, the switch lands and the ownership shows the move', async () => {
    ledger.clock.set('2026-04-01T00:00:00.000Z');
    await write('/customers/contoso/subscriptions/m365/term-end', undefined, 'system');
    await write('/customers/contoso/subscriptions/m365/switch', { targetPartnerId: 'adatum', newTermEndsAt: '2027-04-01T00:00:00Z' }, 'customer:contoso');
    const m365 = (await read('/customers/contoso/ownership').expect(200)).body.subscriptions.m365;
    expect(m365).toMatchObject({ originChannel: 'advisor', channel: 'csp', partnerOfRecordId: 'adatum', switched: true });
    expect(m365.history.map((h: { type: string }) => h.type)).toEqual(['SubscriptionRecorded', 'LicenseTermEnded', 'SubscriptionSwitched']);
  });

  it('after termination the provider and its reseller hold nothing (MC-15)', async () => {
    await write('/customers/contoso/relationships/inv-1/termination', undefined, 'customer:contoso');
    expect(await check('adatum', 'transact')).toMatchObject({ allowed: false, reasons: [{ rule: 'MC-15' }, { rule: 'MC-05' }] });
    expect((await check('fabrikam', 'support')).allowed).toBe(false);
    expect((await read('/partners/adatum/customers?right=transact').expect(200)).body.items).toEqual([]);
  });
});

describe('queries', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    for (let i = 0; i < 7; i += 1) {
      const customerId = `c${i}`;
      await ledger.command('/customers', { customerId, name: customerId, cloud: 'global' }).expect(201);
      await ledger.command(`/customers/${customerId}/invitations`, { invitationId: 'inv', partnerId: 'northwind' }, { actor: 'partner:northwind' }).expect(201);
      await ledger.command(`/customers/${customerId}/invitations/inv/acceptance`, undefined, { actor: `customer:${customerId}` }).expect(201);
    }
  });

  afterAll(async () => {
    await ledger.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => {
    let test = request(ledger.app.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKENS.reader}`);
    for (const [name, value] of Object.entries(headers)) test = test.set(name, value);
    return test;
  };

  it('pages a partner’s customers with a cursor, saying when a page is not the last', async () => {
    const head = encodePositionToken((await ledger.store.headPosition())!);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await get(`/partners/northwind/customers?right=transact&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { 'Ledger-Min-Position': head }).expect(200);
      seen.push(...answer.body.items.map((item: { customerId: string }) => item.customerId));
      expect(answer.body.page.complete).toBe(answer.body.page.nextCursor === undefined);
      cursor = answer.body.page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
  });

  it.each([
    ['/partners/northwind/customers?limit=1001', 'VALIDATION_FAILED'],
    ['/partners/northwind/customers?right=own', 'VALIDATION_FAILED'],
    ['/partners/northwind/customers?cursor=garbage', 'INVALID_CURSOR'],
    ['/partners/northwind/customers?surprise=1', 'VALIDATION_FAILED'],
    ['/customers/c0/partners/northwind/rights/own', 'VALIDATION_FAILED'],
    ['/delegated-admin-grants/expiring?withinDays=-1', 'VALIDATION_FAILED'],
  ])('refuses %s with %s', async (path, code) => {
    const answer = await get(path).expect(400);
    expect(answer.body.code).toBe(code);
  });

  it('answers 404 for a customer the read models do not know', async () => {
    const head = encodePositionToken((await ledger.store.headPosition())!);
    expect((await get('/customers/nobody/ownership', { 'Ledger-Min-Position': head }).expect(404)).body.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('answers 503 with Retry-After when the asked position is not reached in time, and 400 for a bad token', async () => {
    const future = await get('/customers/c0/ownership', { 'Ledger-Min-Position': 'p1.' + Buffer.from('999999.999999').toString('base64url') });
    expect(future.status).toBe(503);
    expect(future.headers['retry-after']).toBe('1');
    expect(future.body.code).toBe('NOT_YET_CONSISTENT');
    expect((await get('/customers/c0/ownership', { 'Ledger-Min-Position': 'nonsense' }).expect(400)).body.code).toBe('INVALID_POSITION_TOKEN');
  });

  it('needs the read scope', async () => {
    const answer = await request(ledger.app.getHttpServer()).get('/customers/c0/ownership').expect(401);
    expect(answer.body.code).toBe('UNAUTHENTICATED');
  });
});

describe('operations', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start();
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'advisor', name: 'Advisor', program: 'advisor', cloud: 'global' }).expect(201);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    await ledger.command('/customers/contoso/invitations', { partnerId: 'advisor' }, { actor: 'partner:advisor' }).expect(422);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('is live and, once the projector caught up, ready', async () => {
    const server = ledger.app.getHttpServer();
    await request(server).get('/health/live').expect(200);
    const head = await ledger.store.headPosition();
    await ledger.app.get(ReadSide).waitFor(head!, 5000);
    const ready = await request(server).get('/health/ready').expect(200);
    expect(ready.body.details.projector).toMatchObject({ status: 'up', lagEvents: 0, state: 'running' });
  });

  it('rebuilds the read models on request (system scope only, 202 and a status to poll), and they answer as before', async () => {
    const server = ledger.app.getHttpServer();
    const admin = `Bearer ${TOKENS.admin}`;
    await request(server).post('/admin/read-models/rebuild').set('Authorization', `Bearer ${TOKENS.reader}`).expect(403);
    const started = await request(server).post('/admin/read-models/rebuild').set('Authorization', admin).expect(202);
    expect(started.headers.location).toBe('/admin/read-models/rebuild');
    expect(started.body).toMatchObject({ state: 'running', cause: 'requested' });
    let status = started.body as { state: string; events?: number };
    while (status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = (await request(server).get(started.headers.location).set('Authorization', admin).expect(200)).body;
    }
    expect(status).toMatchObject({ state: 'succeeded', events: 3 });
    const head = encodePositionToken((await ledger.store.headPosition())!);
    const view = await request(server).get('/customers/contoso/ownership').set('Authorization', `Bearer ${TOKENS.reader}`)
      .set('Ledger-Min-Position', head).expect(200);
    expect(view.body.customerId).toBe('contoso');
  });

  it('exposes Prometheus metrics: commands by outcome, refusals by rule, projector lag, request latency', async () => {
    const metrics = await request(ledger.app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toContain('ledger_commands_total{command="EnrollPartner",outcome="accepted"} 2');
    expect(metrics.text).toContain('ledger_commands_total{command="CreateInvitation",outcome="refused"} 1');
    expect(metrics.text).toContain('ledger_refusals_total{code="MC-02"} 1');
    expect(metrics.text).toMatch(/ledger_projector_lag_events \d+/);
    expect(metrics.text).toMatch(/ledger_projector_lag_seconds \d+/);
    expect(metrics.text).toMatch(/ledger_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/partners",status="201"\}/);
  });
});
