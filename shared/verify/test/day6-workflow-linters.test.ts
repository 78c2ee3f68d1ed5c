// Proves each actionlint and zizmor rule day 6 relies on fails the broken workflow it guards against: one
// realistic break per rule, in a temp copy of the repository, with the message in verify's where / expected /
// found / fix / docs form, naming the tool's rule and linking its documentation.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertCheck,
  copyToTemp,
  localRuntimeTier,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
  type Check,
} from '../src';
import { actionlintCheck, fixturePaths, zizmorCheck } from '../../../day6-cicd/verify/checks';

const CI = '.github/workflows/ci.yml';
const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';

let root: string;
beforeEach(() => {
  root = copyToTemp(repoRoot, fixturePaths);
});
afterEach(() => removeTemp(root));

async function failsWith(check: Check, ...patterns: RegExp[]): Promise<void> {
  const message = await assertCheck(check, root).then(
    () => `"${check.title}" passed on the broken copy`,
    (error: Error) => error.message,
  );
  for (const p of patterns) expect(message).toMatch(p);
}

/** Adds a step after ci.yml's `npm run typecheck` step of the lint job. */
const addLintStep = (step: string) =>
  mutateFile(root, CI, (s) =>
    replaceOrThrow(s, '      - run: npm run typecheck\n', `      - run: npm run typecheck\n${step}`),
  );

localRuntimeTier('actionlint rules day 6 relies on', ['actionlint', 'shellcheck'], repoRoot, (tools) => {
  const check = () => actionlintCheck(tools.actionlint, tools.shellcheck);
  const docs = 'https://github.com/rhysd/actionlint/blob/v1.7.12/docs/checks.md';

  it('the unbroken copy passes (so each failure below is its mutation)', () => assertCheck(check(), root));

  it('[syntax-check]: a misspelled job key (timeout_minutes)', async () => {
    mutateFile(root, CI, (s) => replaceOrThrow(s, '    timeout-minutes: 15\n', '    timeout_minutes: 15\n'));
    await failsWith(
      check(),
      /where: {4}\.github\/workflows\/ci\.yml \(line \d+, column \d+\)/,
      /found: {4}actionlint \[syntax-check\]: unexpected key "timeout_minutes"/,
      new RegExp(`docs: {5}${docs}#unexpected-keys`),
    );
  });

  it('[workflow-call]: an input the reusable workflow does not define (dya instead of its required day)', async () => {
    // actionlint checks calls of local reusable workflows only inside a project, which it finds by its .git
    // (a clone or a worktree); the temp copy has none until this stands in for it.
    mkdirSync(path.join(root, '.git'));
    mutateFile(root, CI, (s) =>
      replaceOrThrow(s, '      day: ${{ matrix.day }}', '      dya: ${{ matrix.day }}'),
    );
    await failsWith(
      check(),
      /ci\.yml \(line \d+, column \d+\)/,
      /\[workflow-call\]: input "day" is required by "\.\/\.github\/workflows\/verify-day\.yml"/,
      /#reusable-workflows/,
    );
  });

  it('[expression]: a property that does not exist (matrix.dy)', async () => {
    mutateFile(root, CI, (s) =>
      replaceOrThrow(s, '      day: ${{ matrix.day }}', '      day: ${{ matrix.dy }}'),
    );
    await failsWith(
      check(),
      /ci\.yml \(line \d+, column \d+\)/,
      /\[expression\]: property "dy" is not defined/,
    );
  });

  it('[expression]: untrusted event data pasted into run: (github.event.issue.title)', async () => {
    addLintStep('      - run: echo "${{ github.event.issue.title }}"\n');
    await failsWith(
      check(),
      /\[expression\]: "github\.event\.issue\.title" is potentially untrusted/,
      /#script-injection-by-potentially-untrusted-inputs/,
    );
  });

  it('[job-needs]: needs: on a job that does not exist', async () => {
    mutateFile(root, '.github/workflows/deploy.yml', (s) =>
      replaceOrThrow(s, '    needs: dev\n', '    needs: development\n'),
    );
    await failsWith(check(), /deploy\.yml \(line \d+, column \d+\)/, /\[job-needs\].*"development"/);
  });

  it('[runner-label]: a retired runner image (ubuntu-20.04)', async () => {
    mutateFile(root, CI, (s) =>
      replaceOrThrow(s, /( {2}lint:\n[\s\S]*?)runs-on: ubuntu-24\.04/, '$1runs-on: ubuntu-20.04'),
    );
    await failsWith(check(), /\[runner-label\]: label "ubuntu-20\.04" is unknown/, /#runner-labels/);
  });

  it('[shellcheck]: an unquoted variable in a run: block (SC2086), linked to its shellcheck wiki page', async () => {
    mutateFile(root, '.github/workflows/kind.yml', (s) =>
      replaceOrThrow(s, 'run: kind delete cluster --name taskboard || true', 'run: rm -rf $RUNNER_TEMP/kind'),
    );
    await failsWith(
      check(),
      /kind\.yml \(line \d+, column \d+\)/,
      /\[shellcheck\]: .*SC2086/,
      /docs: {5}https:\/\/www\.shellcheck\.net\/wiki\/SC2086/,
    );
  });
});

localRuntimeTier('zizmor audits day 6 relies on', ['zizmor'], repoRoot, (tools) => {
  const check = () => zizmorCheck(tools.zizmor);

  it('the unbroken copy passes (so each failure below is its mutation)', () => assertCheck(check(), root));

  it('template-injection: ${{ github.event.issue.title }} pasted into run:', async () => {
    addLintStep('      - run: echo "${{ github.event.issue.title }}"\n');
    await failsWith(
      check(),
      /where: {4}\.github\/workflows\/ci\.yml \(line \d+, jobs\.lint\.steps\.\d+\.run\)/,
      /found: {4}zizmor \[template-injection\]/,
      /docs: {5}https:\/\/docs\.zizmor\.sh\/audits\/#template-injection/,
    );
  });

  it('unpinned-uses: actions/checkout@v4 (a tag, not a commit SHA)', async () => {
    mutateFile(root, CI, (s) => replaceOrThrow(s, CHECKOUT, 'actions/checkout@v4'));
    await failsWith(check(), /ci\.yml \(line \d+/, /\[unpinned-uses\]/, /#unpinned-uses/);
  });

  it('excessive-permissions: permissions: write-all at the top, and a job that inherits it', async () => {
    mutateFile(root, CI, (s) =>
      replaceOrThrow(
        replaceOrThrow(s, /^permissions: \{\}$/m, 'permissions: write-all'),
        '    timeout-minutes: 15\n    permissions:\n      contents: read\n    steps:',
        '    timeout-minutes: 15\n    steps:',
      ),
    );
    await failsWith(check(), /ci\.yml \(line \d+, permissions\)/, /\[excessive-permissions\].*write-all/);
  });

  it('excessive-permissions: no permissions: anywhere (the repository default)', async () => {
    mutateFile(root, CI, (s) =>
      replaceOrThrow(
        replaceOrThrow(s, /^permissions: \{\}\n/m, ''),
        '    timeout-minutes: 15\n    permissions:\n      contents: read\n    steps:',
        '    timeout-minutes: 15\n    steps:',
      ),
    );
    await failsWith(check(), /\[excessive-permissions\].*default permissions used/);
  });

  it('artipacked: a checkout without persist-credentials: false', async () => {
    mutateFile(root, CI, (s) =>
      replaceOrThrow(
        s,
        `${CHECKOUT}\n        with:\n          persist-credentials: false\n`,
        `${CHECKOUT}\n`,
      ),
    );
    await failsWith(
      check(),
      /ci\.yml \(line \d+/,
      /\[artipacked\].*persist-credentials: false/,
      /#artipacked/,
    );
  });

  it('dangerous-triggers: a pull_request_target workflow that checks out the pull request head', async () => {
    writeFileSync(
      path.join(root, '.github/workflows/preview.yml'),
      [
        'name: preview',
        'on: pull_request_target',
        'permissions: {}',
        'concurrency: { group: preview, cancel-in-progress: true }',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-24.04',
        '    timeout-minutes: 5',
        '    permissions: { contents: read }',
        '    steps:',
        `      - uses: ${CHECKOUT}`,
        '        with:',
        '          ref: ${{ github.event.pull_request.head.sha }}',
        '          persist-credentials: false',
        '',
      ].join('\n'),
    );
    await failsWith(check(), /preview\.yml \(line 2/, /\[dangerous-triggers\]/, /#dangerous-triggers/);
  });

  it("an accepted finding's entry removed from .github/zizmor.yml fails again (the config is what accepts it)", async () => {
    mutateFile(root, '.github/zizmor.yml', (s) =>
      replaceOrThrow(s, / {2}dangerous-triggers:\n {4}ignore:\n {6}- deploy\.yml\n/, ''),
    );
    await failsWith(check(), /deploy\.yml \(line 7/, /\[dangerous-triggers\]/);
  });
});
