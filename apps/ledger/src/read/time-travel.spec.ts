import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, type CustomerEvent, type CustomerView, evolveCustomerView, type ProjectedEvent } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { customerViews, ReadSide, SNAPSHOT_EVERY } from '@ledger/read-models';
import { TimeTravel } from './time-travel';

const T0 = '2026-01-01T00:00:00.000Z';

/** A customer with a long life: registered, related, then 1,249 grants each revoked again (2,500 events). */
function longHistory(): Array<CustomerEvent & { recordedAt: string }> {
  const events: CustomerEvent[] = [
    { type: 'CustomerRegistered', data: { customerId: 'busy', name: 'Busy', cloud: 'global', isPartnerTenant: false } },
    { type: 'RelationshipAccepted', data: { customerId: 'busy', relationshipId: 'r', invitationId: 'r', partnerId: 'p', resellerId: null } },
  ];
  for (let i = 0; events.length < 2500; i += 1) {
    events.push({ type: 'DelegatedAdminGranted', data: { customerId: 'busy', grantId: `g${i}`, partnerId: 'p', roles: ['Global Reader'], endsAt: addDays(T0, 700) } });
    events.push({ type: 'DelegatedAdminRevoked', data: { customerId: 'busy', grantId: `g${i}`, partnerId: 'p' } });
  }
  return events.map((event, i) => ({ ...event, recordedAt: new Date(Date.parse(T0) + i * 60_000).toISOString() }));
}

describe('time travel with snapshots', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readSide: ReadSide;
  const history = longHistory();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-time-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    for (let i = 0; i < history.length; i += 500) {
      await store.appendToStream('customer-busy', history.slice(i, i + 500).map(({ recordedAt, ...event }, j) => ({
        id: `e${i + j}`, type: event.type, schemaVersion: 1, data: event.data, metadata: { recordedAt },
      })), { expectedRevision: i === 0 ? 'no-stream' : BigInt(i - 1) });
    }
    readSide = new ReadSide(store, { file: join(dir, 'read.sqlite') });
    readSide.start();
    await readSide.waitFor((await store.headPosition())!, 10_000);
  });

  afterAll(async () => {
    await readSide.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const foldUpTo = (count: number): CustomerView | null => history.slice(0, count)
    .reduce<CustomerView | null>((view, event, i) => evolveCustomerView(view, { ...event, id: `e${i}` } as ProjectedEvent<CustomerEvent>), null);

  it(`keeps a snapshot every ${SNAPSHOT_EVERY} events`, () => {
    const at = (n: number) => history[n - 1].recordedAt;
    expect(readSide.query(customerViews).snapshotBefore('busy', { time: at(SNAPSHOT_EVERY) })?.view.eventsApplied).toBe(SNAPSHOT_EVERY);
    expect(readSide.query(customerViews).snapshotBefore('busy', { time: at(2499) })?.view.eventsApplied).toBe(2499 - (2499 % SNAPSHOT_EVERY));
    expect(readSide.query(customerViews).snapshotBefore('busy', { time: at(SNAPSHOT_EVERY - 1) })).toBeUndefined();
  });

  it('answers as of a time by replaying fewer events than a snapshot interval, and equals a full replay', async () => {
    const past = await new TimeTravel(store, readSide).customerAsOf('busy', { time: history[2399 + 37].recordedAt });
    expect(past.replayed).toBe((2400 + 37) % SNAPSHOT_EVERY);
    expect(past.replayed).toBeLessThan(1000);
    expect(past.view).toEqual(foldUpTo(2400 + 37));
    expect(past.evaluatedAt).toBe(history[2399 + 37].recordedAt);
  });

  it('answers as of a position the same way', async () => {
    const [event] = await store.readStream('customer-busy', { fromRevision: 1512n });
    const past = await new TimeTravel(store, readSide).customerAsOf('busy', { position: event.position });
    expect(past.replayed).toBe(1513 % SNAPSHOT_EVERY);
    expect(past.view).toEqual(foldUpTo(1513));
  });
});
