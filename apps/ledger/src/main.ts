import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { createLedgerApp } from './app';
import { loadConfig } from './config/ledger-config';
import { LOGGER, logStream } from './ledger.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, createdAdminToken, adminTokenFile, webPage } = await createLedgerApp(config);
  const logger = new Logger('Ledger');
  if (createdAdminToken) logger.log(`Created the local admin token in ${adminTokenFile} (readable by its owner only)`);
  await app.listen(config.port, config.host);
  const url = `http://${config.host}:${config.port}`;
  logger.log(`Relationship Ledger listening on ${url} (data in ${config.dataDir}); API docs at /docs`);
  // Last, after every start-up log line, so that it is what the terminal shows: written into the logs' own
  // stream, since pino writes its lines a moment after they are logged.
  const logs = logStream(app.get<PinoLogger>(LOGGER));
  const lines = [`Relationship Ledger is up on ${url} (API docs at ${url}/docs)`,
    webPage ? `Who could do what, and when, in a browser: ${url}/ui/` : `(No web page at /ui/: ${config.uiDir} is not built; npm run build builds it.)`];
  if (createdAdminToken) {
    lines.push(`The local admin token, printed this once (it stays in ${adminTokenFile}):`, '', `    ${createdAdminToken}`);
  } else if (adminTokenFile) {
    lines.push(`The local admin token is in ${adminTokenFile}`);
  }
  logs.write(`\n${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
