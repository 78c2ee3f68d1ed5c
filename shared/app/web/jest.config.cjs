// CommonJS on purpose: this workspace is "type": "module", and jest loads a .cjs config without ESM flags.
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true },
    transform: { react: { runtime: 'automatic' } },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'web',
  testEnvironment: '<rootDir>/test/support/jsdom-with-fetch.cjs',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  testMatch: ['<rootDir>/test/**/*.test.{ts,tsx}'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', swcOptions],
    '^.+\\.m?js$': '<rootDir>/test/support/esm-package-transform.cjs',
  },
  // Only the ESM-only packages are compiled; everything else in node_modules is CommonJS already.
  transformIgnorePatterns: ['/node_modules/(?!(react-router|@remix-run/route-pattern|cookie-es)/)'],
  moduleNameMapper: { '\\.css$': '<rootDir>/test/support/style-stub.cjs' },
};
