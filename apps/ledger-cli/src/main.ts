import { runCli } from './ledger-cli';

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
