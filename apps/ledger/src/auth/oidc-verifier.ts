import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { type OidcConfig, SCOPES, type Scope } from '../config/ledger-config';
import { HttpProblem } from '../problems/http-problem';
import { type PartyPattern, parseBoundParty, parsePartyPattern, type Principal, RESERVED_CLIENTS, SCOPES_NOT_FOR_BOUND_CREDENTIALS } from './principal';

const CLIENT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Why an access token was not accepted: answered as 401 with `error="invalid_token"`. */
export class InvalidAccessToken extends Error {}

/**
 * Verifies OpenID Connect access tokens (JWT) with `jose` against the issuer's key set: signature with an
 * allowed asymmetric algorithm, issuer, audience, expiry and not-before with a small skew. The key set is
 * fetched once, and again when a token names a key it does not hold (key rotation), at most once per cool-down.
 */
export class OidcVerifier {
  private keys?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig) {}

  /** The token's principal; throws InvalidAccessToken, or an HttpProblem 503 when the issuer's keys cannot be had. */
  async authenticate(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...this.config.algorithms],
        clockTolerance: this.config.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (keySetUnreachable(error)) throw unavailable(error);
      if (error instanceof errors.JOSEError) throw new InvalidAccessToken(describe(error));
      throw error;
    }
    return this.principalOf(payload);
  }

  private principalOf(payload: JWTPayload): Principal {
    const client = this.config.clientClaims.map((claim) => payload[claim]).find((value) => typeof value === 'string');
    if (typeof client !== 'string' || !CLIENT_ID.test(client) || RESERVED_CLIENTS.has(client)) {
      throw new InvalidAccessToken(`the token names no acceptable client in ${this.config.clientClaims.join(', ')}`);
    }
    let scopes = this.scopesOf(payload[this.config.scopeClaim]);
    const bound = payload[this.config.actorClaim];
    const actsFor = payload[this.config.actsForClaim];
    let boundActor: Principal['boundActor'];
    if (bound !== undefined) {
      const actor = parseBoundParty(bound);
      if (!actor || actsFor !== undefined) {
        throw new InvalidAccessToken(`the ${this.config.actorClaim} claim is one partner:<id> or customer:<id>, without ${this.config.actsForClaim}`);
      }
      boundActor = actor;
      scopes = new Set([...scopes].filter((scope) => !SCOPES_NOT_FOR_BOUND_CREDENTIALS.has(scope)));
    }
    let patterns: PartyPattern[] = [];
    if (actsFor !== undefined) {
      const parsed = Array.isArray(actsFor) ? actsFor.map((p) => (typeof p === 'string' ? parsePartyPattern(p) : undefined)) : [undefined];
      if (parsed.some((p) => p === undefined)) throw new InvalidAccessToken(`the ${this.config.actsForClaim} claim lists party patterns`);
      patterns = parsed as PartyPattern[];
    }
    return {
      client, scopes, boundActor, actsFor: patterns,
      credential: { type: 'oidc', client, issuer: String(payload.iss), subject: String(payload.sub) },
    };
  }

  private scopesOf(claim: unknown): Set<Scope> {
    const values = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim.filter((v) => typeof v === 'string') : [];
    const prefix = this.config.scopePrefix;
    return new Set(values
      .filter((value) => value.startsWith(prefix))
      .map((value) => value.slice(prefix.length))
      .filter((value): value is Scope => (SCOPES as readonly string[]).includes(value)));
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys) return this.keys;
    const url = this.config.jwksUrl ?? await this.discoverJwksUrl();
    this.keys = createRemoteJWKSet(new URL(url), { cooldownDuration: this.config.jwksCooldownSeconds * 1000, timeoutDuration: 5_000 });
    return this.keys;
  }

  /** The issuer's discovery document names its key set (OpenID Connect Discovery 1.0, section 4). */
  private async discoverJwksUrl(): Promise<string> {
    const where = `${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: { jwks_uri?: unknown; issuer?: unknown };
    try {
      const response = await fetch(where, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = await response.json() as typeof document;
    } catch (error) {
      throw unavailable(error);
    }
    if (typeof document.jwks_uri !== 'string' || document.issuer !== this.config.issuer) {
      throw unavailable(new Error(`${where} names no jwks_uri for issuer ${this.config.issuer}`));
    }
    return document.jwks_uri;
  }
}

/** jose reports a key set it could not fetch as a timeout, a generic error (not 200 OK), bad JSON, or fetch's TypeError. */
function keySetUnreachable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.code === 'ERR_JOSE_GENERIC';
  // By name: fetch's TypeError comes from Node's own realm, which test runners' sandboxes do not share.
  return (error as Error | undefined)?.name === 'TypeError';
}

function unavailable(error: unknown): HttpProblem {
  return new HttpProblem(503, 'IDENTITY_PROVIDER_UNAVAILABLE',
    `The identity provider's keys cannot be fetched to verify the token (${(error as Error).message}).`, {}, { 'Retry-After': '5' });
}

function describe(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not acceptable`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token\'s algorithm is not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token\'s signature does not verify';
  return 'the token is not a valid access token';
}
