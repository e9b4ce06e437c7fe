import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRefusalLogContract } from '../testing/refusal-log.contract';
import { SqliteRefusalLog } from './sqlite-refusal-log';

describeRefusalLogContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-refusals-'));
  const refusals = new SqliteRefusalLog(join(dir, 'refusals.sqlite'));
  return {
    refusals,
    dispose: async () => {
      await refusals.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
