#!/usr/bin/env node
// Proves the module-boundary rules bite: each `*.boundary-fixture.ts` imports across a scope it
// must not cross, and must fail `@nx/enforce-module-boundaries`. Normal lint runs ignore them.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const RULE = '@nx/enforce-module-boundaries';
const fixtures = ['apps', 'libs'].flatMap((root) =>
  readdirSync(root).flatMap((project) => {
    const dir = join(root, project, 'src', 'boundary-fixtures');
    return existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.boundary-fixture.ts'))
          .map((name) => join(dir, name))
      : [];
  }),
);
if (fixtures.length === 0) {
  console.error('check-boundaries: no *.boundary-fixture.ts found');
  process.exit(1);
}

let failed = false;
for (const fixture of fixtures) {
  let output;
  try {
    output = execFileSync('npx', ['eslint', '--no-ignore', '--format', 'json', fixture], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (error) {
    // eslint exits 1 when it reports errors: that is the expected outcome here.
    output = error.stdout;
  }
  const messages = JSON.parse(output).flatMap((result) => result.messages);
  const refused = messages.filter((message) => message.ruleId === RULE);
  if (refused.length === 0) {
    failed = true;
    console.error(`check-boundaries: ${fixture} was NOT refused by ${RULE}`);
    continue;
  }
  console.log(`check-boundaries: ${fixture} refused: ${refused[0].message}`);
}
process.exit(failed ? 1 : 0);
