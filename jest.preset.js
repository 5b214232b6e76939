// Shared jest settings for every project: swc transpiles TypeScript (no type-check here —
// `npm run typecheck` and lint do that), and the tsconfig path aliases resolve to source.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');
const swcOptions = require('./tools/scripts/swc-options.js');

const workspaceRoot = __dirname;

function moduleNameMapperFromPaths(paths) {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(paths)) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = path.join(workspaceRoot, target);
  }
  return mapper;
}

module.exports = {
  testEnvironment: 'node',
  // Integration tests start real servers; a slow shared machine must not turn that into failures.
  testTimeout: 30_000,
  testMatch: [
    '<rootDir>/**/*.spec.ts',
    '<rootDir>/**/*.integration-spec.ts',
    '<rootDir>/**/*.e2e-spec.ts',
  ],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: moduleNameMapperFromPaths(compilerOptions.paths),
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions],
  },
};
