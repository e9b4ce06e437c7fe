#!/usr/bin/env node
// `npm start`: builds the service only when its sources changed since the last build, then runs it.
// The build is stamped with a hash of everything that goes into it; an unchanged tree starts at once.
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const main = join(root, 'dist/apps/ledger/main.js');
const stamp = join(root, 'dist/apps/ledger/.source-hash');
const INPUTS = ['apps/ledger', 'apps/ledger-ui', 'scripts/build-ui.js', 'libs', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The files under `path` (a file or a folder), specs left out: they are not built. */
function* files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return;
  if (!statSync(full).isDirectory()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(full, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.name.endsWith('.spec.ts')) yield* files(join(path, entry.name));
  }
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => [...files(input)])) {
    hash.update(`${relative(root, join(root, file))}\0`).update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

const current = sourceHash();
const built = existsSync(main) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === current;
if (built) {
  process.stdout.write('The build is current; starting.\n');
} else {
  process.stdout.write('Building the service (the sources changed since the last build) …\n');
  const nest = join(root, 'node_modules/@nestjs/cli/bin/nest.js');
  const build = spawnSync(process.execPath, [nest, 'build', 'ledger'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const page = spawnSync(process.execPath, [join(__dirname, 'build-ui.js')], { cwd: root, stdio: 'inherit' });
  if (page.status !== 0) process.exit(page.status ?? 1);
  writeFileSync(stamp, `${current}\n`);
}
require(main);
