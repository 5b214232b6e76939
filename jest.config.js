// One jest run over every project (`npm test`), so the suite ends with one summary line.
// Each project can also be run alone: `npx nx test <project>`.
const { getJestProjectsAsync } = require('@nx/jest');

module.exports = async () => ({
  projects: await getJestProjectsAsync(),
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  // Integration tests start real servers; a slow shared machine must not turn that into failures.
  testTimeout: 30_000,
});
