import { Controller, Get, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AuthGuard } from '../apps/ledger/src/auth/auth.guard';
import { assertEveryRouteDeclaresAccess, type Route, routeTable } from '../apps/ledger/src/auth/route-table';
import { TokenRegistry } from '../apps/ledger/src/auth/token-registry';
import { LEDGER_CONFIG } from '../apps/ledger/src/config/config.token';
import { loadConfig, type Scope } from '../apps/ledger/src/config/ledger-config';
import { ProblemDetailsFilter } from '../apps/ledger/src/problems/problem-details.filter';
import { ApiContract } from './support/api-contract';
import { TestIssuer } from './support/oidc-issuer';
import { TestLedger, TOKENS } from './support/test-ledger';

/** Who calls, in the matrix: every kind of credential the ledger knows, and none. */
interface Caller {
  readonly name: string;
  readonly authorization?: () => string;
  readonly scopes: readonly Scope[];
  /** Bound to a party that has no part in the victim's affairs: must see and change nothing of it. */
  readonly bound: false | 'customer' | 'partner';
}

/** The victim: a customer, its relationship owner and the ids of its facts. Bound callers are strangers to it. */
const PARAMS: Record<string, string> = {
  customerId: 'contoso', partnerId: 'adatum', providerId: 'adatum', invitationId: 'inv-1', grantId: 'g-1',
  subscriptionId: 'azure', right: 'administer', relationshipId: 'set in beforeAll', gdapId: 'gdap-1', assignmentId: 'as-1', transferId: 't-1',
};

/** A body for each command route that would succeed for a caller allowed to send it. A new route must add one. */
const BODIES: Record<string, object | undefined> = {
  'POST /admin/backups': undefined,
  'POST /admin/read-models/rebuild': undefined,
  'POST /audit/checkpoints': undefined,
  'POST /customers': { customerId: 'newco', name: 'Newco', cloud: 'global' },
  'POST /customers/:customerId/delegated-admin-grants': { partnerId: 'northwind', roles: ['Global Administrator'], endsAt: '2027-12-01T00:00:00Z' },
  'POST /customers/:customerId/delegated-admin-grants/:grantId/expiry': undefined,
  'POST /customers/:customerId/delegated-admin-grants/:grantId/revocation': undefined,
  'POST /customers/:customerId/invitations': { partnerId: 'northwind' },
  'POST /customers/:customerId/invitations/:invitationId/acceptance': undefined,
  'POST /customers/:customerId/invitations/:invitationId/expiry': undefined,
  'POST /customers/:customerId/invitations/:invitationId/revocation': undefined,
  'POST /customers/:customerId/relationships/:relationshipId/termination': undefined,
  'POST /customers/:customerId/subscriptions': { subscriptionId: 'stolen', kind: 'usage', channel: 'csp', partnerOfRecordId: 'northwind' },
  'POST /customers/:customerId/subscriptions/:subscriptionId/cancellation': undefined,
  'POST /customers/:customerId/subscriptions/:subscriptionId/switch': { targetPartnerId: 'northwind' },
  'POST /customers/:customerId/subscriptions/:subscriptionId/term-end': undefined,
  'POST /customers/:customerId/gdap-relationships': { partnerId: 'northwind', roles: ['Helpdesk Administrator'], durationDays: 30 },
  'POST /customers/:customerId/gdap-relationships/established': { partnerId: 'adatum', roles: ['Helpdesk Administrator'], durationDays: 30, origin: 'default-roles' },
  'POST /customers/:customerId/gdap-relationships/:gdapId/access-assignments': { securityGroupId: 'sg-2', roles: ['Helpdesk Administrator'] },
  'POST /customers/:customerId/gdap-relationships/:gdapId/access-assignments/:assignmentId/removal': undefined,
  'POST /customers/:customerId/gdap-relationships/:gdapId/approval': undefined,
  'POST /customers/:customerId/gdap-relationships/:gdapId/auto-extend': { autoExtend: true },
  'POST /customers/:customerId/gdap-relationships/:gdapId/request-expiry': undefined,
  'POST /customers/:customerId/gdap-relationships/:gdapId/term-end': undefined,
  'POST /customers/:customerId/gdap-relationships/:gdapId/termination': undefined,
  'POST /customers/:customerId/transfers': { sourcePartnerId: 'adatum', targetPartnerId: 'northwind', subscriptionIds: ['m365'] },
  'POST /customers/:customerId/transfers/:transferId/approval': undefined,
  'POST /customers/:customerId/transfers/:transferId/cancellation': undefined,
  'POST /customers/:customerId/transfers/:transferId/expiry': undefined,
  'POST /customers/:customerId/transfers/:transferId/rejection': undefined,
  'POST /partners': { partnerId: 'newco', name: 'Newco', program: 'direct-bill', cloud: 'global' },
  'POST /partners/:partnerId/move-to-csp': { program: 'direct-bill' },
  'POST /partners/:providerId/indirect-resellers': { resellerId: 'northwind' },
};

/**
 * What a stranger may do about the victim: a partner invites a customer it has no part in yet, as every relationship starts
 * (MC-02), or asks it for GDAP (MC-16); the customer answers.
 */
const STRANGER_PARTNERS_MAY = new Set(['POST /customers/:customerId/invitations', 'POST /customers/:customerId/gdap-relationships']);

function concretePath(route: Route): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in PARAMS)) throw new Error(`The matrix has no value for :${name} (${route.path}): add one to PARAMS`);
    return PARAMS[name];
  });
}

describe('authorization matrix: every route × every kind of credential', () => {
  let issuer: TestIssuer;
  let ledger: TestLedger;
  let oidcService = '';
  let oidcBound = '';

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    ledger = await TestLedger.start(undefined, undefined, undefined, { oidc: issuer.config });
    oidcService = await issuer.token({ azp: 'customer-portal', scope: 'read write', ledger_acts_for: ['customer:*'] }, { expiresIn: '1h' });
    oidcBound = await issuer.token({ azp: 'northwind-app', scope: 'read write', ledger_actor: 'partner:northwind' }, { expiresIn: '1h' });
    for (const [partnerId, program] of [['northwind', 'direct-bill'], ['adatum', 'indirect-provider'], ['fabrikam', 'indirect-reseller'], ['tailspin', 'direct-bill']]) {
      await ledger.command('/partners', { partnerId, name: partnerId, program, cloud: 'global' }).expect(201);
    }
    await ledger.command('/partners/adatum/indirect-resellers', { resellerId: 'fabrikam' }, { actor: 'partner:adatum' }).expect(201);
    for (const customerId of ['contoso', 'litware']) {
      await ledger.command('/customers', { customerId, name: customerId, cloud: 'global' }).expect(201);
    }
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-1', partnerId: 'adatum', resellerId: 'fabrikam' },
      { actor: 'partner:adatum' }).expect(201);
    const accepted = await ledger.command('/customers/contoso/invitations/inv-1/acceptance', undefined, { actor: 'customer:contoso' }).expect(201);
    PARAMS.relationshipId = accepted.body.events[0].data.relationshipId;
    await ledger.command('/customers/contoso/delegated-admin-grants',
      { grantId: 'g-1', partnerId: 'fabrikam', roles: ['Helpdesk Administrator'], endsAt: '2026-12-01T00:00:00Z' }, { actor: 'customer:contoso' }).expect(201);
    await ledger.command('/customers/contoso/subscriptions', { subscriptionId: 'azure', kind: 'usage', channel: 'csp', partnerOfRecordId: 'adatum' },
      { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/subscriptions',
      { subscriptionId: 'm365', kind: 'license', channel: 'csp', partnerOfRecordId: 'adatum', termEndsAt: '2027-01-01T00:00:00Z', commerce: 'new-commerce' },
      { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/gdap-relationships', { gdapId: 'gdap-1', partnerId: 'adatum', roles: ['Helpdesk Administrator'], durationDays: 90 },
      { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/gdap-relationships/gdap-1/approval', undefined, { actor: 'customer:contoso' }).expect(201);
    await ledger.command('/customers/contoso/gdap-relationships/gdap-1/access-assignments',
      { assignmentId: 'as-1', securityGroupId: 'sg-1', roles: ['Helpdesk Administrator'] }, { actor: 'partner:adatum' }).expect(201);
    await ledger.command('/customers/contoso/invitations', { invitationId: 'inv-2', partnerId: 'tailspin' }, { actor: 'partner:tailspin' }).expect(201);
    await ledger.command('/customers/contoso/invitations/inv-2/acceptance', undefined, { actor: 'customer:contoso' }).expect(201);
    await ledger.command('/customers/contoso/transfers', { transferId: 't-1', sourcePartnerId: 'adatum', targetPartnerId: 'tailspin', subscriptionIds: ['m365'] },
      { actor: 'partner:tailspin' }).expect(201);
    await ledger.projected();
  });

  afterAll(async () => {
    await ledger.close();
    await issuer.stop();
  });

  const bearer = (token: string) => () => `Bearer ${token}`;
  const CALLERS: Caller[] = [
    { name: 'no token', scopes: [], bound: false },
    { name: 'a wrong token', authorization: bearer('not-a-token-of-this-ledger'), scopes: [], bound: false },
    { name: 'a malformed header', authorization: () => 'Basic dXNlcjpwYXNz', scopes: [], bound: false },
    { name: 'the write scope alone', authorization: bearer(TOKENS.writeOnly), scopes: ['write'], bound: false },
    { name: 'the read scope alone', authorization: bearer(TOKENS.readOnly), scopes: ['read'], bound: false },
    { name: 'the audit scope alone', authorization: bearer(TOKENS.auditOnly), scopes: ['audit'], bound: false },
    { name: 'the system scope alone', authorization: bearer(TOKENS.systemOnly), scopes: ['system'], bound: false },
    { name: 'the metrics scope alone', authorization: bearer(TOKENS.metricsOnly), scopes: ['metrics'], bound: false },
    { name: 'a customer-bound token (litware)', authorization: bearer(TOKENS.litwarePortal), scopes: ['write', 'read'], bound: 'customer' },
    { name: 'a partner-bound token (northwind)', authorization: bearer(TOKENS.northwindBackOffice), scopes: ['write', 'read'], bound: 'partner' },
    { name: 'a service with a party list', authorization: bearer(TOKENS.partnerPortal), scopes: ['write', 'read'], bound: false },
    { name: 'a service without one', authorization: bearer(TOKENS.opsService), scopes: ['write', 'read', 'audit'], bound: false },
    { name: 'an OIDC service token', authorization: () => `Bearer ${oidcService}`, scopes: ['write', 'read'], bound: false },
    { name: 'an OIDC token bound to northwind', authorization: () => `Bearer ${oidcBound}`, scopes: ['write', 'read'], bound: 'partner' },
  ];

  it('covers every route the application declares, each with the access it requires', () => {
    const routes = routeTable(ledger.app);
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const route of routes) {
      expect({ route: `${route.method} ${route.path}`, declared: route.access !== undefined }).toEqual({ route: `${route.method} ${route.path}`, declared: true });
      if (route.method === 'POST') expect(Object.keys(BODIES)).toContain(`${route.method} ${route.path}`);
    }
  });

  it('answers each caller as its credential allows, as the API document says, and nothing it may not do changes the log', async () => {
    const findings: string[] = [];
    const contract = ApiContract.of(ledger.app);
    let n = 0;
    for (const route of routeTable(ledger.app)) {
      const path = concretePath(route);
      const open = route.access?.public === true || (route.access?.publicWhen === 'metricsPublic');
      for (const caller of CALLERS) {
        n += 1;
        const before = await ledger.store.headPosition();
        // The change feed, told not to follow, ends at the log's head instead of staying open.
        let test = route.method === 'GET' ? request(ledger.app.getHttpServer()).get(path).query(path === '/events' ? { follow: 'false' } : {})
          : request(ledger.app.getHttpServer()).post(path);
        test = test.set('Idempotency-Key', `matrix-${n}`);
        if (caller.authorization) test = test.set('Authorization', caller.authorization());
        const body = BODIES[`${route.method} ${route.path}`];
        const answer = await (body === undefined ? test : test.send(body));
        const after = await ledger.store.headPosition();
        const cell = `${route.method} ${route.path} with ${caller.name}: ${answer.status} ${answer.body?.code ?? ''}`;
        findings.push(...contract.findings(answer).map((finding) => `${caller.name}: ${finding}`));
        const success = answer.status >= 200 && answer.status < 300;

        if (answer.status >= 500) findings.push(`${cell} (a server error)`);
        if (!success && after?.commit !== before?.commit) findings.push(`${cell} appended although it failed`);
        if (open || route.access?.public !== false) {
          if (answer.status === 401 || answer.status === 403) findings.push(`${cell}: an open route refused`);
          continue;
        }
        if (!caller.authorization || caller.scopes.length === 0) {
          if (answer.status !== 401) findings.push(`${cell}: expected 401`);
        } else if (!caller.scopes.includes(route.access.scope)) {
          if (answer.status !== 403 || answer.body.code !== 'INSUFFICIENT_SCOPE') findings.push(`${cell}: expected 403 INSUFFICIENT_SCOPE`);
        } else {
          if (answer.status === 401 || answer.body.code === 'INSUFFICIENT_SCOPE') findings.push(`${cell}: refused although its scope suffices`);
          const mayActAsStranger = caller.bound === 'partner' && STRANGER_PARTNERS_MAY.has(`${route.method} ${route.path}`);
          if (caller.bound && !mayActAsStranger) {
            if (route.path.includes(':') && success) findings.push(`${cell}: a stranger was answered about the victim`);
            if (success && answer.text.includes('contoso')) findings.push(`${cell}: a stranger saw the victim's data`);
          }
        }
      }
    }
    expect(findings).toEqual([]);
    expect(n).toBe(routeTable(ledger.app).length * CALLERS.length);
  });

  it('keeps /metrics behind the metrics scope when it is not configured public', async () => {
    const closed = await TestLedger.start(undefined, undefined, undefined, { metricsPublic: false });
    try {
      const metrics = (token?: string) => {
        const test = request(closed.app.getHttpServer()).get('/metrics');
        return token ? test.set('Authorization', `Bearer ${token}`) : test;
      };
      await metrics().expect(401);
      await metrics(TOKENS.readOnly).expect(403);
      await metrics(TOKENS.metricsOnly).expect(200);
      await request(closed.app.getHttpServer()).get('/health/live').expect(200);
    } finally {
      await closed.close();
    }
  });
});

describe('deny by default', () => {
  @Controller('forgotten')
  class ForgottenController {
    @Get()
    secrets() {
      return { secret: 42 };
    }
  }

  @Module({
    controllers: [ForgottenController],
    providers: [
      { provide: TokenRegistry, useValue: new TokenRegistry([]) },
      { provide: LEDGER_CONFIG, useValue: loadConfig({}) },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    ],
  })
  class ForgetfulModule {}

  it('closes a route that declares neither a scope nor Public, and the ledger refuses to start with one', async () => {
    const app = (await Test.createTestingModule({ imports: [ForgetfulModule] }).compile()).createNestApplication({ logger: false });
    await app.init();
    try {
      const answer = await request(app.getHttpServer()).get('/forgotten').expect(403);
      expect(answer.body.code).toBe('ROUTE_NOT_OPEN');
      expect(() => assertEveryRouteDeclaresAccess(app)).toThrow('GET /forgotten');
    } finally {
      await app.close();
    }
  });
});
