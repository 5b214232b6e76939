#!/usr/bin/env node
// The `vigil` command in the workspace (`npx vigil …`): runs the CLI from its TypeScript source.
// The installable package is built by `npx nx build cli` (dist/apps/cli).
require('../../../tools/scripts/register-ts');
require('../src/main.ts');
