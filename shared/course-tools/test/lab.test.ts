// Lab runner and lint (issue 18): each fault a README step can have is caught with the README line (fixtures in
// test/fixtures/lab), and the ellipsis matcher accepts volatile parts only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { outputMatches } from '../src/lab/match.ts';
import { runLab, scratchCopy } from '../src/lab/run.ts';

const FIXTURES = path.join(__dirname, 'fixtures', 'lab');

/** A throwaway git repository holding one fixture README and a present/note.txt. */
function fixtureRepo(name: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-fixture-'));
  fs.copyFileSync(path.join(FIXTURES, name, 'README.md'), path.join(root, 'README.md'));
  fs.mkdirSync(path.join(root, 'present'));
  fs.writeFileSync(path.join(root, 'present', 'note.txt'), 'hello from the fixture\n');
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  return root;
}

function run(name: string, update = false) {
  const root = fixtureRepo(name);
  const result = runLab({ root, day: 'README.md', tier: 'offline', update, log: () => {} });
  return { root, result };
}

describe('lab lint and runner fixtures', () => {
  test('a path that does not exist from the step directory is caught with the README line', () => {
    const { result } = run('missing-path');
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      'README.md:18: step 2 uses present/note.txt, which does not exist from present (present/present/note.txt)',
    );
    expect(result.lint).toHaveLength(1);
  });

  test('a stale expected output stops the run with the README line, the command, expected and found', () => {
    const { result } = run('stale-output');
    expect(result.ok).toBe(false);
    expect(result.failure).toContain('where:    README.md:11');
    expect(result.failure).toContain('expected block at README.md:17');
    expect(result.failure).toContain('command:  cat present/note.txt');
    expect(result.failure).toContain('expected: this line is stale');
    expect(result.failure).toContain('found:    hello from the fixture');
  });

  test('--update rewrites the stale expected output with what the step printed', () => {
    const { root, result } = run('stale-output', true);
    expect(result.ok).toBe(true);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain('```text\nhello from the fixture\n```');
    expect(run('stale-output').result.ok).toBe(false);
  });

  test('a tool missing from the Prerequisites section is caught with the README line', () => {
    const { result } = run('missing-tool');
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      'README.md:11: step 1 calls `kubectl`, which the Prerequisites section does not list',
    );
  });
});

describe('drills', () => {
  test("a drill's quoted message matches the check's output with runs of spaces as one", () => {
    const { result } = run('drill-aligned-message');
    expect(result.failure).toBeUndefined();
    expect(result.ran).toBe(1);
  });

  test('a fixed snippet that is not in the file is caught by the lint, with the README line', () => {
    const { result } = run('drill-missing-snippet');
    expect(result.ok).toBe(false);
    expect(result.failure).toContain(
      'README.md:19: drill note: the fixed snippet is not in present/note.txt',
    );
  });
});

describe('expected-output matcher', () => {
  test('an ellipsis inside a line matches the volatile part only', () => {
    expect(outputMatches('taskboard-api:dev ...MB', 'taskboard-api:dev   212MB')).toBe(true);
    expect(outputMatches('taskboard-api:dev ...MB', 'taskboard-web:dev   212MB')).toBe(false);
  });

  test('a line of only an ellipsis matches any number of lines, and nothing else is optional', () => {
    expect(outputMatches('first\n...\nlast', 'first\na\nb\nlast')).toBe(true);
    expect(outputMatches('first\n...\nlast', 'first\nlast')).toBe(true);
    expect(outputMatches('first\nlast', 'first\nextra\nlast')).toBe(false);
    expect(
      outputMatches('Tests: 3 skipped, 31 passed, 34 total', 'Tests: 3 skipped, 30 passed, 33 total'),
    ).toBe(false);
  });
});

describe('expected-output matcher: jest durations', () => {
  test("a jest duration that ends a line is volatile, the check's title is not", () => {
    expect(
      outputMatches('✓ api Deployment has a readinessProbe', '✓ api Deployment has a readinessProbe (12 ms)'),
    ).toBe(true);
    expect(
      outputMatches(
        'PASS day1 day1-containers/verify/runtime.test.ts',
        'PASS day1 day1-containers/verify/runtime.test.ts (6.247 s)',
      ),
    ).toBe(true);
    expect(
      outputMatches('✓ api Deployment has a readinessProbe', '✓ web Deployment has a readinessProbe (12 ms)'),
    ).toBe(false);
    expect(outputMatches('took (12 ms) to start', 'took (13 ms) to start')).toBe(false);
  });
});

describe('scratch copy', () => {
  test('a workspace link in node_modules resolves inside the scratch copy, other packages to the checkout', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-fixture-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ workspaces: ['pkg'] }));
    fs.mkdirSync(path.join(root, 'pkg'));
    fs.writeFileSync(path.join(root, 'pkg', 'index.js'), 'module.exports = __dirname;\n');
    fs.mkdirSync(path.join(root, 'node_modules', '@course'), { recursive: true });
    fs.symlinkSync('../../pkg', path.join(root, 'node_modules', '@course', 'pkg'));
    fs.mkdirSync(path.join(root, 'node_modules', 'dep'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', '-A'], { cwd: root });
    const scratch = scratchCopy(root);
    try {
      expect(fs.realpathSync(path.join(scratch, 'node_modules', '@course', 'pkg'))).toBe(
        fs.realpathSync(path.join(scratch, 'pkg')),
      );
      expect(fs.realpathSync(path.join(scratch, 'node_modules', 'dep'))).toBe(
        fs.realpathSync(path.join(root, 'node_modules', 'dep')),
      );
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
