import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory, sha256Hex } from '@ledger/event-store';
import { ConfigError, type LedgerConfig, SCOPES, type TokenDefinition } from '../config/ledger-config';
import {
  type Credential, parseBoundParty, type PartyPattern, parsePartyPattern, type Principal, RESERVED_CLIENTS, SCOPES_NOT_FOR_BOUND_CREDENTIALS,
} from './principal';

export const ADMIN_TOKEN_FILE = 'admin-token';

/** What the local admin token may act for: anyone, as the README's walk-through does. */
const ADMIN_ACTS_FOR = ['partner:*', 'customer:*', 'operator:*', 'system'];
const CLIENT_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Finds the principal for a static bearer token. Tokens are compared by their SHA-256, never kept in memory in
 * clear. The definitions can be replaced while the service runs (a tokens file that changed).
 */
export class TokenRegistry {
  private byDigest = new Map<string, Principal>();

  constructor(definitions: readonly TokenDefinition[]) {
    this.replace(definitions);
  }

  replace(definitions: readonly TokenDefinition[]): void {
    const byDigest = new Map<string, Principal>();
    for (const definition of definitions) {
      const digest = definition.sha256?.toLowerCase() ?? sha256Hex(definition.token ?? '');
      byDigest.set(digest, principalOf(definition));
    }
    this.byDigest = byDigest;
  }

  authenticate(token: string): Principal | undefined {
    return this.byDigest.get(sha256Hex(token));
  }

  get size(): number {
    return this.byDigest.size;
  }
}

function principalOf(definition: TokenDefinition): Principal {
  const credential: Credential = { type: 'static-token', client: definition.client };
  return {
    client: definition.client,
    scopes: new Set(definition.scopes),
    boundActor: parseBoundParty(definition.actor),
    actsFor: (definition.actsFor ?? []).map((text) => parsePartyPattern(text) as PartyPattern),
    credential,
  };
}

export interface ResolvedTokens {
  readonly definitions: TokenDefinition[];
  /** A local admin token this start created: printed once by the caller. */
  readonly created?: string;
  readonly adminTokenFile?: string;
}

/**
 * The tokens in force: those configured (in the config or the tokens file), or else the local admin token,
 * created on first start in the data directory, readable by its owner only.
 */
export function resolveTokens(config: LedgerConfig): ResolvedTokens {
  if (config.tokens) return { definitions: config.tokens.map((entry, i) => checkDefinition(entry, `tokens entry ${i}`)) };
  if (config.tokensFile) return { definitions: readTokensFile(config.tokensFile) };
  const file = join(config.dataDir, ADMIN_TOKEN_FILE);
  ensurePrivateDirectory(config.dataDir);
  let created: string | undefined;
  if (!existsSync(file)) {
    created = randomBytes(32).toString('base64url');
    writeFileSync(file, `${created}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const token = readFileSync(file, 'utf8').trim();
  return {
    definitions: [{ client: 'local-admin', token, scopes: [...SCOPES], actsFor: ADMIN_ACTS_FOR }],
    created,
    adminTokenFile: file,
  };
}

/** Reads and checks a tokens file: it must be readable by its owner only, and every entry well formed. */
export function readTokensFile(file: string): TokenDefinition[] {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    throw new ConfigError(`LEDGER_TOKENS_FILE ${file} cannot be read: ${(error as Error).message}`);
  }
  if ((mode & 0o066) !== 0) {
    throw new ConfigError(`LEDGER_TOKENS_FILE ${file} is open to its group or others (mode ${(mode & 0o777).toString(8)}): ` +
      'make it readable by the service\'s user only (chmod 600)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`LEDGER_TOKENS_FILE ${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new ConfigError(`LEDGER_TOKENS_FILE ${file} must hold a non-empty JSON array`);
  return parsed.map((entry: Partial<TokenDefinition>, i) => checkDefinition(entry, `LEDGER_TOKENS_FILE entry ${i}`));
}

function checkDefinition(entry: Partial<TokenDefinition>, where: string): TokenDefinition {
  if (typeof entry.client !== 'string' || !CLIENT_NAME.test(entry.client)) {
    throw new ConfigError(`${where}: "client" is 1 to 64 letters, digits or ._- characters`);
  }
  if (RESERVED_CLIENTS.has(entry.client)) throw new ConfigError(`${where}: the client name "${entry.client}" is the ledger's own`);
  if (typeof entry.token !== 'string' && !/^[0-9a-fA-F]{64}$/.test(entry.sha256 ?? '')) {
    throw new ConfigError(`${where}: give "token" or a hex "sha256" of it`);
  }
  if (typeof entry.token === 'string' && entry.token.length < 16) throw new ConfigError(`${where}: a token has at least 16 characters`);
  if (!Array.isArray(entry.scopes) || !entry.scopes.every((s) => (SCOPES as readonly string[]).includes(s))) {
    throw new ConfigError(`${where}: "scopes" lists some of ${SCOPES.join(', ')}`);
  }
  if (entry.actor !== undefined) {
    if (!parseBoundParty(entry.actor)) {
      throw new ConfigError(`${where}: "actor" is partner:<id> or customer:<id>`);
    }
    if (entry.actsFor !== undefined) throw new ConfigError(`${where}: a token bound to an "actor" has no "actsFor" list`);
    const kept = entry.scopes.filter((s) => SCOPES_NOT_FOR_BOUND_CREDENTIALS.has(s));
    if (kept.length > 0) throw new ConfigError(`${where}: a token bound to a party cannot hold the ${kept.join(' or ')} scope`);
  }
  if (entry.actsFor !== undefined) {
    if (!Array.isArray(entry.actsFor) || !entry.actsFor.every((p) => typeof p === 'string' && parsePartyPattern(p))) {
      throw new ConfigError(`${where}: "actsFor" lists party patterns: customer:*, partner:<id>, operator:self, system …`);
    }
  }
  return entry as TokenDefinition;
}

/**
 * Watches a tokens file and puts a changed one in force without a restart. A file that no longer reads
 * (bad JSON, a bad entry, opened to others) is reported and the tokens in force stay as they were.
 */
export class TokensFileWatcher {
  constructor(
    private readonly file: string,
    private readonly registry: TokenRegistry,
    private readonly options: { intervalMs: number; onReload?: (count: number) => void; onError?: (error: Error) => void },
  ) {}

  start(): void {
    watchFile(this.file, { interval: this.options.intervalMs, persistent: false }, (current, previous) => {
      if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.mode === previous.mode) return;
      this.reload();
    });
  }

  reload(): void {
    try {
      const definitions = readTokensFile(this.file);
      this.registry.replace(definitions);
      this.options.onReload?.(definitions.length);
    } catch (error) {
      this.options.onError?.(error as Error);
    }
  }

  stop(): void {
    unwatchFile(this.file);
  }
}
