/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: jest and node load this file untransformed. */
// Jest reporter for `npm run verify`: after jest's own summary, one row per day plus every skipped check with
// its reason, so a skip is never silent. Plain CommonJS because jest loads reporters without transforming them.
const { buildRows, formatTable } = require('./progress-table.js');

class ProgressReporter {
  /** @param {import('@jest/types').Config.GlobalConfig} globalConfig */
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  /** @param {unknown} _contexts @param {import('@jest/test-result').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    /** @type {Map<string, {passed: number, failed: number, skipped: number}>} */
    const counts = new Map();
    /** @type {string[]} */
    const skipped = [];
    for (const file of results.testResults) {
      const name = file.displayName?.name ?? '';
      const c = counts.get(name) ?? { passed: 0, failed: 0, skipped: 0 };
      c.passed += file.numPassingTests;
      c.failed += file.numFailingTests + (file.testExecError ? 1 : 0);
      c.skipped += file.numPendingTests + file.numTodoTests;
      counts.set(name, c);
      for (const a of file.testResults) {
        if (a.status === 'pending' || a.status === 'todo')
          skipped.push(`  ○ [${name}] ${[...a.ancestorTitles, a.title].join(' › ')}`);
      }
    }
    // Every day is listed even for `verify:dayN`: the table doubles as "where am I in the course".
    const out = ['', formatTable(buildRows(this.globalConfig.rootDir, counts))];
    if (skipped.length > 0)
      out.push(
        '',
        `Skipped checks (${skipped.length}); each names its reason and the command that enables it:`,
        ...skipped,
      );
    process.stdout.write(`${out.join('\n')}\n\n`);
  }
}

module.exports = ProgressReporter;
