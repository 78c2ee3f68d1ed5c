/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: jest and node load this file untransformed. */
// `npm run verify` / `verify:dayN`: only the day suites, ending with the progress table.
const path = require('node:path');
const { startedDays } = require('./projects.js');

const repoRoot = path.resolve(__dirname, '../..');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: repoRoot,
  // Runtime tiers build the app and start PostgreSQL, the API and nginx in beforeAll.
  testTimeout: 180_000,
  projects: startedDays(repoRoot).map((d) => d.project),
  reporters: ['default', '<rootDir>/shared/verify/src/progress-reporter.js'],
};
