import { join, resolve } from 'node:path';
import { DEFAULT_LEDGER_POLICY, type LedgerPolicy } from '@ledger/domain';

export const SCOPES = ['write', 'read', 'audit', 'system', 'metrics'] as const;
export type Scope = (typeof SCOPES)[number];

/** A caller the operator configured: a bearer token (or its SHA-256), its scopes, and the parties it acts for. */
export interface TokenDefinition {
  readonly client: string;
  /** The token itself, or `sha256` (hex) so the file need not hold the secret. */
  readonly token?: string;
  readonly sha256?: string;
  readonly scopes: readonly Scope[];
  /** `partner:<id>` or `customer:<id>`: the token then always acts as that party, and reads only its data. */
  readonly actor?: string;
  /**
   * For a service's token: the parties its `Ledger-Actor` header may name (`customer:*`, `partner:northwind`,
   * `operator:self`, `system`). Without it the service acts only as itself (`operator:<client>`).
   */
  readonly actsFor?: readonly string[];
}

/** OpenID Connect access tokens (JWT), verified against the issuer's published keys. */
export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  /** Where the issuer publishes its keys; when absent, found through the issuer's discovery document. */
  readonly jwksUrl?: string;
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  /** After fetching the key set, how long before a token naming an unknown key may fetch it again. */
  readonly jwksCooldownSeconds: number;
  /** The claim holding the ledger's scopes (a space-separated string or an array), and their prefix there. */
  readonly scopeClaim: string;
  readonly scopePrefix: string;
  /** The claims naming the calling client, in order of preference. */
  readonly clientClaims: readonly string[];
  /** The claim binding the token to one party (`customer:contoso`). */
  readonly actorClaim: string;
  /** The claim listing the parties a service may act for (an array of patterns). */
  readonly actsForClaim: string;
}

/** Asymmetric signatures only: an HMAC or `none` could be forged by anyone holding the public key. */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

export interface LedgerConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** Configured tokens; when absent, a local admin token is created in the data directory. */
  readonly tokens?: readonly TokenDefinition[];
  readonly tokensFile?: string;
  /** How often a tokens file is checked for changes (ms): a change takes effect without a restart. */
  readonly tokensReloadMs: number;
  readonly oidc?: OidcConfig;
  /** Whether `/metrics` answers without a token (else it takes the `metrics` scope). */
  readonly metricsPublic: boolean;
  /** The built web page (npm run build writes it), served at /ui/ when it is there. */
  readonly uiDir: string;
  /** An EventStoreDB / KurrentDB connection string: the log then lives in that cluster, not in SQLite. */
  readonly eventStoreUrl?: string;
  readonly policy: LedgerPolicy;
  readonly commandAttempts: number;
  /** How long a read that asks for a position waits for the read models to reach it (ms). */
  readonly readWaitMs: number;
  /** How many such reads may wait at once; more are answered 503 at once. */
  readonly readWaitMaxWaiting: number;
  /** Change feeds (GET /events) open at once; one more is answered 503 with Retry-After. */
  readonly feedMaxClients: number;
  /** Requests a client may make per minute before it is answered 429 (0: no limit). Callers with the system scope have none. */
  readonly rateLimitPerMinute: number;
  /** After a write fails for want of storage, how long readiness reports the store down unless a write succeeds (ms). */
  readonly storeFaultWindowMs: number;
  /** The service is not ready while the read models lag the log by more events than this. */
  readonly readyMaxLagEvents: number;
  readonly projectorBatchSize: number;
  /** How long the projector lets a batch gather more events once none is ready (ms). */
  readonly projectorLingerMs: number;
  /** How often the scheduler looks for term ends and expiries that fell due (ms); 0 turns it off. */
  readonly schedulerIntervalMs: number;
  /** How often a signed checkpoint of the log's Merkle tree is recorded, when the log grew (ms); 0 only on request. */
  readonly checkpointIntervalMs: number;
  /** The Ed25519 key (PKCS#8 PEM) that signs checkpoints; created in the data directory on first start when absent. */
  readonly checkpointKeyFile: string;
  /** The log's name in its checkpoints (C2SP origin); by default derived from the signing key. */
  readonly checkpointOrigin?: string;
  /** Where `POST /admin/backups` writes backups (SQLite store only). */
  readonly backupDir: string;
  readonly logLevel: LogLevel;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function eventStoreUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//.test(raw)) return raw;
  problems.push('LEDGER_EVENTSTORE_URL is a kurrentdb:// or kurrentdb+discover:// connection string (esdb:// and esdb+discover:// still work)');
  return undefined;
}

function checkpointOrigin(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^[^\s+]{1,200}$/.test(raw)) return raw;
  problems.push('LEDGER_CHECKPOINT_ORIGIN is one word of up to 200 characters, without spaces or "+" (e.g. ledger.example.com/prod)');
  return undefined;
}

function logLevel(raw: string | undefined, problems: string[]): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  problems.push(`LEDGER_LOG_LEVEL is one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  return 'info';
}

function oidcConfig(env: Env, problems: string[]): OidcConfig | undefined {
  const issuer = env.LEDGER_OIDC_ISSUER;
  const audience = env.LEDGER_OIDC_AUDIENCE;
  if (!issuer && !audience) return undefined;
  if (!issuer || !audience) {
    problems.push('LEDGER_OIDC_ISSUER and LEDGER_OIDC_AUDIENCE go together');
    return undefined;
  }
  const url = (name: string, raw: string | undefined): string | undefined => {
    if (!raw) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && /^(localhost|127\.[0-9.]+|\[::1\])$/.test(parsed.hostname))) return raw;
    } catch {
      // reported below
    }
    problems.push(`${name} is an https:// URL (http:// only on the loopback address), got "${raw}"`);
    return undefined;
  };
  const algorithms = (env.LEDGER_OIDC_ALGORITHMS || 'RS256,PS256,ES256,EdDSA').split(',').map((a) => a.trim()).filter(Boolean);
  const unknown = algorithms.filter((a) => !(OIDC_ALGORITHMS as readonly string[]).includes(a));
  if (unknown.length > 0) problems.push(`LEDGER_OIDC_ALGORITHMS takes only ${OIDC_ALGORITHMS.join(', ')} (got ${unknown.join(', ')})`);
  const skew = Number(env.LEDGER_OIDC_CLOCK_SKEW_SECONDS || '30');
  if (!Number.isInteger(skew) || skew < 0 || skew > 300) problems.push('LEDGER_OIDC_CLOCK_SKEW_SECONDS must be a whole number from 0 to 300');
  const cooldown = Number(env.LEDGER_OIDC_JWKS_COOLDOWN_SECONDS || '30');
  if (!Number.isInteger(cooldown) || cooldown < 0 || cooldown > 3600) problems.push('LEDGER_OIDC_JWKS_COOLDOWN_SECONDS must be a whole number from 0 to 3600');
  return {
    issuer: url('LEDGER_OIDC_ISSUER', issuer) ?? issuer,
    audience,
    jwksUrl: url('LEDGER_OIDC_JWKS_URL', env.LEDGER_OIDC_JWKS_URL),
    algorithms,
    clockSkewSeconds: skew,
    jwksCooldownSeconds: cooldown,
    scopeClaim: env.LEDGER_OIDC_SCOPE_CLAIM || 'scope',
    scopePrefix: env.LEDGER_OIDC_SCOPE_PREFIX ?? '',
    clientClaims: (env.LEDGER_OIDC_CLIENT_CLAIMS || 'azp,client_id,sub').split(',').map((c) => c.trim()).filter(Boolean),
    actorClaim: env.LEDGER_OIDC_ACTOR_CLAIM || 'ledger_actor',
    actsForClaim: env.LEDGER_OIDC_ACTS_FOR_CLAIM || 'ledger_acts_for',
  };
}

function flag(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name} is true or false (got "${raw}")`);
  return fallback;
}

/** Reads the configuration from the environment (see the README's table); throws ConfigError naming every bad value. */
export function loadConfig(env: Env = process.env): LedgerConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const dataDir = resolve(env.LEDGER_DATA_DIR || './data');
  const config: LedgerConfig = {
    dataDir,
    host: env.LEDGER_HOST || '127.0.0.1',
    port: integer('LEDGER_PORT', integer('PORT', 3000, 0, 65535), 0, 65535),
    bodyLimitBytes: integer('LEDGER_BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    tokensFile: env.LEDGER_TOKENS_FILE || undefined,
    tokensReloadMs: integer('LEDGER_TOKENS_RELOAD_MS', 2000, 100, 3_600_000),
    oidc: oidcConfig(env, problems),
    metricsPublic: flag('LEDGER_METRICS_PUBLIC', env.LEDGER_METRICS_PUBLIC, true, problems),
    uiDir: resolve(env.LEDGER_UI_DIR || 'dist/apps/ledger-ui'),
    eventStoreUrl: eventStoreUrl(env.LEDGER_EVENTSTORE_URL, problems),
    policy: {
      ...DEFAULT_LEDGER_POLICY,
      invitationTtlDays: integer('LEDGER_INVITATION_TTL_DAYS', DEFAULT_LEDGER_POLICY.invitationTtlDays, 1, 3650),
      transferTtlDays: integer('LEDGER_TRANSFER_TTL_DAYS', DEFAULT_LEDGER_POLICY.transferTtlDays, 1, 3650),
    },
    commandAttempts: integer('LEDGER_COMMAND_ATTEMPTS', 5, 1, 100),
    readWaitMs: integer('LEDGER_READ_WAIT_MS', 5000, 0, 60_000),
    readWaitMaxWaiting: integer('LEDGER_READ_WAIT_MAX_WAITING', 1000, 0, 1_000_000),
    feedMaxClients: integer('LEDGER_FEED_MAX_CLIENTS', 100, 0, 100_000),
    rateLimitPerMinute: integer('LEDGER_RATE_LIMIT_PER_MINUTE', 6000, 0, 100_000_000),
    storeFaultWindowMs: integer('LEDGER_STORE_FAULT_WINDOW_MS', 10_000, 0, 3_600_000),
    readyMaxLagEvents: integer('LEDGER_READY_MAX_LAG_EVENTS', 10_000, 0, 1_000_000_000),
    projectorBatchSize: integer('LEDGER_PROJECTOR_BATCH_SIZE', 1000, 1, 100_000),
    projectorLingerMs: integer('LEDGER_PROJECTOR_LINGER_MS', 0, 0, 1000),
    schedulerIntervalMs: integer('LEDGER_SCHEDULER_INTERVAL_MS', 10_000, 0, 86_400_000),
    checkpointIntervalMs: integer('LEDGER_CHECKPOINT_INTERVAL_MS', 60_000, 0, 86_400_000),
    checkpointKeyFile: resolve(env.LEDGER_CHECKPOINT_KEY_FILE || join(dataDir, 'checkpoint-key.pem')),
    checkpointOrigin: checkpointOrigin(env.LEDGER_CHECKPOINT_ORIGIN, problems),
    backupDir: resolve(env.LEDGER_BACKUP_DIR || join(dataDir, 'backups')),
    logLevel: logLevel(env.LEDGER_LOG_LEVEL, problems),
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  return config;
}
