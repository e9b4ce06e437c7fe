#!/usr/bin/env node
// Builds the auditor's web page (apps/ledger-ui) into one folder the ledger serves at /ui: index.html, the
// stylesheet, and the page's script with its libraries bundled in (esbuild), so nothing is fetched from
// elsewhere at run time.
'use strict';
const { copyFileSync, mkdirSync } = require('node:fs');
const { join, resolve } = require('node:path');

const source = join(__dirname, '..', 'apps', 'ledger-ui');
const DEFAULT_OUT = join(__dirname, '..', 'dist', 'apps', 'ledger-ui');

/** Builds the page into `outdir` (created when absent); resolves once it is written. */
async function buildUi(outdir = DEFAULT_OUT) {
  const { build } = require('esbuild');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(source, 'src', 'main.ts')],
    outfile: join(outdir, 'app.js'),
    tsconfig: join(source, 'tsconfig.json'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'styles.css']) copyFileSync(join(source, file), join(outdir, file));
  return outdir;
}

module.exports = { buildUi, DEFAULT_OUT };

if (require.main === module) {
  buildUi(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUT).then(
    (outdir) => process.stdout.write(`Built the web page into ${outdir}\n`),
    (error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    },
  );
}
