// The toolkit's own tests, including the mutation fixtures that prove each day's checks can fail.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'verify-toolkit',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120_000,
};
