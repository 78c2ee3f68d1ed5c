/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // One browser and one server per file, started in beforeAll: a cold Chromium plus migrations take seconds.
  testTimeout: 60_000,
};
