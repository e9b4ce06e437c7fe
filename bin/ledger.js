#!/usr/bin/env node
// The `ledger` command for auditors and operators (built by `npm run build`).
require('../dist/apps/ledger-cli/main.js');
