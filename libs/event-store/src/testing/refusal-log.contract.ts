import { randomUUID } from 'node:crypto';
import type { RefusalLog, RefusalRecord } from '../refusal-log';

export interface RefusalLogSubject {
  readonly refusals: RefusalLog;
  dispose(): Promise<void>;
}

function refusalOf(client: string, commandId: string, code = 'MC-03'): RefusalRecord {
  return {
    commandId, commandHash: `hash-${commandId}`, commandType: 'CreateInvitation', stream: 'customer-contoso', code,
    category: 'rule', message: 'Only the owner may invite', actor: { kind: 'partner', id: 'fabrikam' }, client,
    correlationId: randomUUID(), recordedAt: '2026-03-01T09:00:00.000Z', command: { partnerId: 'fabrikam', note: 'ünïcode ✓' },
  };
}

/**
 * What every refusal log must do. Tests use command ids of their own, so a shared server works as well as
 * a fresh file.
 */
export function describeRefusalLogContract(adapter: string, open: () => Promise<RefusalLogSubject>): void {
  describe(`refusal log contract: ${adapter}`, () => {
    let subject: RefusalLogSubject;
    let client: string;

    beforeEach(async () => {
      subject = await open();
      client = `client-${randomUUID()}`;
    });

    afterEach(() => subject.dispose());

    it('finds a refusal by its client and command id, as it was recorded', async () => {
      const refusal = refusalOf(client, 'k-1');
      await subject.refusals.record(refusal);
      const found = await subject.refusals.find(client, 'k-1');
      expect(found).toEqual({ ...refusal, sequence: expect.any(BigInt) });
      await expect(subject.refusals.find(client, 'k-unknown')).resolves.toBeUndefined();
      await expect(subject.refusals.find(`${client}-other`, 'k-1')).resolves.toBeUndefined();
    });

    it('keeps the first refusal of a command id', async () => {
      await subject.refusals.record(refusalOf(client, 'k-2', 'MC-03'));
      await subject.refusals.record(refusalOf(client, 'k-2', 'MC-09'));
      expect((await subject.refusals.find(client, 'k-2'))?.code).toBe('MC-03');
    });

    it('lists refusals in the order they were recorded, a page at a time after a sequence', async () => {
      const start = (await subject.refusals.list({ limit: 100_000 })).at(-1)?.sequence;
      for (const id of ['a', 'b', 'c']) await subject.refusals.record(refusalOf(client, id));
      const first = await subject.refusals.list({ after: start, limit: 2 });
      const rest = await subject.refusals.list({ after: first[1].sequence, limit: 10 });
      expect([...first, ...rest].filter((r) => r.client === client).map((r) => r.commandId)).toEqual(['a', 'b', 'c']);
      expect(first[0].sequence < first[1].sequence).toBe(true);
    });
  });
}
