import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { OidcConfig } from '../../apps/ledger/src/config/ledger-config';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/**
 * An identity provider for tests: RSA keys made in the test, the key set served over real HTTP on the loopback
 * address (as an issuer's jwks_uri is), tokens signed with them, and keys that can be rotated.
 */
export class TestIssuer {
  readonly audience = 'relationship-ledger';
  private keys: Array<{ kid: string; pair: KeyPair; jwk: JWK }> = [];
  /** Key-set requests served, to see caching and refetch on rotation. */
  requests = 0;

  private readonly server: Server = createServer((request, response) => {
    if (request.url !== '/jwks') {
      response.writeHead(404).end();
      return;
    }
    this.requests += 1;
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
  });

  private constructor() {}

  static async start(): Promise<TestIssuer> {
    const issuer = new TestIssuer();
    await new Promise<void>((resolve) => issuer.server.listen(0, '127.0.0.1', resolve));
    await issuer.rotate();
    return issuer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get config(): OidcConfig {
    return {
      issuer: this.url, audience: this.audience, jwksUrl: `${this.url}/jwks`, algorithms: ['RS256', 'ES256'], clockSkewSeconds: 30, jwksCooldownSeconds: 0,
      scopeClaim: 'scope', scopePrefix: '', clientClaims: ['azp', 'client_id', 'sub'], actorClaim: 'ledger_actor', actsForClaim: 'ledger_acts_for',
    };
  }

  /** Publishes a new key (the only one, unless `keepOld`); tokens signed from now on name it. */
  async rotate(keepOld = false): Promise<string> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const kid = `key-${this.keys.length + 1}-${Date.now()}`;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
    this.keys = keepOld ? [...this.keys, { kid, pair, jwk }] : [{ kid, pair, jwk }];
    return kid;
  }

  get currentKey(): { kid: string; pair: KeyPair } {
    return this.keys[this.keys.length - 1];
  }

  /** A token from this issuer for this audience, valid for ten minutes unless the claims say otherwise. */
  async token(claims: JWTPayload & Record<string, unknown>, options: { kid?: string; expiresIn?: string | number; notBefore?: string | number } = {}): Promise<string> {
    const { kid, pair } = this.currentKey;
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid, typ: 'at+jwt' })
      .setIssuer(claims.iss ?? this.url)
      .setAudience(claims.aud ?? this.audience)
      .setSubject(claims.sub ?? 'service-account-1')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m');
    if (options.notBefore !== undefined) jwt = jwt.setNotBefore(options.notBefore);
    return jwt.sign(pair.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
