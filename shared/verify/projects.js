/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: jest and node load this file untransformed. */
// Which day suites exist: shared by the root jest.config.js (npm test) and jest.verify.config.js (npm run verify).
// A day joins automatically once its folder has verify/jest.config.js, so later days edit no root file.
const fs = require('node:fs');
const path = require('node:path');
const days = require('./days.json');

/** @param {string} repoRoot @returns {{ day: number, folder: string, title: string, project: string }[]} */
function startedDays(repoRoot) {
  return days
    .filter((d) => fs.existsSync(path.join(repoRoot, d.folder, 'verify', 'jest.config.js')))
    .map((d) => ({ ...d, project: `<rootDir>/${d.folder}/verify` }));
}

module.exports = { days, startedDays };
