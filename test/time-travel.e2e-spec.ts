import request from 'supertest';
import { addDays } from '@ledger/domain';
import { TestLedger, TOKENS } from './support/test-ledger';

const T0 = '2026-03-01T09:00:00.000Z';
const CHECKS: Array<[string, string]> = [
  ['adatum', 'transact'], ['fabrikam', 'support'], ['fabrikam', 'administer'], ['adatum', 'administer'],
];

/**
 * The write side's story, one step a day. After each step the live answers are noted; at the end, asked as
 * of each step's time (and position), the ledger answers as it did then — and differently from now.
 */
describe('time travel over the story', () => {
  let ledger: TestLedger;
  const steps: Array<{ at: string; position: string; answers: boolean[] }> = [];

  const get = (path: string) => request(ledger.app.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKENS.reader}`);

  async function answers(query = ''): Promise<boolean[]> {
    return Promise.all(CHECKS.map(async ([partner, right]) =>
      (await get(`/customers/contoso/partners/${partner}/rights/${right}${query}`).expect(200)).body.allowed as boolean));
  }

  async function step(day: number, path: string, body?: object, actor?: string): Promise<void> {
    ledger.clock.set(addDays(T0, day));
    const answer = await ledger.command(path, body, { actor }).expect(201);
    await ledger.projected();
    steps.push({ at: addDays(T0, day), position: answer.headers['ledger-position'], answers: await answers() });
  }

  beforeAll(async () => {
    ledger = await TestLedger.start(T0);
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' }).expect(201);
    await ledger.command('/partners', { partnerId: 'fabrikam', name: 'Fabrikam', program: 'indirect-reseller', cloud: 'global' }).expect(201);
    await ledger.command('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, { actor: 'partner:adatum' }).expect(201);
    await step(0, '/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' });
    await step(1, '/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'adatum', resellerId: 'fabrikam' }, 'partner:adatum');
    await step(2, '/customers/contoso/invitations/inv-1/acceptance', undefined, 'customer:contoso');
    await step(3, '/customers/contoso/delegated-admin-grants',
      { grantId: 'g-1', partnerId: 'fabrikam', roles: ['Helpdesk Administrator'], endsAt: addDays(T0, 30) }, 'customer:contoso');
    await step(4, '/customers/contoso/delegated-admin-grants',
      { grantId: 'g-2', partnerId: 'adatum', roles: ['Global Reader'], endsAt: addDays(T0, 60) }, 'customer:contoso');
    await step(5, '/customers/contoso/delegated-admin-grants/g-2/revocation', undefined, 'customer:contoso');
    await step(6, '/customers/contoso/relationships/inv-1/termination', undefined, 'customer:contoso');
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('the answers changed from step to step', () => {
    expect(steps.map((s) => s.answers)).toEqual([
      [false, false, false, false],
      [false, false, false, false],
      [true, true, false, false],
      [true, true, true, false],
      [true, true, true, true],
      [true, true, true, false],
      [false, true, true, false],
    ]);
  });

  it('asked as of each step’s time, the ledger answers as it did then', async () => {
    ledger.clock.set(addDays(T0, 40));
    for (const { at, answers: then } of steps) expect(await answers(`?asOf=${at}`)).toEqual(then);
  });

  it('asked as of each step’s position, the same', async () => {
    for (const { position, answers: then } of steps) expect(await answers(`?asOfPosition=${position}`)).toEqual(then);
  });

  it('and now, with the relationship terminated and the grant past its end, the answers differ', async () => {
    expect(await answers()).toEqual([false, false, false, false]);
    expect(await answers()).not.toEqual(steps[4].answers);
  });

  it('as of before the customer existed, it says so', async () => {
    const answer = await get(`/customers/contoso/ownership?asOf=${addDays(T0, -1)}`).expect(404);
    expect(answer.body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await get(`/customers/contoso/ownership?asOf=${T0}&asOfPosition=${steps[0].position}`).expect(400)).body.code)
      .toBe('VALIDATION_FAILED');
  });

  it('shows past ownership and rights with the time they were judged at', async () => {
    const past = await get(`/customers/contoso/support-rights?asOf=${steps[4].at}`).expect(200);
    expect(past.body.evaluatedAt).toBe(steps[4].at);
    expect(past.body.partners.map((p: { partnerId: string }) => p.partnerId)).toEqual(['adatum', 'fabrikam']);
    const ownership = await get(`/customers/contoso/ownership?asOfPosition=${steps[2].position}`).expect(200);
    expect(ownership.body.relationships['inv-1'].status).toBe('active');
  });
});
