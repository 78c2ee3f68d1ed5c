// Day 4's verify suite: `npm run verify:day4` (static and local-runtime tiers; cluster tier with VERIFY_CLUSTER=1).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day4',
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|mts)$': ['@swc/jest'] },
  testMatch: ['<rootDir>/*.test.ts'],
  testTimeout: 120_000,
};
