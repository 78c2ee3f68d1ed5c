// Day 3's verify suite: `npm run verify:day3` (static tier with the real helm; cluster tier with VERIFY_CLUSTER=1).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day3',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/*.test.ts'],
  testTimeout: 180_000,
};
