import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@ledger/event-store';
import { LEDGER_EVENT_TYPES, type LedgerEvent, parseStreamName } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { documentProjection, type Projection } from './projection';
import { customerViews, LEDGER_PROJECTIONS, partnerViews } from './projections';
import { ReadModelStore } from './read-model-store';
import { ReadModelsUnavailableError } from './query-errors';
import { ReadSide } from './read-side';
import { eventually } from './testing/eventually';
import { writeHistory } from './testing/history-generator';
import { readWholeLog } from './testing/whole-log';

/** A projection that exists only in this test: per stream, how many events it has (v1) or the type of its last one (v2). */
function throwaway(version: 1 | 2): Projection<{ of(entityId: string): string | undefined }> {
  return documentProjection<{ value: string }, LedgerEvent, { of(entityId: string): string | undefined }>({
    name: 'throwaway',
    version,
    eventTypes: LEDGER_EVENT_TYPES,
    documents: { name: 'throwaway', key: 'entity_id', column: 'document' },
    evolve: (document, event) => ({ value: version === 1 ? String(Number(document?.value ?? 0) + 1) : event.type }),
    open: (_db, documents) => ({ queries: { of: (entityId) => documents.get(entityId)?.value } }),
  });
}

describe('the projection registry', () => {
  let dir: string;
  let events: SqliteEventStore;
  let file: string;
  /** Per entity id: its events' count and last event type, read from the log. */
  const expected = new Map<string, { count: number; lastType: string }>();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-registry-'));
    file = join(dir, 'read.sqlite');
    events = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    await writeHistory(events, { partners: 40, customers: 300, secondsBetweenCommands: 3600 });
    expected.clear();
    for (const event of await readWholeLog(events)) {
      const id = parseStreamName(event.stream)!.id;
      expected.set(id, { count: (expected.get(id)?.count ?? 0) + 1, lastType: event.type });
    }
    // The ledger's own read models, built and followed to the head before the registry changes.
    const side = new ReadSide(events, { file });
    side.start();
    await side.waitFor((await events.headPosition())!, 20_000);
    await side.stop();
  });

  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startWith(projection: Projection, { during }: { during?: (side: ReadSide) => void } = {}): Promise<ReadSide> {
    const side = new ReadSide(events, { file, projections: [...LEDGER_PROJECTIONS, projection] });
    during?.(side);
    side.start();
    await eventually(() => side.projections.every((p) => p.state === 'ready'), 20_000);
    return side;
  }

  it('builds a projection added to the registry from the existing log at start, with no rebuild call, while the others serve', async () => {
    const customersBefore = new ReadModelStore(file).checkpoint();
    let servedMeanwhile: string | undefined;
    const side = await startWith(throwaway(1), {
      during: (s) => {
        expect(s.projections.find((p) => p.name === 'throwaway')?.state).toBe('building');
        expect(() => s.query(throwaway(1)).of('customer-1')).toThrow(ReadModelsUnavailableError);
        servedMeanwhile = s.query(customerViews).customer('customer-1')?.customerId;
      },
    });

    expect(servedMeanwhile).toBe('customer-1');
    for (const [id, { count }] of expected) expect(side.query(throwaway(1)).of(id)).toBe(String(count));
    expect(side.rebuildStatus.state).toBe('idle');
    expect(side.position).toEqual(customersBefore?.position);

    // Joined: the live projector feeds it from here on.
    const appended = await events.appendToStream('customer-customer-1', [{
      id: 'late-1', type: 'CustomerRegistered', schemaVersion: 1, data: { customerId: 'customer-1' }, metadata: { recordedAt: '2031-01-01T00:00:00.000Z' },
    }], { expectedRevision: 'any' });
    await expect(side.waitFor(appended.position, 5000)).resolves.toBe(true);
    expect(side.query(throwaway(1)).of('customer-1')).toBe(String(expected.get('customer-1')!.count + 1));
    await side.stop();
  });

  it('rebuilds by itself a projection whose version was raised, and leaves the others as they were', async () => {
    await (await startWith(throwaway(1))).stop();
    const before = new ReadModelStore(file);
    const othersBefore = before.projections.filter((p) => p.name !== 'throwaway');
    const customer = before.query(customerViews).customer('customer-7');
    before.close();

    const side = await startWith(throwaway(2));
    for (const [id, { lastType }] of expected) expect(side.query(throwaway(2)).of(id)).toBe(lastType);
    expect(side.projections.filter((p) => p.name !== 'throwaway')).toEqual(othersBefore);
    expect(side.query(customerViews).customer('customer-7')).toEqual(customer);
    expect(side.rebuildStatus.state).toBe('idle');
    await side.stop();
  });

  it('keeps the one checkpoint of read models from before the registry for the projections that were there, at version 1', () => {
    const store = new ReadModelStore(file);
    const checkpoint = store.checkpoint();
    const partner = store.query(partnerViews).partner('partner-3');
    store.close();
    const db = new Database(file);
    db.exec(`DROP TABLE projections;
      CREATE TABLE checkpoint (id INTEGER PRIMARY KEY CHECK (id = 1), commit_position INTEGER NOT NULL, prepare_position INTEGER NOT NULL,
        events_seen INTEGER NOT NULL)`);
    db.prepare('INSERT INTO checkpoint VALUES (1, ?, ?, ?)').run(checkpoint!.position.commit, checkpoint!.position.prepare, checkpoint!.eventsSeen);
    db.close();

    const reopened = new ReadModelStore(file);
    // Those raised since (customer-views) were written by their version 1 then: they are built again.
    expect(reopened.projections.map((p) => [p.name, p.state])).toEqual(LEDGER_PROJECTIONS.map((p) => [p.name, p.version === 1 ? 'ready' : 'building']));
    expect(reopened.checkpoint()).toEqual(checkpoint);
    expect(partner).toBeDefined();
    expect(reopened.query(partnerViews).partner('partner-3')).toEqual(partner);
    reopened.close();
  });
});
