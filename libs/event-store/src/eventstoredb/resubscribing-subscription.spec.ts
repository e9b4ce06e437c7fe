import type { RecordedEvent } from '../event-store.port';
import type { Position } from '../position';
import { backoffDelay, ResubscribingSubscription, type SourceSubscription } from './resubscribing-subscription';

class Dropped extends Error {}

const event = (n: number): RecordedEvent => ({
  id: `e${n}`, stream: 's', revision: BigInt(n), position: { commit: BigInt(n * 10), prepare: BigInt(n * 10) },
  type: 'T', schemaVersion: 1, data: {}, metadata: {},
});

/** A source over events 1…total that drops (throws `failure`) after `dropAfter` events of each subscription. */
function flakySource(total: number, dropAfter: number, failure: () => Error, opened: Array<Position | undefined>) {
  return (after: Position | undefined): SourceSubscription => {
    opened.push(after);
    const start = after ? Number(after.commit / 10n) + 1 : 1;
    return {
      async *[Symbol.asyncIterator]() {
        for (let n = start, sent = 0; n <= total; n += 1, sent += 1) {
          if (sent === dropAfter) throw failure();
          yield event(n);
        }
      },
      close: async () => undefined,
    };
  };
}

/** The default backoff without its jitter, so the delays can be stated. */
const STEADY = { initialDelayMs: 100, maxDelayMs: 10_000, factor: 2 };

describe('resubscribing subscription', () => {
  it('backs off exponentially, capped', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('leaves up to the jitter of each delay to chance, so replicas do not come back in step', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };
    expect([0, 0.5, 0.999].map((r) => backoffDelay(3, options, () => r))).toEqual([400, 300, 200]);
    expect(backoffDelay(9, options, () => 1)).toBe(500);
  });

  it('resubscribes after a drop from the last position it delivered: nothing lost, nothing twice', async () => {
    const opened: Array<Position | undefined> = [];
    const delays: number[] = [];
    const subscription = new ResubscribingSubscription(flakySource(10, 4, () => new Dropped('consumer too slow'), opened), undefined, {
      isRetryable: (error) => error instanceof Dropped,
      backoff: STEADY,
      onResubscribe: (_, delay) => delays.push(delay),
      sleep: async () => undefined,
    });
    const seen: number[] = [];
    for await (const e of subscription) {
      seen.push(Number(e.revision));
      if (seen.length === 10) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(opened).toEqual([undefined, { commit: 40n, prepare: 40n }, { commit: 80n, prepare: 80n }]);
    expect(delays).toEqual([100, 100]);
    expect(subscription.position).toEqual({ commit: 100n, prepare: 100n });
  });

  it('grows the delay while drops repeat with nothing delivered, and starts from the given position', async () => {
    const opened: Array<Position | undefined> = [];
    const delays: number[] = [];
    let failures = 0;
    const source = (after: Position | undefined): SourceSubscription => {
      opened.push(after);
      return {
        async *[Symbol.asyncIterator]() {
          if ((failures += 1) <= 3) throw new Dropped('unavailable');
          yield event(6);
        },
        close: async () => undefined,
      };
    };
    const subscription = new ResubscribingSubscription(source, { commit: 50n, prepare: 50n }, {
      isRetryable: (error) => error instanceof Dropped, backoff: STEADY, onResubscribe: (_, d) => delays.push(d), sleep: async () => undefined,
    });
    for await (const e of subscription) {
      expect(e.id).toBe('e6');
      break;
    }
    expect(delays).toEqual([100, 200, 400]);
    expect(opened.every((p) => p?.commit === 50n)).toBe(true);
  });

  it('fails on an error that is not retryable', async () => {
    const subscription = new ResubscribingSubscription(flakySource(10, 2, () => new Error('access denied'), []), undefined, {
      isRetryable: (error) => error instanceof Dropped, sleep: async () => undefined,
    });
    const seen: string[] = [];
    await expect((async () => {
      for await (const e of subscription) seen.push(e.id);
    })()).rejects.toThrow('access denied');
    expect(seen).toEqual(['e1', 'e2']);
  });

  it('stops when closed', async () => {
    const subscription = new ResubscribingSubscription(flakySource(100, 1000, () => new Dropped(), []), undefined, {
      isRetryable: () => true, sleep: async () => undefined,
    });
    const seen: string[] = [];
    for await (const e of subscription) {
      seen.push(e.id);
      if (seen.length === 3) await subscription.close();
    }
    expect(seen).toEqual(['e1', 'e2', 'e3']);
  });
});
