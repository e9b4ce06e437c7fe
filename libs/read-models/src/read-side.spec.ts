import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerLinks, type CustomerView, parseStreamName } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import type { Page } from './paging';
import { InvalidCursorError } from './query-errors';
import { customerViews } from './projections';
import { ReadSide } from './read-side';
import { eventually } from './testing/eventually';
import { writeHistory } from './testing/history-generator';
import { cleanRebuildDump, readWholeLog } from './testing/whole-log';

const SHAPE = { partners: 60, customers: 400, secondsBetweenCommands: 3600 };

function collectPages<T>(fetch: (cursor?: string) => Page<T>): T[] {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = fetch(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

describe('the read side', () => {
  let dir: string;
  let events: SqliteEventStore;
  let written: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-read-'));
    events = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    written = await writeHistory(events, SHAPE);
  });

  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cleanDump = () => cleanRebuildDump(events, join(dir, 'clean.sqlite'));

  it('projects every event of the history once', async () => {
    const side = new ReadSide(events, { file: join(dir, 'read.sqlite') });
    side.start();
    const head = await events.headPosition();
    await expect(side.waitFor(head!, 10_000)).resolves.toBe(true);

    const all = await readWholeLog(events);
    const perCustomer = new Map<string, number>();
    for (const event of all) {
      const stream = parseStreamName(event.stream);
      if (stream?.category === 'customer') perCustomer.set(stream.id, (perCustomer.get(stream.id) ?? 0) + 1);
    }
    expect(side.store.checkpoint()?.eventsSeen).toBe(written);
    for (const [customerId, count] of perCustomer) expect(side.query(customerViews).customer(customerId)?.eventsApplied).toBe(count);
    await side.stop();
  });

  it('resumes exactly where it stopped after failing in the middle of a batch, and equals a clean rebuild', async () => {
    let seen = 0;
    let failures = 0;
    const errors: unknown[] = [];
    const side = new ReadSide(events, {
      file: join(dir, 'read.sqlite'),
      batchSize: 500,
      restartDelayMs: 5,
      onError: (error) => errors.push(error),
      beforeEach: () => {
        seen += 1;
        if (seen === 1234 || seen === 2345) {
          failures += 1;
          throw new Error(`injected failure at event ${seen}`);
        }
      },
    });
    side.start();
    const head = await events.headPosition();
    await expect(side.waitFor(head!, 20_000)).resolves.toBe(true);

    expect(failures).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['injected failure at event 1234', 'injected failure at event 2345']);
    expect(side.store.checkpoint()?.eventsSeen).toBe(written);
    expect([...side.store.dump()]).toEqual(await cleanDump());
    await side.stop();
  });

  it('follows new events as they are appended', async () => {
    const side = new ReadSide(events, { file: join(dir, 'read.sqlite') });
    side.start();
    await side.waitFor((await events.headPosition())!, 10_000);
    const appended = await events.appendToStream('customer-late', [{
      id: 'late-1', type: 'CustomerRegistered', schemaVersion: 1,
      data: { customerId: 'late', name: 'Late', cloud: 'global', isPartnerTenant: false },
      metadata: { recordedAt: '2030-01-01T00:00:00.000Z' },
    }], { expectedRevision: 'no-stream' });

    await expect(side.waitFor(appended.position, 5000)).resolves.toBe(true);
    expect(side.query(customerViews).customer('late')?.name).toBe('Late');
    await side.stop();
  });

  it('reports its lag, and a wait for a position it has not reached times out', async () => {
    const side = new ReadSide(events, { file: join(dir, 'read.sqlite') });
    const lag = await side.lag(new Date('2035-01-01T00:00:00.000Z'));
    expect(lag.events).toBe(written);
    expect(lag.seconds).toBeGreaterThan(0);
    await expect(side.waitFor((await events.headPosition())!, 50)).resolves.toBe(false);
    side.start();
    await side.waitFor((await events.headPosition())!, 10_000);
    expect(await side.lag(new Date())).toEqual({ events: 0, seconds: 0 });
    await side.stop();
  });

  it('rebuilds a fresh copy while the old one serves, then swaps it in', async () => {
    const side = new ReadSide(events, { file: join(dir, 'read.sqlite') });
    side.start();
    await side.waitFor((await events.headPosition())!, 10_000);
    const before = side.store;
    const rebuilding = side.rebuild();
    expect(side.store).toBe(before);
    expect(side.query(customerViews).customer('customer-1')).toBeDefined();

    const report = await rebuilding;
    expect(report.events).toBe(written);
    expect(side.store).not.toBe(before);
    expect([...side.store.dump()]).toEqual(await cleanDump());
    await eventually(() => side.projectorState === 'running');
    await side.stop();
  });

  describe('per-partner queries', () => {
    let side: ReadSide;
    let views: CustomerView[];
    const NOW = '2024-06-01T00:00:00.000Z';

    beforeEach(async () => {
      side = new ReadSide(events, { file: join(dir, 'read.sqlite') });
      side.start();
      await side.waitFor((await events.headPosition())!, 10_000);
      views = [...side.store.dump()].filter((line) => line.startsWith('customers '))
        .map((line) => JSON.parse(JSON.parse(line.slice('customers '.length)).view) as CustomerView);
    });

    afterEach(async () => side.stop());

    it('pages through a partner’s customers by right without losing or repeating one', () => {
      const links = views.flatMap(customerLinks);
      const busiest = [...links.reduce((m, l) => m.set(l.partnerId, (m.get(l.partnerId) ?? 0) + 1), new Map<string, number>())]
        .sort((a, b) => b[1] - a[1])[0][0];
      const expected = [...new Set(links.filter((l) => l.partnerId === busiest && (l.endsAt === null || l.endsAt > NOW))
        .map((l) => l.customerId))].sort();

      const paged = collectPages((cursor) => side.query(customerViews).partnerCustomers(busiest, 'support', NOW, { cursor, limit: 3 }));
      expect(paged.map((c) => c.customerId)).toEqual(expected);
    });

    it('pages through grants expiring within a window, soonest first', () => {
      const until = '2024-09-01T00:00:00.000Z';
      const expected = views.flatMap((v) => Object.values(v.grants).filter((g) => g.status === 'active' && g.endsAt > NOW && g.endsAt <= until))
        .length;
      const paged = collectPages((cursor) => side.query(customerViews).expiringGrants(NOW, until, { cursor, limit: 7 }));
      expect(paged).toHaveLength(expected);
      expect(paged.map((g) => g.endsAt)).toEqual([...paged.map((g) => g.endsAt)].sort());
    });

    it('lists a provider’s resellers’ customers', () => {
      const linked = views.flatMap(customerLinks).filter((l) => l.role === 'linked-reseller');
      const provider = linked[0]?.ownerId ?? '';
      const paged = collectPages((cursor) => side.query(customerViews).resellerCustomers(provider, { cursor, limit: 2 }));
      expect(paged.length).toBe(linked.filter((l) => l.ownerId === provider).length);
      expect(paged.every((row) => linked.some((l) => l.partnerId === row.resellerId && l.customerId === row.customerId))).toBe(true);
    });

    it('refuses a cursor it did not give', () => {
      expect(() => side.query(customerViews).partnerCustomers('p', 'support', NOW, { cursor: 'bogus', limit: 5 })).toThrow(InvalidCursorError);
    });
  });
});
