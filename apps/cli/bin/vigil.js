#!/usr/bin/env node
// The `vigil` command in the workspace (`npx vigil …`): runs the CLI from its TypeScript source.
require('../../../tools/scripts/register-ts');
const { runCli } = require('../src/cli.ts');

runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
}).then((code) => {
  process.exitCode = code;
});
