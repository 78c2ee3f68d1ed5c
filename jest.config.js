// Day suites (dayN/verify) join automatically once their jest.config.js exists; see shared/verify/projects.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads this CommonJS config untransformed
const { startedDays } = require('./shared/verify/projects.js');

// `npm test` runs every workspace's jest project in one run, so CI prints a single summary.
/** @type {import('jest').Config} */
module.exports = {
  // Servers start in beforeAll hooks; a slow start must fail with the server's own output, not jest's 5 s default.
  // This value applies to every project in `npm test` (jest ignores the projects' own testTimeout here). At a load
  // average of 15, `promtool test rules` on day 4's rule tests took 64 s wall clock (26 s CPU): leave room.
  testTimeout: 180_000,
  projects: [
    '<rootDir>/shared/testkit',
    '<rootDir>/shared/app/api',
    '<rootDir>/shared/app/web',
    '<rootDir>/shared/app/e2e',
    '<rootDir>/shared/course-tools',
    '<rootDir>/shared/bench',
    '<rootDir>/shared/verify',
    ...startedDays(__dirname).map((day) => day.project),
  ],
};
