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
  readonly policy: LedgerPolicy;
  readonly commandAttempts: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

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
    policy: {
      ...DEFAULT_LEDGER_POLICY,
      invitationTtlDays: integer('LEDGER_INVITATION_TTL_DAYS', DEFAULT_LEDGER_POLICY.invitationTtlDays, 1, 3650),
    },
    commandAttempts: integer('LEDGER_COMMAND_ATTEMPTS', 5, 1, 100),
  };
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  return config;
}
