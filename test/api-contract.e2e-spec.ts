import request, { type Response } from 'supertest';
import { ApiContract } from './support/api-contract';
import { inviteThroughReseller } from './support/ledger-command';
import { TestLedger, TOKENS } from './support/test-ledger';

/**
 * The API document as a contract. The authorization matrix and the bad-input test hold each of their answers
 * (every route × every kind of credential, some six hundred malformed requests) to it; this file adds the
 * answers they do not reach, and shows that the check finds what it looks for.
 */
describe('the API document as a contract', () => {
  let ledger: TestLedger;
  let contract: ApiContract;
  const answers: Response[] = [];
  const http = () => request(ledger.app.getHttpServer());
  const keep = async (test: request.Test): Promise<Response> => {
    const answer = await test;
    answers.push(answer);
    return answer;
  };

  beforeAll(async () => {
    ledger = await TestLedger.start(undefined, undefined, undefined, { rateLimitPerMinute: 40 });
    contract = ApiContract.of(ledger.app);
    await inviteThroughReseller(ledger);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('finds an undocumented status, an undocumented header of the ledger’s and a body its schema does not allow', async () => {
    const answer = await http().get('/policies').set('Authorization', `Bearer ${TOKENS.reader}`).expect(200);
    expect(contract.findings(answer)).toEqual([]);
    const { status, headers, text, body } = answer;
    const altered = (changes: Partial<Response>) => ({ req: (answer as unknown as { req: unknown }).req, status, headers, text, body, ...changes }) as Response;
    expect(contract.findings(altered({ status: 409 }))).toEqual(['GET /policies → 409: GET /policies does not document 409']);
    expect(contract.findings(altered({ headers: { ...answer.headers, allow: 'GET' } }))).toEqual(['GET /policies → 200: header allow is not documented']);
    const { inForce: _, ...lacking } = answer.body as Record<string, unknown>;
    expect(contract.findings(altered({ body: lacking }))[0]).toMatch(/the body does not match its schema: .*inForce/);
  });

  it('documents the answers beyond the matrix: a rule’s refusal, a replay, a stale If-Match, an ETag from a query, a wait, a rate limit', async () => {
    const admin = (test: request.Test) => test.set('Authorization', `Bearer ${TOKENS.admin}`);
    // A rule refuses (MC-03: a reseller cannot invite on its own).
    const refused = await keep(ledger.command('/customers/contoso/invitations', { partnerId: 'fabrikam' }, { actor: 'partner:fabrikam' }));
    expect(refused.status).toBe(422);
    // A retry is answered as the first time.
    await keep(ledger.command('/customers', { customerId: 'litware', name: 'Litware', cloud: 'global' }, { key: 'litware-1' }));
    const replayed = await keep(ledger.command('/customers', { customerId: 'litware', name: 'Litware', cloud: 'global' }, { key: 'litware-1' }));
    expect(replayed.headers['idempotent-replayed']).toBe('true');

    // A query's ETag is the stream's revision: as If-Match it lets the command through, and once used, it is stale.
    await ledger.projected();
    const ownership = await keep(admin(http().get('/customers/contoso/ownership')));
    expect(ownership.headers.etag).toBe('"1"');
    const accepted = await keep(ledger.command('/customers/contoso/invitations/inv-1/acceptance', undefined,
      { actor: 'customer:contoso', ifMatch: ownership.headers.etag as string }));
    expect(accepted.status).toBe(201);
    const stale = await keep(ledger.command('/customers/contoso/invitations/inv-1/revocation', undefined,
      { actor: 'partner:adatum', ifMatch: ownership.headers.etag as string }));
    expect(stale.status).toBe(412);
    const profile = await keep(admin(http().get('/partners/adatum')));
    expect(profile.headers.etag).toBe('"1"');

    // A read that asks for a position the read models have not reached.
    const ahead = `p1.${Buffer.from('999999999.999999999').toString('base64url')}`;
    expect((await keep(admin(http().get('/customers/contoso/ownership').set('Ledger-Min-Position', ahead)))).status).toBe(503);
    await keep(admin(http().get('/health/ready')));
    await keep(admin(http().get('/customers/contoso/history')));

    // A client over its rate (the system scope has none, so a reader).
    let limited: Response | undefined;
    for (let i = 0; i < 60 && !limited; i += 1) {
      const answer = await keep(http().get('/policies').set('Authorization', `Bearer ${TOKENS.reader}`));
      if (answer.status === 429) limited = answer;
    }
    expect(limited?.headers['retry-after']).toBeDefined();

    expect(answers.flatMap((answer) => contract.findings(answer))).toEqual([]);
  });
});
