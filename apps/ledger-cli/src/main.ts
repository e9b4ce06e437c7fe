import { runCli } from './ledger-cli';

// `ledger export | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(line.endsWith('\n') || line.startsWith('\r') ? line : `${line}\n`),
  interactive: Boolean(process.stderr.isTTY),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
