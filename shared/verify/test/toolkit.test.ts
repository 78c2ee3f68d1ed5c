import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  dockerignoreMatcher,
  findTool,
  formatViolations,
  mutateFile,
  parseNginxConfig,
  findLocation,
  renderTemplate,
  replaceOrThrow,
  copyToTemp,
  removeTemp,
} from '../src';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildRows, formatTable } = require('../src/progress-table.js') as {
  buildRows: (
    root: string,
    counts: Map<string, { passed: number; failed: number; skipped: number }>,
  ) => { day: number; status: string }[];
  formatTable: (rows: unknown[]) => string;
};

describe('dockerignoreMatcher', () => {
  const ignored = dockerignoreMatcher(
    ['# comment', '**/node_modules', '.git', 'day*', '!day1-containers/nginx', '*.md', '!README.md'].join(
      '\n',
    ),
  );

  it('excludes node_modules at any depth with **/', () => {
    expect(ignored('node_modules')).toBe(true);
    expect(ignored('shared/app/api/node_modules/pg/index.js')).toBe(true);
  });

  it('matches a bare name at the context root only, as Docker does', () => {
    const bare = dockerignoreMatcher('node_modules');
    expect(bare('node_modules/x')).toBe(true);
    expect(bare('shared/app/api/node_modules')).toBe(false);
  });

  it('lets a later ! exception re-include a folder inside an excluded one', () => {
    expect(ignored('day1-containers/compose.yaml')).toBe(true);
    expect(ignored('day1-containers/nginx/default.conf.template')).toBe(false);
    expect(ignored('CHANGELOG.md')).toBe(true);
    expect(ignored('README.md')).toBe(false);
  });

  it('keeps everything else', () => {
    expect(ignored('shared/app/api/src/server.ts')).toBe(false);
  });
});

describe('parseNginxConfig', () => {
  const tree = parseNginxConfig(`
    # comment with { braces }
    server {
      listen 8080;
      add_header X-Test "a; b" always;
      location /api/ { proxy_pass http://\${API_UPSTREAM}; }
      location / { try_files $uri $uri/ /index.html; }
    }`);

  it('reads nested blocks, quoted arguments and ${VAR} placeholders as words', () => {
    expect(findLocation(tree, '/api/')?.children?.[0]).toMatchObject({
      name: 'proxy_pass',
      args: ['http://${API_UPSTREAM}'],
    });
    expect(tree[0]?.children?.find((d) => d.name === 'add_header')?.args).toEqual([
      'X-Test',
      'a; b',
      'always',
    ]);
    expect(findLocation(tree, '/')?.children?.[0]?.args).toEqual(['$uri', '$uri/', '/index.html']);
  });
});

describe('renderTemplate', () => {
  it('replaces only the given variables, as the nginx image entrypoint does, and leaves nginx variables', () => {
    expect(
      renderTemplate('listen ${WEB_PORT}; proxy_pass http://$API_UPSTREAM; $uri ${UNSET}', {
        WEB_PORT: '8080',
        API_UPSTREAM: 'api:3000',
      }),
    ).toBe('listen 8080; proxy_pass http://api:3000; $uri ${UNSET}');
  });
});

describe('findTool', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'verify-tools-'));
    mkdirSync(path.join(root, '.tools', 'bin'), { recursive: true });
    writeFileSync(path.join(root, '.tools', 'bin', 'helm'), '#!/bin/sh\n');
    chmodSync(path.join(root, '.tools', 'bin', 'helm'), 0o755);
    writeFileSync(path.join(root, '.tools', 'bin', 'kubectl'), 'not executable');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds an executable in .tools/bin', () => {
    expect(findTool('helm', root, { PATH: '' })).toBe(path.join(root, '.tools', 'bin', 'helm'));
  });

  it('ignores a file that is not executable and reports a missing tool as undefined', () => {
    expect(findTool('kubectl', root, { PATH: '' })).toBeUndefined();
    expect(findTool('terraform', root, { PATH: '' })).toBeUndefined();
  });
});

describe('progress table', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'verify-progress-'));
    mkdirSync(path.join(root, 'day1-containers', 'verify'), { recursive: true });
    writeFileSync(path.join(root, 'day1-containers', 'verify', 'jest.config.js'), '');
    mkdirSync(path.join(root, 'day2-k8s', 'verify'), { recursive: true });
    writeFileSync(path.join(root, 'day2-k8s', 'verify', 'jest.config.js'), '');
    mkdirSync(path.join(root, 'day3-helm'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('marks failures, passes, folders without a suite and days not started, never counting those as passes', () => {
    const counts = new Map([
      ['day1', { passed: 30, failed: 0, skipped: 1 }],
      ['day2', { passed: 4, failed: 2, skipped: 0 }],
    ]);
    const rows = buildRows(root, counts);
    expect(rows.map((r) => [r.day, r.status])).toEqual([
      [1, 'pass'],
      [2, 'fail'],
      [3, 'no verify suite'],
      [4, 'not started'],
      [5, 'not started'],
      [6, 'not started'],
      [7, 'not started'],
    ]);
    const table = formatTable(rows);
    expect(table).toMatch(/^1 +Containers.* 30 +0 +1 +✓$/m);
    expect(table).toMatch(/^2 +Kubernetes.* 4 +2 +0 +✗$/m);
    expect(table).toMatch(/^4 +Observability.* - +- +- +not started$/m);
  });

  it('shows a day whose checks were all skipped as skipped, not passed', () => {
    const rows = buildRows(root, new Map([['day1', { passed: 0, failed: 0, skipped: 5 }]]));
    expect(rows[0]?.status).toBe('skipped');
  });
});

describe('fixtures', () => {
  it('refuses a mutation that changes nothing, so a fixture can never test the unbroken file', () => {
    const dir = copyToTemp(path.resolve(__dirname, '../../..'), ['.dockerignore']);
    try {
      expect(() => mutateFile(dir, '.dockerignore', (s) => s)).toThrow(/changed nothing/);
      expect(() => replaceOrThrow('abc', 'x', 'y')).toThrow(/not found/);
    } finally {
      removeTemp(dir);
    }
  });
});

describe('formatViolations', () => {
  it('states where, expected, found, fix and docs on separate lines', () => {
    const text = formatViolations('api runs as non-root', [
      {
        file: 'a.Dockerfile',
        object: 'stage "runtime"',
        expected: 'USER 1000',
        actual: 'none',
        fix: 'add USER',
        docs: 'README.md#x',
      },
    ]);
    expect(text.split('\n')).toEqual([
      '✗ api runs as non-root',
      '',
      '  where:    a.Dockerfile (stage "runtime")',
      '  expected: USER 1000',
      '  found:    none',
      '  fix:      add USER',
      '  docs:     README.md#x',
    ]);
  });
});
