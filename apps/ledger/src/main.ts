import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createLedgerApp } from './app';
import { loadConfig } from './config/ledger-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, createdAdminToken, adminTokenFile } = await createLedgerApp(config);
  const logger = new Logger('Ledger');
  if (createdAdminToken) {
    logger.log(`Created the local admin token in ${adminTokenFile} (readable by its owner only)`);
    process.stdout.write(`\nThe local admin token, printed this once (it stays in ${adminTokenFile}):\n\n    ${createdAdminToken}\n\n`);
  }
  await app.listen(config.port, config.host);
  logger.log(`Relationship Ledger listening on http://${config.host}:${config.port} (data in ${config.dataDir}); API docs at /docs`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
