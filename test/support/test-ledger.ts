import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EventStore, RefusalLog } from '@ledger/event-store';
import { ReadSide } from '@ledger/read-models';
import { eventStoreDbForTests, stopEventStoreDbForTests } from './eventstoredb/target';
import { createLedgerApp, type CreateLedgerAppOptions } from '../../apps/ledger/src/app';
import { type LedgerConfig, loadConfig, type TokenDefinition } from '../../apps/ledger/src/config/ledger-config';
import { MovableClock } from '../../apps/ledger/src/testing/movable-clock';

export const TOKENS = {
  admin: 'test-admin-token-0123456789',
  reader: 'test-reader-token-0123456789',
  contosoPortal: 'test-contoso-portal-token-0123456789',
  litwarePortal: 'test-litware-portal-token-0123456789',
  northwindBackOffice: 'test-northwind-back-office-0123456789',
  partnerPortal: 'test-partner-portal-token-0123456789',
  opsService: 'test-ops-service-token-0123456789',
  writeOnly: 'test-scope-write-token-0123456789',
  readOnly: 'test-scope-read-token-0123456789',
  auditOnly: 'test-scope-audit-token-0123456789',
  systemOnly: 'test-scope-system-token-0123456789',
  metricsOnly: 'test-scope-metrics-token-0123456789',
} as const;

const DEFINITIONS: TokenDefinition[] = [
  {
    client: 'test-admin', token: TOKENS.admin, scopes: ['write', 'read', 'audit', 'system', 'metrics'],
    actsFor: ['partner:*', 'customer:*', 'operator:self', 'system'],
  },
  { client: 'test-reader', token: TOKENS.reader, scopes: ['read'] },
  { client: 'contoso-portal', token: TOKENS.contosoPortal, scopes: ['write', 'read'], actor: 'customer:contoso' },
  { client: 'litware-portal', token: TOKENS.litwarePortal, scopes: ['write', 'read'], actor: 'customer:litware' },
  { client: 'northwind-back-office', token: TOKENS.northwindBackOffice, scopes: ['write', 'read'], actor: 'partner:northwind' },
  // The README's partner portal: writes and reads for whichever partner its user works for.
  { client: 'partner-portal', token: TOKENS.partnerPortal, scopes: ['write', 'read'], actsFor: ['partner:*'] },
  { client: 'ops-service', token: TOKENS.opsService, scopes: ['write', 'read', 'audit'] },
  { client: 'scope-write', token: TOKENS.writeOnly, scopes: ['write'] },
  { client: 'scope-read', token: TOKENS.readOnly, scopes: ['read'] },
  { client: 'scope-audit', token: TOKENS.auditOnly, scopes: ['audit'] },
  { client: 'scope-system', token: TOKENS.systemOnly, scopes: ['system'] },
  { client: 'scope-metrics', token: TOKENS.metricsOnly, scopes: ['metrics'] },
];

export type TestStore = 'SQLite' | 'EventStoreDB';

/**
 * The stores an end-to-end test file runs on: SQLite, and EventStoreDB (the server EVENTSTORE_CONNECTION_STRING
 * names, or the in-process test server, stopped after the file). Called where the file declares its tests.
 */
export function testStores(): TestStore[] {
  afterAll(stopEventStoreDbForTests);
  return ['SQLite', 'EventStoreDB'];
}

export interface CommandOptions {
  /** Ledger-Actor header, e.g. `partner:adatum`. */
  readonly actor?: string;
  readonly key?: string;
  readonly ifMatch?: string;
  readonly token?: string;
}

/** The real application on a temporary data directory, with a clock the test moves. */
export class TestLedger {
  private constructor(
    readonly app: INestApplication,
    readonly clock: MovableClock,
    readonly dataDir: string,
  ) {}

  /** Starts on a new temporary data directory, or on `dataDir` (a restart). The scheduler runs, and checkpoints are signed, only when told. */
  static async start(
    now = '2026-03-01T09:00:00.000Z',
    store: TestStore = 'SQLite',
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-')),
    overrides: Partial<LedgerConfig> = {},
    appOptions: Pick<CreateLedgerAppOptions, 'spanProcessor'> = {},
  ): Promise<TestLedger> {
    const clock = new MovableClock(now);
    const eventStoreUrl = store === 'EventStoreDB' ? (await eventStoreDbForTests()).connectionString : undefined;
    // Reads wait at most half a second for a position (two on a server), so a test of the 503 does not wait long.
    const config = {
      ...loadConfig({ LEDGER_DATA_DIR: dataDir, LEDGER_READ_WAIT_MS: eventStoreUrl ? '2000' : '500', LEDGER_SCHEDULER_INTERVAL_MS: '0', LEDGER_CHECKPOINT_INTERVAL_MS: '0' }),
      tokens: DEFINITIONS,
      eventStoreUrl,
      ...overrides,
    };
    const { app } = await createLedgerApp(config, { clock, quiet: true, ...appOptions });
    return new TestLedger(app, clock, dataDir);
  }

  get store(): EventStore {
    return this.app.get(EventStore);
  }

  get refusals(): RefusalLog {
    return this.app.get(RefusalLog);
  }

  /** POSTs a command as JSON with the admin token unless told otherwise. */
  command(path: string, body?: object, options: CommandOptions = {}): request.Test {
    let test = request(this.app.getHttpServer()).post(path).set('Authorization', `Bearer ${options.token ?? TOKENS.admin}`);
    if (options.actor) test = test.set('Ledger-Actor', options.actor);
    if (options.key) test = test.set('Idempotency-Key', options.key);
    if (options.ifMatch) test = test.set('If-Match', options.ifMatch);
    return body === undefined ? test : test.send(body);
  }

  /** Resolves once the read models have seen everything in the log. */
  async projected(): Promise<void> {
    const head = await this.store.headPosition();
    if (head) await this.app.get(ReadSide).waitFor(head, 5000);
  }

  async streamTypes(stream: string): Promise<string[]> {
    return (await this.store.readStream(stream)).map((event) => event.type);
  }

  /** Stops the service and keeps its data directory (for tools that read it afterwards). */
  async stop(): Promise<void> {
    await this.app.close();
  }

  async close(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
