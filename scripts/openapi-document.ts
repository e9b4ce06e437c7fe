// Writes the API document the service serves at /docs-json to a file: what the typed client is generated from.
//   npm run client:generate
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiDocument, createLedgerApp } from '../apps/ledger/src/app';
import { loadConfig } from '../apps/ledger/src/config/ledger-config';

async function main(file: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  try {
    const config = loadConfig({ LEDGER_DATA_DIR: dataDir, LEDGER_SCHEDULER_INTERVAL_MS: '0', LEDGER_CHECKPOINT_INTERVAL_MS: '0' });
    const { app } = await createLedgerApp(config, { quiet: true });
    writeFileSync(file, `${JSON.stringify(apiDocument(app), null, 2)}\n`);
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2] ?? 'libs/client/openapi.json').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
