import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { LedgerProcess } from './support/ledger-process';

const TOKEN = 'durability-test-token-0123456789';

interface Acknowledged {
  readonly key: string;
  readonly body: object;
  readonly position: string;
}

function register(baseUrl: string, key: string, body: object): Promise<Response> {
  return fetch(`${baseUrl}/customers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
}

describe('durability', () => {
  let dataDir: string;
  let ledger: LedgerProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-durability-'));
    writeFileSync(join(dataDir, 'tokens.json'), JSON.stringify([{ client: 'load', token: TOKEN, scopes: ['write'] }]), { mode: 0o600 });
  });

  afterEach(async () => {
    await ledger?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged command, exactly once, when the process is killed mid-load', async () => {
    const env = { LEDGER_DATA_DIR: dataDir, LEDGER_TOKENS_FILE: join(dataDir, 'tokens.json') };
    ledger = await LedgerProcess.start(env);
    const first = ledger;
    const acknowledged: Acknowledged[] = [];
    let stopping = false;

    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stopping; i += 1) {
        const key = `w${w}-c${i}`;
        const body = { customerId: key, name: `Customer ${key}`, cloud: 'global' };
        try {
          const response = await register(first.baseUrl, key, body);
          if (response.status === 201) {
            const answer = (await response.json()) as { position: string };
            acknowledged.push({ key, body, position: answer.position });
          }
        } catch {
          return; // the connection died with the process: this command was never acknowledged
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    while (acknowledged.length < 400) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.kill();
    stopping = true;
    await load;

    ledger = await LedgerProcess.start(env);
    const store = new SqliteEventStore({ file: join(dataDir, 'events.sqlite') });
    const events = [];
    for (let page = await store.readAll({ maxCount: 1000 }); page.length > 0;
      page = await store.readAll({ after: page[page.length - 1].position, maxCount: 1000 })) {
      events.push(...page);
    }
    await store.close();
    const timesRecorded = new Map<string, number>();
    for (const event of events) {
      const commandId = String(event.metadata.commandId);
      timesRecorded.set(commandId, (timesRecorded.get(commandId) ?? 0) + 1);
    }

    expect(acknowledged.length).toBeGreaterThanOrEqual(400);
    expect(acknowledged.filter((ack) => timesRecorded.get(ack.key) !== 1)).toEqual([]);
    expect([...timesRecorded.values()].every((times) => times === 1)).toBe(true);

    const restarted = ledger;
    for (const ack of acknowledged) {
      const retry = await register(restarted.baseUrl, ack.key, ack.body);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(((await retry.json()) as { position: string }).position).toBe(ack.position);
    }
  }, 120_000);
});
