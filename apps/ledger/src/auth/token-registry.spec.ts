import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@ledger/event-store';
import { ConfigError, loadConfig } from '../config/ledger-config';
import { parseActor } from './principal';
import { resolveTokens, TokenRegistry } from './token-registry';

describe('tokens', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-tokens-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('with no configuration', () => {
    it('creates a local admin token once, readable by its owner only, and keeps it across starts', () => {
      const config = loadConfig({ LEDGER_DATA_DIR: dir });
      const first = resolveTokens(config);
      const second = resolveTokens(config);

      expect(first.created).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(second.created).toBeUndefined();
      expect(statSync(join(dir, 'admin-token')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(first.created);
      const admin = new TokenRegistry(second.definitions).authenticate(first.created ?? '');
      expect(admin && [...admin.scopes].sort()).toEqual(['audit', 'metrics', 'read', 'system', 'write']);
    });
  });

  describe('from a tokens file', () => {
    const write = (content: unknown) => {
      const file = join(dir, 'tokens.json');
      writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
      return loadConfig({ LEDGER_DATA_DIR: dir, LEDGER_TOKENS_FILE: file });
    };

    it('authenticates by token or by its SHA-256, binds actors, and creates no admin token', () => {
      const config = write([
        { client: 'portal', sha256: sha256Hex('portal-secret-0123456789'), scopes: ['read'] },
        { client: 'contoso', token: 'contoso-secret-0123456789', scopes: ['write'], actor: 'customer:contoso' },
      ]);
      const { definitions, created } = resolveTokens(config);
      const registry = new TokenRegistry(definitions);

      expect(created).toBeUndefined();
      expect(registry.authenticate('portal-secret-0123456789')?.client).toBe('portal');
      expect(registry.authenticate('contoso-secret-0123456789')?.boundActor).toEqual({ kind: 'customer', id: 'contoso' });
      expect(registry.authenticate('wrong')).toBeUndefined();
    });

    it('reads party lists', () => {
      const config = write([{ client: 'portal', token: 'portal-secret-0123456789', scopes: ['write'], actsFor: ['customer:*', 'partner:northwind', 'operator:self', 'system'] }]);
      const principal = new TokenRegistry(resolveTokens(config).definitions).authenticate('portal-secret-0123456789');
      expect(principal?.actsFor).toEqual([{ kind: 'customer', id: '*' }, { kind: 'partner', id: 'northwind' }, { kind: 'operator', id: 'self' }, { kind: 'system' }]);
      expect(principal?.credential).toEqual({ type: 'static-token', client: 'portal' });
    });

    it.each([
      ['not an array', { client: 'x' }],
      ['an empty list', []],
      ['no client', [{ token: 'secret-0123456789abc', scopes: ['read'] }]],
      ['a short token', [{ client: 'x', token: 'short', scopes: ['read'] }]],
      ['an unknown scope', [{ client: 'x', token: 'secret-0123456789abc', scopes: ['root'] }]],
      ['a bad actor', [{ client: 'x', token: 'secret-0123456789abc', scopes: ['write'], actor: 'system' }]],
      ['an operator as the bound actor', [{ client: 'x', token: 'secret-0123456789abc', scopes: ['write'], actor: 'operator:x' }]],
      ['a bound token with the audit scope', [{ client: 'x', token: 'secret-0123456789abc', scopes: ['read', 'audit'], actor: 'customer:c' }]],
      ['a bound token with a party list too', [{ client: 'x', token: 'secret-0123456789abc', scopes: ['write'], actor: 'customer:c', actsFor: ['customer:*'] }]],
      ['a malformed party pattern', [{ client: 'x', token: 'secret-0123456789abc', scopes: ['write'], actsFor: ['customer:**'] }]],
      ['the scheduler’s own client name', [{ client: 'scheduler', token: 'secret-0123456789abc', scopes: ['write'] }]],
      ['a client name with a slash', [{ client: 'a/b', token: 'secret-0123456789abc', scopes: ['write'] }]],
    ])('refuses %s', (_, content) => {
      expect(() => resolveTokens(write(content))).toThrow(ConfigError);
    });
  });

  it('parses actors', () => {
    expect(parseActor('partner:northwind')).toEqual({ kind: 'partner', id: 'northwind' });
    expect(parseActor('system')).toEqual({ kind: 'system', id: 'system' });
    expect(parseActor('system:x')).toBeUndefined();
    expect(parseActor('king:arthur')).toBeUndefined();
    expect(parseActor('partner:has space')).toBeUndefined();
  });
});
