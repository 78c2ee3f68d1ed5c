/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: jest and node load this file untransformed. */
// Pure functions behind the progress reporter, kept apart so the toolkit's tests can call them directly.
const fs = require('node:fs');
const path = require('node:path');
const days = require('../days.json');

/**
 * @typedef {{ passed: number, failed: number, skipped: number }} Counts
 * @typedef {{ day: number, title: string, status: 'pass' | 'fail' | 'skipped' | 'not started' | 'no verify suite' | 'not run', counts?: Counts }} Row
 */

/**
 * Turns per-project counts into one row per day. A day with no folder is "not started", and one whose folder has
 * no verify/jest.config.js yet has "no verify suite": neither is ever a pass. A suite that exists but was not
 * selected in this invocation (verify:dayN) is "not run".
 * @param {string} repoRoot
 * @param {Map<string, Counts>} countsByProject keyed by displayName (`day1`)
 * @param {number[]} [onlyDays] rows to show; all seven when omitted
 * @returns {Row[]}
 */
function buildRows(repoRoot, countsByProject, onlyDays) {
  return days
    .filter((d) => !onlyDays || onlyDays.includes(d.day))
    .map((d) => {
      const counts = countsByProject.get(`day${d.day}`);
      if (!fs.existsSync(path.join(repoRoot, d.folder)))
        return { day: d.day, title: d.title, status: 'not started' };
      if (!fs.existsSync(path.join(repoRoot, d.folder, 'verify', 'jest.config.js')))
        return { day: d.day, title: d.title, status: 'no verify suite' };
      if (!counts) return { day: d.day, title: d.title, status: 'not run' };
      let status = /** @type {Row['status']} */ ('pass');
      if (counts.failed > 0) status = 'fail';
      else if (counts.passed === 0) status = 'skipped';
      return { day: d.day, title: d.title, status, counts };
    });
}

const MARK = {
  pass: '✓',
  fail: '✗',
  skipped: '○ all skipped',
  'not started': 'not started',
  'no verify suite': 'no verify suite yet',
  'not run': 'not run',
};

/** @param {Row[]} rows @returns {string} */
function formatTable(rows) {
  const header = ['Day', 'Title', 'Passed', 'Failed', 'Skipped', ''];
  const cells = rows.map((r) => [
    String(r.day),
    r.title,
    r.counts ? String(r.counts.passed) : '-',
    r.counts ? String(r.counts.failed) : '-',
    r.counts ? String(r.counts.skipped) : '-',
    MARK[r.status],
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => /** @type {string} */ (c[i]).length)),
  );
  const numeric = [false, false, true, true, true, false];
  const line = (/** @type {string[]} */ c) =>
    c
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    'Course progress',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map(line),
  ].join('\n');
}

module.exports = { buildRows, formatTable };
