#!/usr/bin/env node
// Runs a TypeScript entry point straight from source (`npx nx serve <app>`); see register-ts.js.
const path = require('node:path');
require('./register-ts');

// Child processes (e.g. cluster workers) must load TypeScript the same way.
const registerHook = `--require ${path.join(__dirname, 'register-ts.js')}`;
if (!(process.env.NODE_OPTIONS ?? '').includes(registerHook)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${registerHook}`.trim();
}

const entry = process.argv[2];
if (!entry) {
  process.stderr.write('usage: node tools/scripts/run-ts.js <entry.ts> [args…]\n');
  process.exit(2);
}
process.argv.splice(1, 1);
require(path.resolve(entry));
