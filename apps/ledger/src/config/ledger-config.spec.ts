import { ConfigError, loadConfig } from './ledger-config';

describe('configuration', () => {
  it('needs nothing: defaults for every setting', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1', port: 3000, bodyLimitBytes: 65536, commandAttempts: 5, tokensFile: undefined,
      policy: { invitationTtlDays: 90, maxDelegatedAdminDays: 730 },
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('reads the environment', () => {
    expect(loadConfig({ PORT: '8080', LEDGER_INVITATION_TTL_DAYS: '30', LEDGER_DATA_DIR: '/tmp/x' }))
      .toMatchObject({ port: 8080, dataDir: '/tmp/x', policy: { invitationTtlDays: 30 } });
    expect(loadConfig({ PORT: '8080', LEDGER_PORT: '9090' }).port).toBe(9090);
  });

  it('takes an EventStoreDB connection string, and refuses anything else there', () => {
    expect(loadConfig({}).eventStoreUrl).toBeUndefined();
    expect(loadConfig({ LEDGER_EVENTSTORE_URL: 'esdb+discover://node1:2113?tls=false' }).eventStoreUrl).toBe('esdb+discover://node1:2113?tls=false');
    expect(() => loadConfig({ LEDGER_EVENTSTORE_URL: 'http://node1:2113' })).toThrow(/LEDGER_EVENTSTORE_URL/);
  });

  it('names every bad value at once', () => {
    expect(() => loadConfig({ LEDGER_PORT: 'eighty', LEDGER_INVITATION_TTL_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEDGER_PORT: 'eighty', LEDGER_INVITATION_TTL_DAYS: '0' }))
      .toThrow(/LEDGER_PORT must be .*\n- LEDGER_INVITATION_TTL_DAYS must be/);
  });
});
