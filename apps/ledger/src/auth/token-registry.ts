import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTOR_KINDS, type Actor } from '@ledger/domain';
import { ConfigError, type LedgerConfig, SCOPES, type Scope, type TokenDefinition } from '../config/ledger-config';

/** The authenticated caller of a request. */
export interface Principal {
  readonly client: string;
  readonly scopes: ReadonlySet<Scope>;
  /** Set when the token is bound to one partner or customer, who is then the acting party. */
  readonly boundActor?: Actor;
}

export const ADMIN_TOKEN_FILE = 'admin-token';

/** Finds the principal for a bearer token. Tokens are compared by their SHA-256, never stored in memory in clear. */
export class TokenRegistry {
  private readonly byDigest = new Map<string, Principal>();

  constructor(definitions: readonly TokenDefinition[]) {
    for (const definition of definitions) {
      const digest = definition.sha256?.toLowerCase() ?? sha256(definition.token ?? '');
      this.byDigest.set(digest, {
        client: definition.client,
        scopes: new Set(definition.scopes),
        boundActor: definition.actor ? parseActor(definition.actor) : undefined,
      });
    }
  }

  authenticate(token: string): Principal | undefined {
    return this.byDigest.get(sha256(token));
  }

  get size(): number {
    return this.byDigest.size;
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Parses `kind:id` (e.g. `partner:contoso-csp`); `system` stands alone. Returns undefined when malformed. */
export function parseActor(text: string): Actor | undefined {
  if (text === 'system') return { kind: 'system', id: 'system' };
  const match = /^([a-z]+):([A-Za-z0-9._:-]{1,128})$/.exec(text);
  if (!match || !(ACTOR_KINDS as readonly string[]).includes(match[1]) || match[1] === 'system') return undefined;
  return { kind: match[1] as Actor['kind'], id: match[2] };
}

/**
 * The tokens in force: those configured (in the config or the tokens file), or else the local admin token,
 * created on first start in the data directory, readable by its owner only. `created` holds a new admin
 * token so the caller can print it, once.
 */
export function resolveTokens(config: LedgerConfig): { definitions: TokenDefinition[]; created?: string; adminTokenFile?: string } {
  if (config.tokens) return { definitions: [...config.tokens] };
  if (config.tokensFile) return { definitions: readTokensFile(config.tokensFile) };
  const file = join(config.dataDir, ADMIN_TOKEN_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  let created: string | undefined;
  if (!existsSync(file)) {
    created = randomBytes(32).toString('base64url');
    writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const token = readFileSync(file, 'utf8').trim();
  return { definitions: [{ client: 'local-admin', token, scopes: [...SCOPES] }], created, adminTokenFile: file };
}

function readTokensFile(file: string): TokenDefinition[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`LEDGER_TOKENS_FILE ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new ConfigError(`LEDGER_TOKENS_FILE ${file} must hold a non-empty JSON array`);
  return parsed.map((entry: Partial<TokenDefinition>, i) => {
    const where = `LEDGER_TOKENS_FILE entry ${i}`;
    if (typeof entry.client !== 'string' || entry.client === '') throw new ConfigError(`${where}: "client" is required`);
    if (typeof entry.token !== 'string' && !/^[0-9a-fA-F]{64}$/.test(entry.sha256 ?? '')) {
      throw new ConfigError(`${where}: give "token" or a hex "sha256" of it`);
    }
    if (typeof entry.token === 'string' && entry.token.length < 16) throw new ConfigError(`${where}: a token has at least 16 characters`);
    if (!Array.isArray(entry.scopes) || !entry.scopes.every((s) => (SCOPES as readonly string[]).includes(s))) {
      throw new ConfigError(`${where}: "scopes" lists some of ${SCOPES.join(', ')}`);
    }
    if (entry.actor !== undefined && (!parseActor(entry.actor) || entry.actor === 'system')) {
      throw new ConfigError(`${where}: "actor" is partner:<id>, customer:<id> or operator:<id>`);
    }
    return entry as TokenDefinition;
  });
}
