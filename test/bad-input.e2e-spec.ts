import request from 'supertest';
import { ApiContract } from './support/api-contract';
import { TestLedger, TOKENS } from './support/test-ledger';

interface BadRequest {
  readonly name: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is (with the JSON content type unless headers say otherwise). */
  readonly body?: unknown;
}

const AUTH = { Authorization: `Bearer ${TOKENS.admin}` };
const JSON_TYPE = { 'Content-Type': 'application/json' };

const VALID_BODIES: Readonly<Record<string, Record<string, unknown>>> = {
  '/partners': { partnerId: 'p-new', name: 'New', program: 'direct-bill', cloud: 'global' },
  '/partners/adatum/indirect-resellers': { resellerId: 'fabrikam' },
  '/partners/adatum/move-to-csp': { program: 'direct-bill' },
  '/customers': { customerId: 'c-new', name: 'New', cloud: 'global' },
  '/customers/contoso/subscriptions': { subscriptionId: 's-new', kind: 'usage', channel: 'csp', partnerOfRecordId: 'adatum' },
  '/customers/contoso/subscriptions/azure/switch': { targetPartnerId: 'adatum' },
  '/customers/contoso/invitations': { partnerId: 'adatum' },
  '/customers/contoso/delegated-admin-grants': { partnerId: 'adatum', roles: ['Helpdesk Administrator'], endsAt: '2026-12-01T00:00:00Z' },
};

const NO_BODY_PATHS = [
  '/customers/contoso/subscriptions/azure/cancellation',
  '/customers/contoso/subscriptions/azure/term-end',
  '/customers/contoso/invitations/inv/acceptance',
  '/customers/contoso/invitations/inv/revocation',
  '/customers/contoso/invitations/inv/expiry',
  '/customers/contoso/relationships/rel/termination',
  '/customers/contoso/delegated-admin-grants/g/revocation',
  '/customers/contoso/delegated-admin-grants/g/expiry',
];

const NOT_A_STRING: unknown[] = [null, 42, true, [], {}];
const WRONG_VALUES: Readonly<Record<string, unknown[]>> = {
  id: [...NOT_A_STRING, '', ' ', 'has spaces', 'x'.repeat(300), 'ünïcødé', '../etc', '-leading-dash'],
  name: [...NOT_A_STRING, '', ' ', ' padded ', 'x'.repeat(300)],
  enum: [...NOT_A_STRING, '', 'bogus', 'GLOBAL'],
  instant: [...NOT_A_STRING, '', 'tomorrow', '2026-12-01', '2026-12-01T00:00:00', '2026-13-01T00:00:00Z'],
  roles: [null, 'Helpdesk Administrator', [1], [''], ['x'.repeat(200)], Array(100).fill('r')],
};
const OPTIONAL_FIELDS = new Set(['partnerOfRecordId', 'resellerId', 'invitationId', 'grantId', 'termEndsAt', 'newTermEndsAt']);
const FIELD_KINDS: Readonly<Record<string, keyof typeof WRONG_VALUES>> = {
  name: 'name', program: 'enum', cloud: 'enum', kind: 'enum', channel: 'enum', endsAt: 'instant', roles: 'roles',
};

/** A few hundred requests that must each be answered with a 4xx problem and change nothing. */
function badRequests(): BadRequest[] {
  const requests: BadRequest[] = [];
  const allPaths = [...Object.keys(VALID_BODIES), ...NO_BODY_PATHS];
  for (const path of allPaths) {
    const body = VALID_BODIES[path] ?? {};
    requests.push(
      { name: 'no token', path, headers: JSON_TYPE, body },
      { name: 'unknown token', path, headers: { ...JSON_TYPE, Authorization: 'Bearer not-a-token-at-all' }, body },
      { name: 'malformed authorization', path, headers: { ...JSON_TYPE, Authorization: `Basic ${TOKENS.admin}` }, body },
      { name: 'read-only token', path, headers: { ...JSON_TYPE, Authorization: `Bearer ${TOKENS.reader}` }, body },
      { name: 'truncated JSON', path, headers: { ...AUTH, ...JSON_TYPE }, body: '{"partnerId": "p' },
      { name: 'trailing comma', path, headers: { ...AUTH, ...JSON_TYPE }, body: '{"a": 1,}' },
      { name: 'JSON scalar', path, headers: { ...AUTH, ...JSON_TYPE }, body: '"just a string"' },
      { name: 'text body', path, headers: { ...AUTH, 'Content-Type': 'text/plain' }, body: 'hello' },
      { name: 'form body', path, headers: { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
      { name: 'oversized body', path, headers: { ...AUTH, ...JSON_TYPE }, body: JSON.stringify({ ...body, name: 'x'.repeat(70 * 1024) }) },
      { name: 'unknown field', path, headers: AUTH, body: { ...body, surprise: 'field' } },
      { name: 'bad Idempotency-Key', path, headers: { ...AUTH, 'Idempotency-Key': 'has spaces in it' }, body },
      { name: 'bad If-Match', path, headers: { ...AUTH, 'If-Match': 'W/"abc"' }, body },
      { name: 'bad Ledger-Actor', path, headers: { ...AUTH, 'Ledger-Actor': 'king:arthur' }, body },
      { name: 'system without scope', path, headers: { Authorization: `Bearer ${TOKENS.contosoPortal}`, 'Ledger-Actor': 'system' }, body },
      { name: 'array body', path, headers: AUTH, body: [body] },
    );
  }
  for (const [path, body] of Object.entries(VALID_BODIES)) {
    for (const field of Object.keys(body)) {
      for (const value of WRONG_VALUES[FIELD_KINDS[field] ?? 'id']) {
        requests.push({ name: `${field} = ${JSON.stringify(value)?.slice(0, 20)}`, path, headers: AUTH, body: { ...body, [field]: value } });
      }
      const { [field]: _, ...missing } = body;
      if (!OPTIONAL_FIELDS.has(field)) requests.push({ name: `missing ${field}`, path, headers: AUTH, body: missing });
    }
  }
  requests.push(
    { name: 'invalid id in path', path: '/customers/has%20space/subscriptions', headers: AUTH, body: VALID_BODIES['/customers/contoso/subscriptions'] },
    { name: 'bad percent-encoding in path', path: '/customers/%E0%A4%A/subscriptions', headers: AUTH, body: {} },
    { name: 'date without time zone', path: '/customers/contoso/delegated-admin-grants', headers: AUTH, body: { partnerId: 'adatum', roles: ['r'], endsAt: '2026-12-01T00:00:00' } },
    { name: 'negative duration', path: '/customers/contoso/invitations', headers: AUTH, body: { partnerId: 'adatum', delegatedAdmin: { roles: ['r'], durationDays: -1 } } },
    { name: 'nested unknown field', path: '/customers/contoso/invitations', headers: AUTH, body: { partnerId: 'adatum', delegatedAdmin: { roles: ['r'], durationDays: 5, x: 1 } } },
    { name: 'roles not strings', path: '/customers/contoso/invitations', headers: AUTH, body: { partnerId: 'adatum', delegatedAdmin: { roles: [1], durationDays: 5 } } },
    { name: 'flag not a boolean', path: '/customers', headers: AUTH, body: { ...VALID_BODIES['/customers'], isPartnerTenant: 'yes' } },
    { name: 'term end not an instant', path: '/customers/contoso/subscriptions', headers: AUTH, body: { ...VALID_BODIES['/customers/contoso/subscriptions'], termEndsAt: 'soon' } },
    { name: 'unknown route', path: '/customers/contoso/teleport', headers: AUTH, body: {} },
    { name: 'JSON nested 3,000 deep', path: '/customers', headers: { ...AUTH, ...JSON_TYPE }, body: `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}` },
    { name: 'arrays nested 3,000 deep', path: '/customers/contoso/delegated-admin-grants', headers: { ...AUTH, ...JSON_TYPE }, body: `{"roles":${'['.repeat(3000)}${']'.repeat(3000)}}` },
    { name: '__proto__ key', path: '/customers', headers: { ...AUTH, ...JSON_TYPE }, body: '{"customerId":"c-proto","name":"P","cloud":"global","__proto__":{"isPartnerTenant":true}}' },
    { name: 'constructor key', path: '/customers', headers: { ...AUTH, ...JSON_TYPE }, body: '{"customerId":"c-ctor","name":"C","cloud":"global","constructor":{"prototype":{"x":1}}}' },
    { name: 'nested __proto__ key', path: '/customers/contoso/invitations', headers: { ...AUTH, ...JSON_TYPE }, body: '{"partnerId":"adatum","delegatedAdmin":{"roles":["r"],"durationDays":5,"__proto__":{}}}' },
    { name: 'gzip that is not gzip', path: '/customers', headers: { ...AUTH, ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body: JSON.stringify(VALID_BODIES['/customers']) },
    { name: 'deflate that is not deflate', path: '/customers', headers: { ...AUTH, ...JSON_TYPE, 'Content-Encoding': 'deflate' }, body: JSON.stringify(VALID_BODIES['/customers']) },
    { name: 'an unknown encoding', path: '/customers', headers: { ...AUTH, ...JSON_TYPE, 'Content-Encoding': 'compress' }, body: JSON.stringify(VALID_BODIES['/customers']) },
  );
  for (const path of NO_BODY_PATHS) requests.push({ name: 'body on a command that takes none', path, headers: AUTH, body: { a: 1 } });
  return requests;
}

describe('bad input', () => {
  let ledger: TestLedger;

  beforeAll(async () => {
    ledger = await TestLedger.start();
    await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'indirect-provider', cloud: 'global' }).expect(201);
    await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }).expect(201);
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('answers every malformed, oversized, mistyped or unauthenticated request with a 4xx problem its operation documents, and the log does not move', async () => {
    const cases = badRequests();
    expect(cases.length).toBeGreaterThan(300);
    const headBefore = await ledger.store.headPosition();
    const refusalsBefore = await ledger.refusals.list({ limit: 1000 });

    const failures: string[] = [];
    const contract = ApiContract.of(ledger.app);
    for (const bad of cases) {
      let test = request(ledger.app.getHttpServer()).post(bad.path);
      for (const [name, value] of Object.entries(bad.headers ?? {})) test = test.set(name, value);
      if (bad.body !== undefined) {
        if (typeof bad.body === 'string' && !bad.headers?.['Content-Type']) test = test.set('Content-Type', 'application/json');
        test = test.send(bad.body as string | object);
      }
      const response = await test;
      const body = response.body as { code?: unknown; status?: unknown; correlationId?: unknown };
      const ok = response.status >= 400 && response.status < 500
        && /^application\/problem\+json/.test(response.headers['content-type'] ?? '')
        && typeof body.code === 'string' && body.status === response.status && typeof body.correlationId === 'string';
      if (!ok) failures.push(`${bad.name} ${bad.path}: ${response.status} ${response.text.slice(0, 200)}`);
      failures.push(...contract.findings(response).map((finding) => `${bad.name}: ${finding}`));
    }

    expect(failures).toEqual([]);
    expect(await ledger.store.headPosition()).toEqual(headBefore);
    expect(await ledger.refusals.list({ limit: 1000 })).toEqual(refusalsBefore);
  });

  it('answers position tokens beyond 64 bits with 400, in a query and in Ledger-Min-Position', async () => {
    const beyond = `p1.${Buffer.from('99999999999999999999.1').toString('base64url')}`;
    const get = (path: string) => request(ledger.app.getHttpServer()).get(path).set(AUTH);
    const asOf = await get(`/customers/contoso/ownership?asOfPosition=${beyond}`).expect(400);
    expect(asOf.body.code).toBe('INVALID_POSITION_TOKEN');
    const digest = await get(`/audit/digest?at=${beyond}`).expect(400);
    expect(digest.body.code).toBe('INVALID_POSITION_TOKEN');
    const minimum = await get('/customers/contoso/ownership').set('Ledger-Min-Position', beyond).expect(400);
    expect(minimum.body.code).toBe('INVALID_POSITION_TOKEN');

    // The largest EventStoreDB position is past SQLite's largest: on SQLite it is simply after everything.
    const uint64Max = `p1.${Buffer.from('18446744073709551615.18446744073709551615').toString('base64url')}`;
    await get(`/customers/contoso/ownership?asOfPosition=${uint64Max}`).expect(200);
    await get(`/audit/digest?at=${uint64Max}`).expect(200);
  });

  it('still accepts a good command afterwards', async () => {
    await ledger.command('/customers/contoso/invitations', { partnerId: 'adatum' }, { actor: 'partner:adatum' }).expect(201);
  });
});
