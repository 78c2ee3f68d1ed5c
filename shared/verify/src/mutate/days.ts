// What `verify:mutate` mutates and checks for each day: the day's artefacts (the files its checks guard), the static
// checks its static.test.ts registers (those that need only Node), and the paths those checks read.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Check } from '../check';
import { findTool } from '../tools';

export interface MutationDay {
  day: number;
  folder: string;
  /** Repository-relative files to mutate. */
  targets(root: string): string[];
  checks(): Check[];
  copyPaths(): string[];
  /** With `--runtime`: the day's local-tier checks that run on the same files (tools from scripts/bootstrap-tools.sh). */
  runtimeChecks?(root: string): Check[];
  /** What this run leaves out of the day's static tier, said in the report. */
  notRun: string;
}

/** Files of `dir` (repository-relative) whose names match `pattern`, sorted. */
function filesIn(root: string, dir: string, pattern: RegExp): string[] {
  return readdirSync(path.join(root, dir))
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => `${dir}/${f}`);
}

/* eslint-disable @typescript-eslint/no-require-imports -- a day's checks load only when that day is mutated */
export const mutationDays: MutationDay[] = [
  {
    day: 1,
    folder: 'day1-containers',
    targets: () => [
      'day1-containers/compose.yaml',
      'day1-containers/api.Dockerfile',
      'day1-containers/web.Dockerfile',
      'day1-containers/nginx/default.conf.template',
      '.dockerignore',
    ],
    checks: () => require('../../../../day1-containers/verify/static-checks').staticChecks as Check[],
    copyPaths: () => require('../../../../day1-containers/verify/model').fixturePaths as string[],
    notRun: 'hadolint and the image builds (runtime tier); only line deletions in the Dockerfiles and nginx',
  },
  {
    day: 6,
    folder: 'day6-cicd',
    targets: (root) => [...filesIn(root, '.github/workflows', /\.ya?ml$/), '.github/dependabot.yml'],
    checks: () => require('../../../../day6-cicd/verify/checks').staticChecks as Check[],
    copyPaths: () => require('../../../../day6-cicd/verify/checks').fixturePaths as string[],
    runtimeChecks: (root) => {
      const day6 = require('../../../../day6-cicd/verify/checks');
      const tool = (name: 'actionlint' | 'zizmor' | 'shellcheck') => {
        const found = findTool(name, root);
        if (!found) throw new Error(`--runtime needs ${name}: run scripts/bootstrap-tools.sh`);
        return found;
      };
      return [
        day6.actionlintCheck(tool('actionlint'), tool('shellcheck')),
        day6.zizmorCheck(tool('zizmor')),
      ] as Check[];
    },
    notRun: 'actionlint and zizmor unless --runtime; shell inside run: blocks is not mutated yet',
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */
