// Day 6's verify suite: `npm run verify:day6` (static tier: lint, schema, policy, cross-references, parity).
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day6',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/*.test.ts'],
  testTimeout: 180_000,
};
