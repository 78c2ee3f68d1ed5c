#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: node loads this file untransformed. */
// `npm run verify:mutate`: loads the TypeScript engine (shared/verify/src/mutate) through swc, the compiler jest uses
// here, and runs it in this one process. Usage: node shared/verify/cli/mutate.js [--day N] [--sample K] [--seed S]
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

require('../src/mutate/cli.ts')
  .main(process.argv.slice(2))
  .then(
    (status) => process.exit(status),
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
