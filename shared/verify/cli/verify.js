#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: jest and node load this file untransformed. */
// `npm run verify` (every started day) and `npm run verify:dayN` (one day). Extra arguments go to jest.
// Usage: node shared/verify/cli/verify.js [day-number] [jest args...]
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { days, startedDays } = require('../projects.js');

const repoRoot = path.resolve(__dirname, '../../..');
const [first, ...rest] = process.argv.slice(2);
const dayNumber = first !== undefined && /^\d+$/.test(first) ? Number(first) : undefined;
const jestArgs = dayNumber === undefined && first !== undefined ? [first, ...rest] : rest;

const selection = [];
if (dayNumber !== undefined) {
  const day = days.find((d) => d.day === dayNumber);
  if (!day) {
    console.error(`verify: there is no day ${dayNumber}; days are ${days.map((d) => d.day).join(', ')}.`);
    process.exit(2);
  }
  if (!startedDays(repoRoot).some((d) => d.day === dayNumber)) {
    console.error(
      `verify: day ${dayNumber} (${day.title}) is not started: ${day.folder}/verify/jest.config.js does not exist yet.`,
    );
    process.exit(1);
  }
  selection.push('--selectProjects', `day${dayNumber}`);
}

const jest = require.resolve('jest/bin/jest', { paths: [repoRoot] });
const config = path.join(__dirname, '..', 'jest.verify.config.js');
const result = spawnSync(process.execPath, [jest, '-c', config, '--verbose', ...selection, ...jestArgs], {
  cwd: repoRoot,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
