import { exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { TestIssuer } from './support/oidc-issuer';
import { TestLedger } from './support/test-ledger';

/** OpenID Connect access tokens, verified against a key set the test's own issuer serves over HTTP. */
describe('OIDC access tokens', () => {
  let issuer: TestIssuer;
  let ledger: TestLedger;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    ledger = await TestLedger.start(undefined, undefined, undefined, { oidc: issuer.config });
    await ledger.command('/partners', { partnerId: 'northwind', name: 'Northwind', program: 'direct-bill', cloud: 'global' }).expect(201);
    await ledger.projected();
  });

  afterAll(async () => {
    await ledger.close();
    await issuer.stop();
  });

  const read = (token: string) => request(ledger.app.getHttpServer()).get('/partners/northwind').set('Authorization', `Bearer ${token}`);
  const now = () => Math.floor(Date.now() / 1000);
  const service = { azp: 'partner-backoffice', scope: 'read write', ledger_acts_for: ['partner:*'] };

  it('accepts a valid token, acts for a party it lists, and records the credential in the event', async () => {
    const token = await issuer.token(service);
    await read(token).expect(200);

    const denied = await ledger.command('/customers', { customerId: 'contoso', name: 'Contoso', cloud: 'global' }, { token, actor: 'customer:contoso' })
      .expect(403);
    expect(denied.body.code).toBe('ACTOR_NOT_ALLOWED');

    const enrolled = await ledger.command('/partners', { partnerId: 'adatum', name: 'Adatum', program: 'direct-bill', cloud: 'global' },
      { token, actor: 'partner:adatum' }).expect(201);
    const [event] = await ledger.store.readStream('partner-adatum');
    expect(event.id).toBe(enrolled.body.events[0].id);
    expect(event.metadata).toMatchObject({
      actor: { kind: 'partner', id: 'adatum' }, client: 'partner-backoffice',
      credential: { type: 'oidc', client: 'partner-backoffice', issuer: issuer.url, subject: 'service-account-1' },
    });
  });

  it.each([
    ['expired', () => issuer.token(service, { expiresIn: now() - 120 }), 'expired'],
    ['not yet valid', () => issuer.token(service, { notBefore: now() + 600 }), '"nbf"'],
    ['from another issuer', () => issuer.token({ ...service, iss: 'https://login.example.com/other' }), '"iss"'],
    ['for another audience', () => issuer.token({ ...service, aud: 'another-api' }), '"aud"'],
    ['with alg none', async () => new UnsecuredJWT(service).setIssuer(issuer.url).setAudience(issuer.audience).setSubject('x')
      .setExpirationTime('10m').encode(), 'algorithm'],
    ['signed with HS256 using the issuer’s public key as the secret', async () => {
      const secret = new TextEncoder().encode(await exportSPKI(issuer.currentKey.pair.publicKey));
      return new SignJWT(service).setProtectedHeader({ alg: 'HS256', kid: issuer.currentKey.kid }).setIssuer(issuer.url)
        .setAudience(issuer.audience).setSubject('x').setExpirationTime('10m').sign(secret);
    }, 'algorithm'],
    ['naming a key the issuer never published', () => issuer.token(service, { kid: 'not-a-key' }), 'no key'],
  ])('refuses a token %s with 401', async (_, make, reason) => {
    const refused = await read(await make()).expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect(refused.body.detail).toContain(reason);
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('accepts tokens signed with a rotated key once the issuer publishes it, and refuses the retired key', async () => {
    const before = await issuer.token(service);
    await read(before).expect(200);
    await issuer.rotate();
    await read(await issuer.token(service)).expect(200);
    await read(before).expect(401);
  });

  it('answers 403 to a valid token without the scope claim', async () => {
    const refused = await read(await issuer.token({ azp: 'no-scopes' })).expect(403);
    expect(refused.body.code).toBe('INSUFFICIENT_SCOPE');
  });

  it('binds a token to the party its actor claim names, without the audit scope', async () => {
    const token = await issuer.token({ azp: 'contoso-portal', scope: 'read write audit', ledger_actor: 'customer:contoso' });
    const refused = await ledger.command('/partners', { partnerId: 'fabrikam', name: 'F', program: 'direct-bill', cloud: 'global' },
      { token, actor: 'partner:fabrikam' }).expect(403);
    expect(refused.body.code).toBe('ACTOR_MISMATCH');
    await request(ledger.app.getHttpServer()).get('/audit/digest').set('Authorization', `Bearer ${token}`).expect(403);
    await read(token).expect(404);
  });

  it('answers 503 with Retry-After while the issuer’s keys cannot be fetched', async () => {
    const unreachable = await TestLedger.start(undefined, undefined, undefined, {
      oidc: { ...issuer.config, jwksUrl: 'http://127.0.0.1:9/jwks' },
    });
    try {
      const answer = await request(unreachable.app.getHttpServer()).get('/partners/northwind')
        .set('Authorization', `Bearer ${await issuer.token(service)}`).expect(503);
      expect(answer.body.code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
      expect(answer.headers['retry-after']).toBe('5');
    } finally {
      await unreachable.close();
    }
  });
});
