import { rmSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { addDays } from '@ledger/domain';
import { runCli } from '../apps/ledger-cli/src/ledger-cli';
import { Scheduler } from '../apps/ledger/src/scheduler/scheduler';
import { TestLedger, TOKENS } from './support/test-ledger';

const T0 = '2026-03-01T09:00:00.000Z';
const HELPDESK = 'Helpdesk Administrator';
const USERS = 'User Administrator';

const get = (ledger: TestLedger, path: string) => request(ledger.app.getHttpServer()).get(path).set('Authorization', `Bearer ${TOKENS.admin}`);

async function enroll(ledger: TestLedger, partners: Array<[string, string]>, customers: string[]): Promise<void> {
  for (const [partnerId, program] of partners) {
    await ledger.command('/partners', { partnerId, name: partnerId, program, cloud: 'global' }).expect(201);
  }
  for (const customerId of customers) await ledger.command('/customers', { customerId, name: customerId, cloud: 'global' }).expect(201);
}

async function relate(ledger: TestLedger, customerId: string, partnerId: string): Promise<void> {
  const invitation = await ledger.command(`/customers/${customerId}/invitations`, { partnerId }, { actor: `partner:${partnerId}` }).expect(201);
  await ledger.command(`/customers/${customerId}/invitations/${invitation.body.events[0].data.invitationId}/acceptance`, undefined,
    { actor: `customer:${customerId}` }).expect(201);
}

describe('GDAP: from request to approval, access, auto-extension and termination by the customer', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start(T0);
    await enroll(ledger, [['northwind', 'direct-bill'], ['adatum', 'indirect-provider'], ['fabrikam', 'indirect-reseller']], ['contoso']);
    await ledger.command('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, { actor: 'partner:adatum' }).expect(201);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('refuses a request with Global Administrator and auto-extend, naming MC-16 and the policy in force', async () => {
    const refused = await ledger.command('/customers/contoso/gdap-relationships',
      { partnerId: 'northwind', roles: ['Global Administrator'], durationDays: 365, autoExtend: true }, { actor: 'partner:northwind' }).expect(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'MC-16', rule: 'MC-16', policy: 'gdap-2023' });
    expect(await ledger.streamTypes('customer-contoso')).toEqual(['CustomerRegistered']);
  });

  it('records the request, the customer’s approval, access for a security group, and rights from it', async () => {
    await ledger.command('/customers/contoso/gdap-relationships',
      { gdapId: 'gdap-1', partnerId: 'northwind', roles: [HELPDESK, USERS], durationDays: 30, autoExtend: true }, { actor: 'partner:northwind' }).expect(201);
    await ledger.projected();
    const pending = await get(ledger, '/partners/northwind/pending-requests').expect(200);
    expect(pending.body.items).toEqual([{ kind: 'gdap-request', direction: 'outgoing', customerId: 'contoso', refId: 'gdap-1',
      counterpartyId: null, expiresAt: addDays(T0, 90) }]);

    const approval = await ledger.command('/customers/contoso/gdap-relationships/gdap-1/approval', undefined, { actor: 'customer:contoso' }).expect(201);
    expect(approval.body.events[0]).toMatchObject({ type: 'GdapRelationshipApproved', data: { endsAt: addDays(T0, 30) } });
    await ledger.command('/customers/contoso/gdap-relationships/gdap-1/access-assignments',
      { assignmentId: 'as-1', securityGroupId: 'helpdesk-agents', roles: [HELPDESK] }, { actor: 'partner:northwind' }).expect(201);
    await ledger.projected();

    const relationships = await get(ledger, '/customers/contoso/gdap-relationships').expect(200);
    expect(relationships.body.relationships).toEqual([expect.objectContaining({
      gdapId: 'gdap-1', partnerId: 'northwind', status: 'active', origin: 'customer-approved', roles: [HELPDESK, USERS],
      endsAt: addDays(T0, 30), autoExtend: true, inForce: true, accessRoles: [HELPDESK],
      assignments: [{ assignmentId: 'as-1', securityGroupId: 'helpdesk-agents', roles: [HELPDESK], status: 'active' }],
    })]);
    const rights = await get(ledger, '/customers/contoso/partners/northwind/rights/administer').expect(200);
    expect(rights.body).toMatchObject({ allowed: true, reasons: [{ rule: 'MC-19' }] });
    expect((await get(ledger, '/partners/northwind/pending-requests').expect(200)).body.items).toEqual([]);
  });

  it('lists it among relationships ending within 30 days, marked as auto-extending', async () => {
    const expiring = await get(ledger, '/gdap-relationships/expiring?withinDays=30').expect(200);
    expect(expiring.body.items).toEqual([{ customerId: 'contoso', gdapId: 'gdap-1', partnerId: 'northwind', roles: [HELPDESK, USERS],
      accessRoles: [HELPDESK], endsAt: addDays(T0, 30), autoExtend: true }]);
    expect((await get(ledger, '/gdap-relationships/expiring?withinDays=29').expect(200)).body.items).toEqual([]);
  });

  it('the scheduler extends it by 180 days at its end', async () => {
    ledger.clock.set(addDays(T0, 30));
    expect(await ledger.app.get(Scheduler).runOnce()).toMatchObject({ recorded: 1, failed: 0 });
    await ledger.projected();
    const relationship = (await get(ledger, '/customers/contoso/gdap-relationships').expect(200)).body.relationships[0];
    expect(relationship).toMatchObject({ status: 'active', endsAt: addDays(T0, 210), inForce: true });
    expect(relationship.steps.map((step: { type: string }) => step.type)).toEqual([
      'GdapRelationshipRequested', 'GdapRelationshipApproved', 'GdapAccessAssigned', 'GdapRelationshipExtended']);
  });

  it('refuses a reseller acting in another partner’s relationship, and names MC-21 for an inherited one', async () => {
    await relate(ledger, 'contoso', 'adatum');
    await ledger.command('/customers/contoso/gdap-relationships', { gdapId: 'gdap-2', partnerId: 'adatum', roles: [HELPDESK], durationDays: 60 },
      { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/gdap-relationships/gdap-2/approval', undefined, { actor: 'customer:contoso' }).expect(201);
    const refused = await ledger.command('/customers/contoso/gdap-relationships/gdap-2/access-assignments',
      { securityGroupId: 'fabrikam-agents', roles: [HELPDESK] }, { actor: 'partner:fabrikam' }).expect(422);
    expect(refused.body.code).toBe('MC-21');
  });

  it('ends it when the customer asks: no rights after, history kept', async () => {
    ledger.clock.set(addDays(T0, 40));
    const terminated = await ledger.command('/customers/contoso/gdap-relationships/gdap-1/termination', undefined, { actor: 'customer:contoso' }).expect(201);
    expect(terminated.body.events[0]).toMatchObject({ type: 'GdapRelationshipTerminated', data: { requestedBy: 'customer' } });
    await ledger.projected();
    const rights = await get(ledger, '/customers/contoso/partners/northwind/rights/administer').expect(200);
    expect(rights.body.allowed).toBe(false);
    expect(rights.body.reasons.map((r: { rule: string }) => r.rule)).toContain('MC-18');
    const relationship = (await get(ledger, '/customers/contoso/gdap-relationships').expect(200)).body.relationships[0];
    expect(relationship).toMatchObject({ gdapId: 'gdap-1', status: 'terminated', inForce: false, accessRoles: [] });
    const before = await get(ledger, `/customers/contoso/gdap-relationships?asOf=${encodeURIComponent(addDays(T0, 35))}`).expect(200);
    expect(before.body.relationships[0]).toMatchObject({ gdapId: 'gdap-1', status: 'active', inForce: true });
  });
});

describe('partner-led transfers of new commerce subscriptions', () => {
  let ledger: TestLedger;
  const TERM_END = addDays(T0, 200);

  beforeAll(async () => {
    ledger = await TestLedger.start(T0);
    await enroll(ledger, [['northwind', 'direct-bill'], ['adatum', 'direct-bill'], ['tailspin', 'direct-bill']], ['contoso']);
    await relate(ledger, 'contoso', 'northwind');
    await relate(ledger, 'contoso', 'adatum');
    for (const [subscriptionId, commerce] of [['m365', 'new-commerce'], ['o365', 'legacy']]) {
      await ledger.command('/customers/contoso/subscriptions',
        { subscriptionId, kind: 'license', channel: 'csp', partnerOfRecordId: 'northwind', termEndsAt: TERM_END, commerce },
        { actor: 'partner:northwind' }).expect(201);
    }
  });

  afterAll(async () => {
    await ledger.close();
  });

  const requestTransfer = (target: string, subscriptionIds: string[]) => ledger.command('/customers/contoso/transfers',
    { transferId: `t-${target}-${subscriptionIds.join('-')}`, sourcePartnerId: 'northwind', targetPartnerId: target, subscriptionIds },
    { actor: `partner:${target}` });

  it('refuses a target without a relationship with the customer (MC-22)', async () => {
    expect((await requestTransfer('tailspin', ['m365']).expect(422)).body.code).toBe('MC-22');
  });

  it('still refuses a legacy license in its term (MC-09)', async () => {
    expect((await requestTransfer('adatum', ['o365']).expect(422)).body.code).toBe('MC-09');
  });

  it('moves a new commerce license mid-term once the source approves, keeping its term', async () => {
    await requestTransfer('adatum', ['m365']).expect(201);
    await ledger.projected();
    const incoming = await get(ledger, '/partners/northwind/pending-requests?direction=incoming').expect(200);
    expect(incoming.body.items).toEqual([{ kind: 'transfer', direction: 'incoming', customerId: 'contoso', refId: 't-adatum-m365',
      counterpartyId: 'adatum', expiresAt: addDays(T0, 30) }]);
    expect((await ledger.command('/customers/contoso/transfers/t-adatum-m365/approval', undefined, { actor: 'partner:adatum' }).expect(422)).body.code)
      .toBe('MC-23');

    ledger.clock.set(addDays(T0, 5));
    await ledger.command('/customers/contoso/transfers/t-adatum-m365/approval', undefined, { actor: 'partner:northwind' }).expect(201);
    await ledger.projected();
    const ownership = await get(ledger, '/customers/contoso/ownership').expect(200);
    const { m365 } = ownership.body.subscriptions;
    expect(m365).toMatchObject({ partnerOfRecordId: 'adatum', termEndsAt: TERM_END, status: 'active', commerce: 'new-commerce' });
    expect(m365.history.map((step: { type: string }) => step.type)).toEqual(['SubscriptionRecorded', 'TransferCompleted']);
    const transfers = await get(ledger, '/customers/contoso/transfers').expect(200);
    expect(transfers.body.transfers[0]).toMatchObject({ transferId: 't-adatum-m365', status: 'completed', subscriptionIds: ['m365'] });
  });
});

describe('rules by effective date', () => {
  let ledger: TestLedger;
  const BEFORE = '2023-01-10T09:00:00.000Z';
  const AFTER = '2023-06-01T09:00:00.000Z';

  afterAll(async () => {
    await ledger.close();
  });

  it('decides the same transfer request by its date, names the policy of each event, and replays to the same state', async () => {
    ledger = await TestLedger.start(BEFORE);
    await enroll(ledger, [['northwind', 'direct-bill'], ['adatum', 'direct-bill']], ['contoso']);
    await relate(ledger, 'contoso', 'northwind');
    await relate(ledger, 'contoso', 'adatum');
    await ledger.command('/customers/contoso/subscriptions',
      { subscriptionId: 'm365', kind: 'license', channel: 'csp', partnerOfRecordId: 'northwind', termEndsAt: '2024-01-10T00:00:00Z', commerce: 'new-commerce' },
      { actor: 'partner:northwind' }).expect(201);
    const transfer = { transferId: 't-1', sourcePartnerId: 'northwind', targetPartnerId: 'adatum', subscriptionIds: ['m365'] };

    const refused = await ledger.command('/customers/contoso/transfers', transfer, { actor: 'partner:adatum' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'NOT_IN_POLICY', policy: 'multichannel-2019' });
    expect((await get(ledger, '/policies').expect(200)).body).toMatchObject({ inForce: 'multichannel-2019' });

    ledger.clock.set(AFTER);
    await ledger.command('/customers/contoso/transfers', transfer, { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/transfers/t-1/approval', undefined, { actor: 'partner:northwind' }).expect(201);
    await ledger.projected();

    const history = await get(ledger, '/customers/contoso/history').set('Authorization', `Bearer ${TOKENS.auditOnly}`).expect(200);
    const policies = history.body.items.map((e: { type: string; policy: string; metadata: { policy: string } }) => [e.type, e.policy, e.metadata.policy]);
    expect(policies[0]).toEqual(['CustomerRegistered', 'multichannel-2019', 'multichannel-2019']);
    expect(policies.slice(-2)).toEqual([['TransferRequested', 'gdap-2023', 'gdap-2023'], ['TransferCompleted', 'gdap-2023', 'gdap-2023']]);
    const refusals = await get(ledger, '/audit/refusals').set('Authorization', `Bearer ${TOKENS.auditOnly}`).expect(200);
    expect(refusals.body.items).toEqual([expect.objectContaining({ code: 'NOT_IN_POLICY', policy: 'multichannel-2019' })]);

    const answers = async () => Promise.all(['ownership', 'transfers', 'support-rights'].map(async (q) => {
      const { body } = await get(ledger, `/customers/contoso/${q}`).expect(200);
      return { ...body, evaluatedAt: undefined };
    }));
    const live = await answers();
    await ledger.stop();
    rmSync(join(ledger.dataDir, 'read-models.sqlite'));
    ledger = await TestLedger.start(AFTER, 'SQLite', ledger.dataDir);
    await ledger.projected();
    expect(await answers()).toEqual(live);

    await ledger.stop();
    const out: string[] = [];
    expect(await runCli(['replay', '--data-dir', ledger.dataDir], { out: (line) => out.push(line), err: (line) => out.push(line), interactive: false, env: {} }))
      .toBe(0);
    expect(out[0]).toMatch(/^ok/);
    ledger = await TestLedger.start(AFTER, 'SQLite', ledger.dataDir);
  });
});
