// Verify on bad input: each day suite must answer a corrupted file with a located failure (file, line where known,
// what is wrong): never a crash, never a stack trace, never a pass. Every corrupted file is generated here, in a
// temp copy of the repository; the 10 MB and binary files are never committed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertCheck,
  BadInputError,
  CheckFailedError,
  copyToTemp,
  defineCheck,
  localRuntimeTier,
  readDockerfile,
  readJson,
  readWorkflow,
  readYaml,
  removeTemp,
  repoRoot,
  type Check,
} from '../src';
import { staticChecks as day1Checks } from '../../../day1-containers/verify/static-checks';
import {
  API_DOCKERFILE,
  COMPOSE,
  DOCKERIGNORE,
  NGINX_TEMPLATE,
  fixturePaths as day1Paths,
} from '../../../day1-containers/verify/model';
import { manifestChecks, repositoryChecks } from '../../../day2-k8s/verify/checks';
import { staticChecks as day5Checks, fixturePaths as day5Paths } from '../../../day5-terraform/verify/checks';
import { staticChecks as day6Checks, fixturePaths as day6Paths } from '../../../day6-cicd/verify/checks';

const TEN_MB = 10 * 1024 * 1024;

/** Deterministic bytes with NULs and invalid UTF-8 in them, like a binary that landed where a config belongs. */
const binaryJunk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));

interface Corruption {
  name: string;
  /** Writes the corrupted content, given the original text. */
  make: (original: string) => string | Buffer;
  /** What the failure must say is wrong. */
  says: RegExp;
  /** The failure must name a line (the corruption has one); otherwise the file alone locates it. */
  hasLine?: boolean;
}

const corruptions = {
  malformedYaml: {
    name: 'malformed YAML',
    make: () => 'services:\n  api:\n    image: "unterminated\n  web: {\n',
    says: /not valid YAML/,
    hasLine: true,
  },
  empty: { name: 'an empty file', make: () => '', says: /is empty/ },
  whitespaceOnly: { name: 'a whitespace-only file', make: () => '\n  \n\t\n', says: /is empty/ },
  binary: { name: 'binary junk', make: () => binaryJunk, says: /is binary, not UTF-8 text/, hasLine: true },
  // The original content stays valid; only its size is wrong, so nothing but the size guard can catch it.
  tenMegabytes: {
    name: 'a 10 MB file',
    make: (original: string) => `${original}\n# ${'x'.repeat(TEN_MB)}\n`,
    says: /is 10\.0 MB/,
  },
  notAMapping: {
    name: 'YAML that is a list, not a mapping',
    make: () => '- services\n- api\n',
    says: /must be a YAML mapping .* found a sequence/,
    hasLine: true,
  },
  noFrom: {
    name: 'a Dockerfile with no FROM',
    make: (original: string) => original.replace(/^FROM .*$/gm, ''),
    says: /has no FROM instruction/,
  },
} satisfies Record<string, Corruption>;

interface Outcome {
  failures: { title: string; message: string }[];
  crashes: string[];
}

/** Runs every check; a CheckFailedError is a failure, anything else thrown is a crash. */
async function runAll(checks: Check[], root: string): Promise<Outcome> {
  const outcome: Outcome = { failures: [], crashes: [] };
  for (const check of checks) {
    try {
      await assertCheck(check, root);
    } catch (error) {
      if (error instanceof CheckFailedError)
        outcome.failures.push({ title: check.title, message: error.message });
      else outcome.crashes.push(`${check.title}: ${(error as Error)?.stack ?? String(error)}`);
    }
  }
  return outcome;
}

const stackFrame = /^\s+at .+:\d+:\d+\)?$/m;

/** The assertions every corrupted input must satisfy: no crash, a failure, located, saying what is wrong. */
function expectLocatedFailure(outcome: Outcome, file: string, corruption: Corruption): void {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const withLine = new RegExp(`${escaped}(?: \\(line |:)\\d+`);
  const located = outcome.failures.filter((f) => f.message.includes(file) && corruption.says.test(f.message));
  const problems = [
    ...outcome.crashes.map((crash) => `crashed instead of failing: ${crash}`),
    ...(outcome.failures.length === 0 ? ['every check passed on the corrupted input'] : []),
    ...outcome.failures.filter((f) => stackFrame.test(f.message)).map((f) => `stack trace in: ${f.message}`),
    ...(located.length === 0 ? [`no failure names ${file} and says ${corruption.says}`] : []),
    ...(corruption.hasLine && located.length > 0 && !located.some((f) => withLine.test(f.message))
      ? [`no failure names the line in ${file}`]
      : []),
  ];
  const seen = outcome.failures.map((f) => f.message.split('\n').slice(0, 4).join(' | '));
  expect(problems.length === 0 ? [] : [...problems, '--- failures seen:', ...seen]).toEqual([]);
}

function corrupt(root: string, file: string, corruption: Corruption): void {
  const full = path.join(root, file);
  writeFileSync(full, corruption.make(readFileSync(full, 'utf8')));
}

/** [file, corruption name, corruption], so each test title reads "<file>: <what is wrong>". */
const named = (cases: [string, Corruption][]) =>
  cases.map(([file, corruption]): [string, string, Corruption] => [file, corruption.name, corruption]);

const temps: string[] = [];
afterAll(() => temps.forEach(removeTemp));

function fixture(paths: string[]): string {
  const root = copyToTemp(repoRoot, paths);
  temps.push(root);
  return root;
}

describe('verify:day1 answers corrupted inputs with a located failure', () => {
  const cases: [string, Corruption][] = [
    [COMPOSE, corruptions.malformedYaml],
    [COMPOSE, corruptions.empty],
    [COMPOSE, corruptions.binary],
    [COMPOSE, corruptions.tenMegabytes],
    [COMPOSE, corruptions.notAMapping],
    [API_DOCKERFILE, corruptions.noFrom],
    [API_DOCKERFILE, corruptions.whitespaceOnly],
    [API_DOCKERFILE, corruptions.binary],
    [API_DOCKERFILE, corruptions.tenMegabytes],
    [NGINX_TEMPLATE, corruptions.empty],
    [NGINX_TEMPLATE, corruptions.binary],
    [NGINX_TEMPLATE, corruptions.tenMegabytes],
    [DOCKERIGNORE, corruptions.binary],
  ];

  it.each(named(cases))('%s: %s', async (file, _name, corruption) => {
    const root = fixture(day1Paths);
    corrupt(root, file, corruption);

    expectLocatedFailure(await runAll(day1Checks, root), file, corruption);
  });
});

localRuntimeTier(
  'verify:day2 answers corrupted inputs with a located failure',
  ['kubectl'],
  repoRoot,
  (tools) => {
    const checks = () => [...manifestChecks(() => tools.kubectl, 'day2-k8s/base'), ...repositoryChecks()];
    const manifest = 'day2-k8s/base/api.yaml';
    const kindConfig = 'day2-k8s/kind-cluster.yaml';
    // kubectl kustomize names the file and line of a YAML error itself ("yaml: line 3 ... in File: api.yaml").
    const kustomizeYaml = { ...corruptions.malformedYaml, says: /MalformedYAMLError|not valid YAML/ };
    const cases: [string, Corruption][] = [
      [manifest, kustomizeYaml],
      [manifest, corruptions.empty],
      [manifest, corruptions.binary],
      [manifest, corruptions.tenMegabytes],
      [kindConfig, corruptions.malformedYaml],
      [kindConfig, corruptions.empty],
      [kindConfig, corruptions.binary],
      [kindConfig, corruptions.tenMegabytes],
    ];

    it.each(named(cases))('%s: %s', async (file, _name, corruption) => {
      const root = fixture([
        'day2-k8s',
        'package.json',
        'shared/app/api/src',
        'shared/app/api/package.json',
        'shared/app/web/package.json',
      ]);
      corrupt(root, file, corruption);

      const outcome = await runAll(checks(), root);
      if (corruption === kustomizeYaml) {
        // Located by kubectl: file name and "line N" in its own words.
        expect(outcome.crashes).toEqual([]);
        expect(outcome.failures.some((f) => /api\.yaml/.test(f.message) && /line \d+/.test(f.message))).toBe(
          true,
        );
        return;
      }
      expectLocatedFailure(outcome, file, corruption);
    });
  },
);

describe('verify:day5 answers corrupted Terraform with a located failure', () => {
  const file = 'day5-terraform/envs/dev/main.tf';
  const unparseable: Corruption = {
    name: 'a Terraform file that does not parse',
    make: (original) => `${original}\nresource "azurerm_resource_group" "broken" {\n  name = \n`,
    says: /HCL/,
  };
  const cases: [string, Corruption][] = [
    [file, unparseable],
    [file, { ...corruptions.binary, says: /binary/, hasLine: false }],
    [file, { ...corruptions.tenMegabytes, says: /10\.0 MB/ }],
  ];

  it.each(named(cases))('%s: %s', async (target, _name, corruption) => {
    const root = fixture(day5Paths);
    const originalLines = readFileSync(path.join(root, target), 'utf8').split('\n').length;
    corrupt(root, target, corruption);

    const outcome = await runAll(day5Checks, root);

    expectLocatedFailure(outcome, target, corruption);
    if (corruption === unparseable) {
      // hcl2json points at the broken block appended after the original lines, not at line 1.
      const lines = outcome.failures.flatMap((f) =>
        [...f.message.matchAll(/main\.tf(?::| \(line )(\d+)/g)].map((m) => Number(m[1])),
      );
      expect(lines.some((line) => line >= originalLines)).toBe(true);
    }
  });
});

describe('verify:day6 answers corrupted workflows with a located failure', () => {
  const file = '.github/workflows/ci.yml';
  const notAWorkflow: Corruption = {
    name: 'a workflow that is not a mapping',
    make: () => '- name: ci\n- on: push\n',
    says: /is not a workflow: the top level must be a mapping, found a sequence/,
    hasLine: true,
  };
  const cases: [string, Corruption][] = [
    [file, notAWorkflow],
    [file, corruptions.malformedYaml],
    [file, corruptions.empty],
    [file, corruptions.binary],
    [file, corruptions.tenMegabytes],
  ];

  it.each(named(cases))('%s: %s', async (target, _name, corruption) => {
    const root = fixture(day6Paths);
    corrupt(root, target, corruption);

    expectLocatedFailure(await runAll(day6Checks, root), target, corruption);
  });
});

describe('shared loaders locate what is wrong', () => {
  let root: string;
  beforeAll(() => {
    root = fixture([]);
  });
  const write = (file: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  const badInput = (run: () => unknown): BadInputError => {
    try {
      run();
    } catch (error) {
      if (error instanceof BadInputError) return error;
      throw error;
    }
    throw new Error('expected a BadInputError, but the loader accepted the input');
  };

  describe('readWorkflow (day 6)', () => {
    it.each([
      ['a list', '- on: push\n- jobs: {}\n', /top level must be a mapping, found a sequence/, 1],
      ['a scalar', 'just a sentence\n', /top level must be a mapping, found a string/, 1],
      ['no on:', 'name: ci\njobs:\n  test:\n    runs-on: ubuntu-24.04\n', /no on:/, 1],
      ['jobs as a list', 'on: push\njobs:\n  - test\n', /jobs must be a mapping .* found a sequence/, 2],
      [
        'a job that is a string',
        'on: push\njobs:\n  test: run the tests\n',
        /job "test" must be a mapping/,
        3,
      ],
    ])('rejects a workflow that is %s, naming the line', (_name, content, says, line) => {
      write('.github/workflows/ci.yaml', content);

      const error = badInput(() => readWorkflow(root, '.github/workflows/ci.yaml'));

      expect(error.message).toMatch(says);
      expect(error.line).toBe(line);
      expect(error.stack).toBe(error.message);
    });

    it('reads a well-formed workflow', () => {
      write(
        '.github/workflows/ok.yaml',
        'on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n',
      );

      expect(Object.keys(readWorkflow(root, '.github/workflows/ok.yaml').jobs)).toEqual(['test']);
    });

    it('fails a check that reads a broken workflow with a located message, not a crash', async () => {
      write('.github/workflows/broken.yaml', '- not\n- a workflow\n');
      const check = defineCheck('every workflow sets permissions', (r) => {
        const workflow = readWorkflow(r, '.github/workflows/broken.yaml');
        return 'permissions' in workflow ? [] : [];
      });

      await expect(assertCheck(check, root)).rejects.toThrow(
        /where: {4}\.github\/workflows\/broken\.yaml \(line 1\)[\s\S]*found: {4}is not a workflow/,
      );
    });
  });

  it('readYaml names line and column of a syntax error', () => {
    write('bad.yaml', 'a: 1\nb: [1, 2\nc: 3\n');

    const error = badInput(() => readYaml(root, 'bad.yaml'));

    expect(error.message).toMatch(/^bad\.yaml:\d+:\d+: is not valid YAML/);
  });

  it('readYaml rejects a comment-only file as not a mapping, and topLevel "any" returns null for it', () => {
    write('comments.yaml', '# nothing but a comment\n');

    expect(badInput(() => readYaml(root, 'comments.yaml')).problem).toMatch(/found nothing/);
    expect(readYaml(root, 'comments.yaml', { topLevel: 'any' })).toBeNull();
  });

  it('readJson names line and column of a syntax error', () => {
    write('bad.json', '{\n  "a": 1,\n  "b" 2\n}\n');

    const error = badInput(() => readJson(root, 'bad.json'));

    expect(error.message).toBe("bad.json:3:7: is not valid JSON: Expected ':' after property name");
  });

  it('readDockerfile rejects an instruction before the first FROM, at its line', () => {
    write('Dockerfile', 'ARG BASE=node:24.11.1\nRUN echo too early\nFROM ${BASE}\n');

    const error = badInput(() => readDockerfile(root, 'Dockerfile'));

    expect(error.message).toBe('Dockerfile:2: RUN comes before the first FROM; only ARG may precede FROM');
  });

  it('a missing file is a located failure too', () => {
    expect(badInput(() => readYaml(root, 'nowhere.yaml')).problem).toMatch(/not found/);
  });
});
