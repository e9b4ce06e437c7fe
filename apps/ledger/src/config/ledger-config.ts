import { resolve } from 'node:path';
import { DEFAULT_LEDGER_POLICY, type LedgerPolicy } from '@ledger/domain';

export const SCOPES = ['write', 'read', 'audit', 'system'] as const;
export type Scope = (typeof SCOPES)[number];

/** A caller the operator configured: a bearer token (or its SHA-256), its scopes, and the party it acts as. */
export interface TokenDefinition {
  readonly client: string;
  /** The token itself, or `sha256` (hex) so the file need not hold the secret. */
  readonly token?: string;
  readonly sha256?: string;
  readonly scopes: readonly Scope[];
  /** `partner:<id>` or `customer:<id>`: the token then always acts as that party. */
  readonly actor?: string;
}

export interface LedgerConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** Configured tokens; when absent, a local admin token is created in the data directory. */
  readonly tokens?: readonly TokenDefinition[];
  readonly tokensFile?: string;
  /** An EventStoreDB / KurrentDB connection string: the log then lives in that cluster, not in SQLite. */
  readonly eventStoreUrl?: string;
  readonly policy: LedgerPolicy;
  readonly commandAttempts: number;
  /** How long a read that asks for a position waits for the read models to reach it (ms). */
  readonly readWaitMs: number;
  /** The service is not ready while the read models lag the log by more events than this. */
  readonly readyMaxLagEvents: number;
  readonly projectorBatchSize: number;
  /** How long the projector lets a batch gather more events once none is ready (ms). */
  readonly projectorLingerMs: number;
  /** How often the scheduler looks for term ends and expiries that fell due (ms); 0 turns it off. */
  readonly schedulerIntervalMs: number;
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
  problems.push('LEDGER_EVENTSTORE_URL is an esdb:// (or esdb+discover://, kurrentdb://) connection string');
  return undefined;
}

function logLevel(raw: string | undefined, problems: string[]): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  problems.push(`LEDGER_LOG_LEVEL is one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  return 'info';
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
  const config: LedgerConfig = {
    dataDir: resolve(env.LEDGER_DATA_DIR || './data'),
    host: env.LEDGER_HOST || '127.0.0.1',
    port: integer('LEDGER_PORT', integer('PORT', 3000, 0, 65535), 0, 65535),
    bodyLimitBytes: integer('LEDGER_BODY_LIMIT_BYTES', 64 * 1024, 1024, 10 * 1024 * 1024),
    tokensFile: env.LEDGER_TOKENS_FILE || undefined,
    eventStoreUrl: eventStoreUrl(env.LEDGER_EVENTSTORE_URL, problems),
    policy: {
      ...DEFAULT_LEDGER_POLICY,
      invitationTtlDays: integer('LEDGER_INVITATION_TTL_DAYS', DEFAULT_LEDGER_POLICY.invitationTtlDays, 1, 3650),
    },
    commandAttempts: integer('LEDGER_COMMAND_ATTEMPTS', 5, 1, 100),
    readWaitMs: integer('LEDGER_READ_WAIT_MS', 5000, 0, 60_000),
    readyMaxLagEvents: integer('LEDGER_READY_MAX_LAG_EVENTS', 10_000, 0, 1_000_000_000),
    projectorBatchSize: integer('LEDGER_PROJECTOR_BATCH_SIZE', 1000, 1, 100_000),
    projectorLingerMs: integer('LEDGER_PROJECTOR_LINGER_MS', 0, 0, 1000),
    schedulerIntervalMs: integer('LEDGER_SCHEDULER_INTERVAL_MS', 10_000, 0, 86_400_000),
    logLevel: logLevel(env.LEDGER_LOG_LEVEL, problems),
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  return config;
}
