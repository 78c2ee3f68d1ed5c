// Size budgets only: deterministic byte counts, never timings. The timed benchmarks run through `npm run bench`.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'budgets',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60_000,
};
