// Lets Node require TypeScript straight from source, for development: swc compiles each file on load with decorator metadata (which NestJS's dependency injection
// needs and esbuild-based runners do not emit), and `@vigil/*` imports resolve through the
// tsconfig path aliases. Production runs the built output instead. Used by run-ts.js and bin/ shims.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const workspaceRoot = path.join(__dirname, '..', '..');
const { compilerOptions } = require(path.join(workspaceRoot, 'tsconfig.base.json'));
const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    alias,
    path.join(workspaceRoot, target),
  ]),
);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithAliases(request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};

const swcOptions = require('./swc-options.js');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    ...swcOptions,
    filename,
  });
  module._compile(code, filename);
};
process.setSourceMapsEnabled(true);
