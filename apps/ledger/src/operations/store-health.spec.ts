import { EventStoreUnavailableError } from '@ledger/event-store';
import { RepeatedLog } from './repeated-log';
import { StoreHealth } from './store-health';

describe('StoreHealth', () => {
  let now = 0;
  const health = (): StoreHealth => new StoreHealth(10_000, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('is down from a failed write until a write succeeds', () => {
    const store = health();
    expect(store.fault).toBeUndefined();
    store.failed(new EventStoreUnavailableError('no room', 'disk-full'));
    expect(store.fault).toMatchObject({ reason: 'disk-full', message: 'no room', retryAfterSeconds: 30 });
    now += 1;
    store.succeeded();
    expect(store.fault).toBeUndefined();
  });

  it('comes back by itself when no write has failed for the window', () => {
    const store = health();
    store.failed(new EventStoreUnavailableError('away'));
    now += 10_001;
    expect(store.fault).toBeUndefined();
  });
});

describe('RepeatedLog', () => {
  it('logs a kind once per interval and counts the repeats into the next line', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RepeatedLog(10_000, () => now);
    for (let i = 0; i < 5; i += 1) log.log('disk full', 'write failed', (line) => lines.push(line));
    log.log('other', 'another failure', (line) => lines.push(line));
    now = 10_000;
    log.log('disk full', 'write failed', (line) => lines.push(line));
    expect(lines).toEqual(['write failed', 'another failure', 'write failed (and 4 more like it in the last 10 s)']);
  });

  it('forgets the oldest kind beyond its bound', () => {
    const log = new RepeatedLog(10_000, () => 0, 2);
    expect([log.admit('a'), log.admit('b'), log.admit('c'), log.admit('a')]).toEqual([0, 0, 0, 0]);
  });
});
