/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day1',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/*.test.ts'],
  testTimeout: 180_000,
};
