/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // PGlite's CommonJS build loads Node built-ins with import(), which jest's VM refuses without
    // --experimental-vm-modules (electric-sql/pglite#224). Compiling it to CommonJS turns those into require().
    '/@electric-sql/pglite/dist/.+\\.cjs$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60_000,
};
