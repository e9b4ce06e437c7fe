import request from 'supertest';
import { TestLedger, TOKENS } from './support/test-ledger';

describe('auditors', () => {
  let ledger: TestLedger;
  let acceptedPosition = '';

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'advisor', name: 'Advisor', program: 'advisor', cloud: 'global' }).expect(201);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
    ledger.clock.set('2026-03-02T09:00:00.000Z');
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'northwind' }, { actor: 'partner:northwind' }).expect(201);
    await ledger.command('/customers/contoso/invitations', { partnerId: 'advisor' }, { actor: 'partner:advisor', key: 'advisor-tries' }).expect(422);
    ledger.clock.set('2026-03-03T09:00:00.000Z');
    const accepted = await ledger.command('/customers/contoso/invitations/inv-1/acceptance', undefined, { actor: 'customer:contoso' }).expect(201);
    acceptedPosition = accepted.headers['ledger-position'];
    await ledger.command('/customers/contoso/delegated-admin-grants',
      { grantId: 'g-1', partnerId: 'northwind', roles: ['Global Reader'], endsAt: '2026-06-01T00:00:00Z' }, { actor: 'customer:contoso' }).expect(201);
  });

  afterAll(async () => {
    await ledger.close();
  });

  const audit = (path: string, token: string = TOKENS.admin) =>
    request(ledger.app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  it('read a customer’s history in order with who acted, through which client, when, and the hash chain', async () => {
    const history = await audit('/customers/contoso/history').expect(200);
    expect(history.body.items.map((e: { type: string }) => e.type))
      .toEqual(['CustomerRegistered', 'InvitationCreated', 'RelationshipAccepted', 'DelegatedAdminGranted']);
    const [registered, invited] = history.body.items;
    expect(invited.metadata).toMatchObject({
      actor: { kind: 'partner', id: 'northwind' }, client: 'test-admin', recordedAt: '2026-03-02T09:00:00.000Z',
      previousHash: registered.metadata.hash, hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(invited.metadata.correlationId).toEqual(expect.any(String));
  });

  it('filter it by event type and time, and page through it', async () => {
    const accepted = await audit('/customers/contoso/history?types=RelationshipAccepted,DelegatedAdminGranted').expect(200);
    expect(accepted.body.items.map((e: { type: string }) => e.type)).toEqual(['RelationshipAccepted', 'DelegatedAdminGranted']);
    const onTheSecond = await audit('/customers/contoso/history?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z').expect(200);
    expect(onTheSecond.body.items.map((e: { type: string }) => e.type)).toEqual(['InvitationCreated']);
    const first = await audit('/customers/contoso/history?limit=3').expect(200);
    expect(first.body.page).toMatchObject({ complete: false, nextCursor: 'r3' });
    const rest = await audit(`/customers/contoso/history?limit=3&cursor=${first.body.page.nextCursor}`).expect(200);
    expect(rest.body).toMatchObject({ items: [{ type: 'DelegatedAdminGranted', revision: '3' }], page: { complete: true } });
    expect((await audit('/customers/contoso/history?types=Nonsense').expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('read a partner’s history and the refused commands beside it', async () => {
    expect((await audit('/partners/northwind/history').expect(200)).body.items).toHaveLength(1);
    const refusals = await audit('/audit/refusals').expect(200);
    expect(refusals.body.items).toEqual([expect.objectContaining({
      commandId: 'advisor-tries', code: 'MC-02', commandType: 'CreateInvitation', actor: { kind: 'partner', id: 'advisor' },
      recordedAt: '2026-03-02T09:00:00.000Z', sequence: '1',
    })]);
  });

  it('keep a digest, and find it again later for the same position', async () => {
    const now = await audit('/audit/digest').expect(200);
    expect(now.body).toMatchObject({ intact: true, eventsChecked: 6, streams: 3, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const kept = await audit(`/audit/digest?at=${acceptedPosition}`).expect(200);
    expect(kept.body).toMatchObject({ intact: true, eventsChecked: 5, position: acceptedPosition });

    await ledger.command('/customers/contoso/delegated-admin-grants/g-1/revocation', undefined, { actor: 'customer:contoso' }).expect(201);
    expect((await audit(`/audit/digest?at=${acceptedPosition}`).expect(200)).body.digest).toBe(kept.body.digest);
    expect((await audit('/audit/digest').expect(200)).body.digest).not.toBe(now.body.digest);
    expect((await audit('/audit/digest?at=garbage').expect(400)).body.code).toBe('INVALID_POSITION_TOKEN');
  });

  it('need the audit scope', async () => {
    expect((await audit('/customers/contoso/history', TOKENS.reader).expect(403)).body.code).toBe('INSUFFICIENT_SCOPE');
  });
});
