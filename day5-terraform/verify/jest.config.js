// Day 5's verify suite: `npm run verify:day5`. Static checks always; the built-ins-only naming module runs
// terraform init/validate/test for real; the provider tier (VERIFY_TERRAFORM_PROVIDERS=1) and the cloud tier
// (VERIFY_AZURE=1) run in GitHub Actions.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day5',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/*.test.ts'],
  testTimeout: 180_000,
};
