import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLedgerClient, type ProblemDetails } from '@ledger/client';
import { apiDocument } from '../apps/ledger/src/app';
import { TestLedger, TOKENS } from './support/test-ledger';

const COMMITTED = join(__dirname, '..', 'libs', 'client', 'openapi.json');

/**
 * The typed client (libs/client) is generated from the committed API document. The document must be the
 * one the service serves, so a change to the API shows in the document's diff and in the client's types,
 * and this story, written against those types, stops compiling when the API breaks it.
 */
describe('the typed client', () => {
  let ledger: TestLedger;
  let baseUrl: string;

  beforeAll(async () => {
    ledger = await TestLedger.start('2026-03-01T09:00:00.000Z');
    const server = ledger.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('is generated from the document the service serves (else: npm run client:generate)', () => {
    const committed: unknown = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(apiDocument(ledger.app))));
  });

  it('drives the multichannel story: partners, a customer, an invitation through a reseller, delegated admin, a refusal and the answers', async () => {
    const ledgerApi = createLedgerClient({ baseUrl, token: TOKENS.admin });
    const as = (actor: string, key?: string) => ({ 'Ledger-Actor': actor, ...(key && { 'Idempotency-Key': key }) });

    for (const [partnerId, program] of [['adatum', 'indirect-provider'], ['fabrikam', 'indirect-reseller']] as const) {
      const { response } = await ledgerApi.POST('/partners', { body: { partnerId, name: partnerId, program, cloud: 'global' } });
      expect(response.status).toBe(201);
    }
    await ledgerApi.POST('/partners/{providerId}/indirect-resellers', {
      params: { path: { providerId: 'adatum' }, header: as('partner:adatum') }, body: { resellerId: 'fabrikam' },
    });
    await ledgerApi.POST('/customers', { body: { customerId: 'contoso', name: 'Contoso', cloud: 'global' } });
    await ledgerApi.POST('/customers/{customerId}/subscriptions', {
      params: { path: { customerId: 'contoso' } },
      body: { subscriptionId: 'm365', kind: 'license', channel: 'advisor', termEndsAt: '2026-05-01T00:00:00Z' },
    });

    const invited = await ledgerApi.POST('/customers/{customerId}/invitations', {
      params: { path: { customerId: 'contoso' }, header: as('partner:adatum', 'adatum-inv-1') },
      body: { invitationId: 'inv-1', partnerId: 'adatum', resellerId: 'fabrikam' },
    });
    expect(invited.data?.events.map((event) => event.type)).toEqual(['InvitationCreated']);
    expect(invited.response.headers.get('ETag')).toBe(`"${invited.data?.revision}"`);

    const accepted = await ledgerApi.POST('/customers/{customerId}/invitations/{invitationId}/acceptance', {
      params: { path: { customerId: 'contoso', invitationId: 'inv-1' }, header: { ...as('customer:contoso'), 'If-Match': `"${invited.data?.revision}"` } },
    });
    expect(accepted.response.status).toBe(201);
    await ledgerApi.POST('/customers/{customerId}/delegated-admin-grants', {
      params: { path: { customerId: 'contoso' }, header: as('customer:contoso') },
      body: { grantId: 'g-1', partnerId: 'fabrikam', roles: ['Helpdesk Administrator'], endsAt: '2027-03-01T00:00:00Z' },
    });

    // MC-09: the license is in its term. The error is typed as the problem the document describes.
    const refused = await ledgerApi.POST('/customers/{customerId}/subscriptions/{subscriptionId}/switch', {
      params: { path: { customerId: 'contoso', subscriptionId: 'm365' }, header: as('customer:contoso') },
      body: { targetPartnerId: 'adatum', newTermEndsAt: '2027-05-01T00:00:00Z' },
    });
    const problem: ProblemDetails | undefined = refused.error;
    expect(refused.response.status).toBe(422);
    expect(problem).toMatchObject({ code: 'MC-09', rule: 'MC-09' });

    // Read back, at least as fresh as the last command.
    const fresh = { 'Ledger-Min-Position': accepted.response.headers.get('Ledger-Position')! };
    const ownership = await ledgerApi.GET('/customers/{customerId}/ownership', { params: { path: { customerId: 'contoso' }, header: fresh } });
    expect(Object.keys(ownership.data?.relationships ?? {})).toHaveLength(1);
    expect(ownership.response.headers.get('ETag')).toBe('"4"');
    const rights = await ledgerApi.GET('/customers/{customerId}/support-rights', { params: { path: { customerId: 'contoso' }, header: fresh } });
    const fabrikam = rights.data?.partners.find((partner) => partner.partnerId === 'fabrikam');
    expect(fabrikam?.rights.map((held) => held.right)).toEqual(['provision', 'support', 'administer']);
    const check = await ledgerApi.GET('/customers/{customerId}/partners/{partnerId}/rights/{right}', {
      params: { path: { customerId: 'contoso', partnerId: 'adatum', right: 'transact' }, header: fresh },
    });
    expect(check.data).toMatchObject({ allowed: true, right: 'transact' });
  });
});
