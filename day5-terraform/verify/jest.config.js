// Day 5's verify suite: `npm run verify:day5`. Static checks always; terraform init/validate/test for real on the
// built-ins-only naming module and, with the real azurerm schema served by terraform-schema-provider, on every
// other root and module (provider tier); the cloud tier (VERIFY_AZURE=1) runs in GitHub Actions.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day5',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/*.test.ts'],
  testTimeout: 180_000,
};
