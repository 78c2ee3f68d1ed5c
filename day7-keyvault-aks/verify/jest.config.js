// Day 7's verify suite: `npm run verify:day7`. Static checks (day 5's Terraform rules on day 7's root, the chart in
// keyvault mode through day 2's validators, cross-references between Terraform, chart and app); a local runtime
// rotation check against a real PostgreSQL; the provider tier (terraform init, validate and test against azurerm's
// and random's real schemas, offline: ADR 0012); the cloud tier (VERIFY_AZURE=1) runs only where Azure is reachable.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'day7',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testMatch: ['<rootDir>/*.test.ts'],
  testTimeout: 180_000,
};
