import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DAY_REQUIREMENTS, parseDays, runDoctor, TOOLS } from '../src/doctor.ts';
import { kubernetesMinorRange, loadInventory } from '../src/pins/inventory.ts';

const root = path.resolve(__dirname, '..', '..', '..');
const launcher = path.join(__dirname, '..', 'cli', 'doctor.mjs');

let sandbox: string;
beforeEach(() => {
  sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
});
afterEach(() => {
  fs.rmSync(sandbox, { recursive: true, force: true });
});

/** A folder holding only the given executables, to stand in for a learner's PATH. */
function binDir(name: string, executables: Record<string, string>): string {
  const dir = path.join(sandbox, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [tool, target] of Object.entries(executables)) fs.symlinkSync(target, path.join(dir, tool));
  return dir;
}

function doctor(args: string[], pathDirs: string[], toolsDir: string) {
  const run = spawnSync(process.execPath, [launcher, ...args], {
    encoding: 'utf8',
    env: { PATH: pathDirs.join(path.delimiter), COURSE_TOOLS_DIR: toolsDir, HOME: sandbox },
  });
  const rowOf = (tool: string) => run.stdout.split('\n').find((line) => line.startsWith(`${tool} `)) ?? '';
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, rowOf };
}

describe('npm run doctor', () => {
  it('exits non-zero for day 3 when helm is on neither PATH nor .tools, naming helm and its install hint', () => {
    const pathDir = binDir('path', { node: process.execPath });
    const emptyTools = binDir('tools', {});

    const result = doctor(['--day', '3'], [pathDir], emptyTools);

    expect(result.status).toBe(1);
    expect(result.rowOf('helm')).toMatch(/^helm\s+-\s+4\.x\s+missing\s+/);
    expect(result.rowOf('helm')).toContain(TOOLS.helm.installHint);
    expect(result.stdout).toContain('NOT READY for day 3');
    expect(result.stdout).toMatch(/helm \(missing\)/);
  });

  it('exits 0 for day 6 with only Node 24 on PATH and reports gh as optional', () => {
    const pathDir = binDir('path', { node: process.execPath });

    const result = doctor(['--day=6'], [pathDir], binDir('tools', {}));

    expect(result.stdout).toContain('Ready for day 6.');
    expect(result.rowOf('node')).toMatch(
      new RegExp(
        `^node\\s+${process.versions.node.replace(/\./g, '\\.')}\\s+24\\.x LTS \\(22\\.18 minimum\\)\\s+ok`,
      ),
    );
    expect(result.rowOf('gh')).toMatch(/optional, missing\s+https:\/\/cli\.github\.com\//);
    expect(result.status).toBe(0);
  });

  it('accepts Node 22.18, the oldest that strips types, and rejects 22.17 with the install hint', () => {
    const standIn = (version: string) => {
      const file = path.join(sandbox, `node-${version}`);
      fs.writeFileSync(file, `#!/bin/sh\necho v${version}\n`, { mode: 0o755 });
      return file;
    };
    const run = (version: string) =>
      doctor(
        ['--day', '6'],
        [binDir(`path-${version}`, { node: standIn(version) })],
        binDir(`tools-${version}`, {}),
      );

    const oldest = run('22.18.0');
    const tooOld = run('22.17.1');

    expect(oldest.rowOf('node')).toMatch(/^node\s+22\.18\.0\s+24\.x LTS \(22\.18 minimum\)\s+ok/);
    expect(tooOld.rowOf('node')).toMatch(/unsupported version\s+nvm install 24/);
    expect(tooOld.status).not.toBe(0);
  });

  it('finds helm in the course .tools/bin when PATH lacks it, and says it is not on PATH', () => {
    // A stand-in that answers like helm 4, so the test does not depend on bootstrap having run.
    const helm4 = path.join(sandbox, 'helm4');
    fs.writeFileSync(helm4, '#!/bin/sh\necho "v4.1.4"\n', { mode: 0o755 });
    const toolsDir = path.join(sandbox, 'tools');
    binDir(path.join('tools', 'bin'), { helm: helm4 });

    const result = doctor(['--day', '3'], [binDir('path', { node: process.execPath })], toolsDir);

    expect(result.rowOf('helm')).toMatch(
      /^helm\s+4\.1\.4 \(.*tools\/bin\/helm\)\s+4\.x\s+ok\s+not on PATH: source scripts\/bootstrap-tools\.sh/,
    );
  });

  it('rejects a helm 3 on PATH as an unsupported version', () => {
    const helm3 = path.join(sandbox, 'helm3');
    fs.writeFileSync(helm3, '#!/bin/sh\necho "v3.16.4"\n', { mode: 0o755 });

    const result = doctor(
      ['--day', '3'],
      [binDir('path', { node: process.execPath, helm: helm3 })],
      binDir('tools', {}),
    );

    expect(result.rowOf('helm')).toMatch(/^helm\s+3\.16\.4\s+4\.x\s+unsupported version\s+source scripts/);
    expect(result.status).toBe(1);
  });

  it("takes kubectl's accepted minors from pins.yaml's kubernetes.minors, rejecting one below them", () => {
    const { min, max } = kubernetesMinorRange(loadInventory(root).kubernetes);
    const kubectl = (minor: number) => {
      const file = path.join(sandbox, `kubectl-1.${minor}`);
      fs.writeFileSync(file, `#!/bin/sh\necho "Client Version: v1.${minor}.2"\n`, { mode: 0o755 });
      return doctor(
        ['--day', '2'],
        [binDir(`path-${minor}`, { node: process.execPath, kubectl: file })],
        binDir(`tools-${minor}`, {}),
      ).rowOf('kubectl');
    };
    const range = `${min.join('\\.')} to ${max.join('\\.')}`;

    expect(kubectl(max[1])).toMatch(new RegExp(`^kubectl\\s+1\\.${max[1]}\\.2\\s+${range}\\s+ok`));
    expect(kubectl(min[1] - 1)).toMatch(
      new RegExp(`^kubectl\\s+1\\.${min[1] - 1}\\.2\\s+${range}\\s+unsupported version`),
    );
  });

  it('refuses a day outside 1 to 7 with exit 2 and a message naming --day', () => {
    const result = doctor(['--day', '9'], [binDir('path', { node: process.execPath })], binDir('tools', {}));

    expect(result.stderr).toContain('doctor: --day must be a day number from 1 to 7, got "9"');
    expect(result.status).toBe(2);
  });
});

describe('runDoctor', () => {
  it('flags low memory and disk without failing, because only missing tools stop a lab', () => {
    const pathDir = binDir('path', { node: process.execPath });

    const report = runDoctor({
      days: [6],
      root,
      env: { PATH: pathDir },
      toolsDir: binDir('tools', {}),
      system: { memoryBytes: 2 * 1024 ** 3, freeDiskBytes: 1 * 1024 ** 3 },
    });

    expect(report.resources.map((row) => [row.resource, row.status])).toEqual([
      ['memory', 'low'],
      ['disk', 'low'],
    ]);
    expect(report.exitCode).toBe(0);
  });

  it('checks the union of every day when no day is given', () => {
    const report = runDoctor({ days: [], root, env: { PATH: '' }, toolsDir: binDir('tools', {}) });

    const allTools = new Set(
      Object.values(DAY_REQUIREMENTS).flatMap((day) => [...day.required, ...day.optional]),
    );
    expect(report.tools.map((row) => row.tool).sort()).toEqual([...allTools].sort());
    expect(report.exitCode).toBe(1);
  });
});

describe('parseDays', () => {
  it.each([
    [['--day', '2'], [2]],
    [['--day=5'], [5]],
    [['4'], [4]],
    [[], []],
  ])('reads %j as %j', (argv, days) => {
    expect(parseDays(argv)).toEqual(days);
  });

  it('names the unknown argument', () => {
    expect(() => parseDays(['--days', '2'])).toThrow('unknown argument "--days"');
  });
});
