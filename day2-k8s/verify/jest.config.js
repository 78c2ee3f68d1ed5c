// Day 2's verify suite: `npm run verify:day2` (static tier always; cluster tier with VERIFY_CLUSTER=1).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day2',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testTimeout: 120_000,
};
