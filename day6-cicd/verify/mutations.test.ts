// Proves each day 6 check guards something: every broken variant of the acceptance list, made in a temp copy of
// the repository, must make its check fail with a message naming the file, the place and the fix.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertCheck,
  copyToTemp,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
  type Check,
} from '@taskboard/verify';
import {
  actionlintCheck,
  pinTableCheck,
  aptParityCheck,
  schemaCheck,
  eventInRunCheck,
  fixturePaths,
  idTokenCheck,
  imageNamesCheck,
  npmScriptsCheck,
  oidcSubjectsCheck,
  pinnedActionsCheck,
  pullRequestTargetCheck,
  staticChecks,
  timeoutCheck,
  topPermissionsCheck,
  verifyMatrixCheck,
} from './checks';

const CI = '.github/workflows/ci.yml';
let root: string;
beforeEach(() => {
  root = copyToTemp(repoRoot, fixturePaths);
});
afterEach(() => removeTemp(root));

const failsWith = (check: Check, ...patterns: RegExp[]) =>
  assertCheck(check, root).then(
    () => {
      throw new Error(`"${check.title}" passed on the broken copy`);
    },
    (error: Error) => {
      for (const p of patterns) expect(error.message).toMatch(p);
    },
  );

it('the unbroken copy passes every check (so each failure below is caused by its mutation)', async () => {
  for (const check of staticChecks) await assertCheck(check, root);
});

it('actions/checkout@v4 (a tag, not a SHA) fails the pinning check', async () => {
  mutateFile(root, CI, (s) =>
    replaceOrThrow(
      s,
      'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      'actions/checkout@v4',
    ),
  );
  await failsWith(
    pinnedActionsCheck,
    /where: {4}\.github\/workflows\/ci\.yml \(line \d+\)/,
    /found: {4}uses: actions\/checkout@v4/,
    /fix: {6}replace the tag with the commit SHA/,
  );
});

it('permissions: write-all at the top fails the permissions check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, /^permissions: \{\}$/m, 'permissions: write-all'));
  await failsWith(
    topPermissionsCheck,
    /ci\.yml \(top-level permissions\)/,
    /found: {4}permissions: "write-all"/,
    /expected: permissions: \{\}/,
  );
});

it('id-token: write on a job without an Azure login fails the id-token check', async () => {
  mutateFile(root, CI, (s) =>
    replaceOrThrow(s, /( {2}lint:\n[\s\S]*?permissions:\n {6}contents: read\n)/, '$1      id-token: write\n'),
  );
  await failsWith(
    idTokenCheck,
    /ci\.yml \(job "lint"\)/,
    /found: {4}id-token: write on a job that never logs in to Azure/,
    /remove id-token: write from job "lint"/,
  );
});

it('a verify matrix with day 5 missing fails the matrix check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, 'day: [1, 2, 3, 4, 5, 6, 7]', 'day: [1, 2, 3, 4, 6, 7]'));
  await failsWith(
    verifyMatrixCheck,
    /expected: day 5 in the matrix \(day5-terraform\/ exists\)/,
    /day 5 is missing, so npm run verify:day5 never runs in CI/,
    /fix: {6}add 5 to jobs\.verify\.strategy\.matrix\.day/,
  );
});

it('a typo in an npm script name fails the npm scripts check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, 'run: npm run typecheck', 'run: npm run typecheckk'));
  await failsWith(npmScriptsCheck, /ci\.yml \(job "lint"\)/, /found: {4}npm run typecheckk: no such script/);
});

it('pull_request_target with a checkout of the PR head sha fails the pwn-request check', async () => {
  writeFileSync(
    path.join(root, '.github/workflows/preview.yml'),
    [
      'name: preview',
      'on: pull_request_target',
      'permissions: {}',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    timeout-minutes: 5',
      '    permissions: { contents: read }',
      '    steps:',
      '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      '        with:',
      '          ref: ${{ github.event.pull_request.head.sha }}',
      '          persist-credentials: false',
      '',
    ].join('\n'),
  );
  await failsWith(
    pullRequestTargetCheck,
    /preview\.yml \(job "build", actions\/checkout\)/,
    /pwn request/,
    /use on: pull_request/,
  );
});

it('${{ github.event.issue.title }} inside run: fails the injection check', async () => {
  mutateFile(root, CI, (s) =>
    replaceOrThrow(
      s,
      '      - run: npm run typecheck\n',
      '      - run: npm run typecheck\n      - run: echo "${{ github.event.issue.title }}"\n',
    ),
  );
  await failsWith(
    eventInRunCheck,
    /ci\.yml \(job "lint", step \d+\)/,
    /found: {4}run: contains \$\{\{ github\.event\.issue\.title \}\}/,
    /fix: {6}set env:/,
  );
});

it('a job without timeout-minutes fails the timeout check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, /( {2}lint:\n[\s\S]*?) {4}timeout-minutes: 15\n/, '$1'));
  await failsWith(timeoutCheck, /ci\.yml \(job "lint"\)/, /fix: {6}add timeout-minutes to job "lint"/);
});

it('a release image the chart does not deploy fails the image names check', async () => {
  mutateFile(root, '.github/workflows/release.yml', (s) =>
    replaceOrThrow(s, '- image: taskboard-web', '- image: taskboard-frontend'),
  );
  await failsWith(imageNamesCheck, /expected: taskboard-web \(day3-helm\/charts\/taskboard\/values\.yaml\)/);
});

it('an environment whose OIDC subject the README does not document fails the subjects check', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, 'name: prod', 'name: production'),
  );
  await failsWith(oidcSubjectsCheck, /repo:<owner>\/<repo>:environment:production/, /AADSTS700213/);
});

it('a Debian package .ci/run installs but the test job does not fails the apt parity check', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, 'git postgresql nginx chromium', 'git postgresql nginx'));
  await failsWith(aptParityCheck, /ci\.yml \(job "test"\)/, /found: {4}missing: chromium/);
});

it('a misspelled job key fails the schema check, naming the key', async () => {
  mutateFile(root, CI, (s) => replaceOrThrow(s, '    timeout-minutes: 15\n', '    timeout_minutes: 15\n'));
  await failsWith(
    schemaCheck,
    /where: {4}\.github\/workflows\/ci\.yml/,
    /Additional property 'timeout_minutes' is not allowed/,
  );
});

it('a needs: on a job that does not exist fails actionlint, with its line', async () => {
  mutateFile(root, '.github/workflows/deploy.yml', (s) =>
    replaceOrThrow(s, '    needs: dev\n', '    needs: development\n'),
  );
  await failsWith(actionlintCheck, /deploy\.yml \(line \d+, column \d+\)/, /\[job-needs\].*"development"/);
});

it('the runner-label filter drops only current GitHub labels: a typo such as ubuntu-2404 still fails', async () => {
  mutateFile(root, CI, (s) =>
    replaceOrThrow(s, /( {2}lint:\n[\s\S]*?)runs-on: ubuntu-24\.04/, '$1runs-on: ubuntu-2404'),
  );
  await failsWith(actionlintCheck, /\[runner-label\] label "ubuntu-2404" is unknown/);
});

it('a second, different commit for an action already in the pin table fails the table check', async () => {
  mutateFile(root, '.github/workflows/kind.yml', (s) =>
    replaceOrThrow(
      s,
      'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      'actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1',
    ),
  );
  await failsWith(
    pinTableCheck,
    /kind\.yml \(line \d+\)/,
    /expected: actions\/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7\.0\.1 \(the table's pin\)/,
  );
});
