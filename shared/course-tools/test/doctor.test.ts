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

/** A shell script that prints `output` and exits 0, standing in for a tool at a known version. */
function standIn(name: string, output: string): string {
  const file = path.join(sandbox, `stand-in-${name}`);
  fs.writeFileSync(file, `#!/bin/sh\necho "${output}"\n`, { mode: 0o755 });
  return file;
}

/** A docker stand-in: `--version` answers 28.2.2; compose, buildx and info succeed unless listed as broken. */
function dockerStandIn(broken: readonly ('compose' | 'buildx' | 'info')[]): string {
  const file = path.join(sandbox, `docker-${broken.join('-') || 'ok'}`);
  const cases = broken.map((sub) => `  ${sub}) echo "docker: unknown command: docker ${sub}" >&2; exit 1 ;;`);
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      'case "$1" in',
      '  --version) echo "Docker version 28.2.2, build e6534b4" ;;',
      ...cases,
      '  *) echo ok ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

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
    // No system folders: the machine's own nginx, PostgreSQL or Chromium must not answer for a stand-in.
    env: {
      PATH: pathDirs.join(path.delimiter),
      COURSE_TOOLS_DIR: toolsDir,
      COURSE_DOCTOR_SYSTEM_DIRS: '',
      HOME: sandbox,
    },
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
    fs.writeFileSync(helm4, '#!/bin/sh\necho "v4.3.2"\n', { mode: 0o755 });
    const toolsDir = path.join(sandbox, 'tools');
    binDir(path.join('tools', 'bin'), { helm: helm4 });

    const result = doctor(['--day', '3'], [binDir('path', { node: process.execPath })], toolsDir);

    expect(result.rowOf('helm')).toMatch(
      /^helm\s+4\.3\.2 \(.*tools\/bin\/helm\)\s+4\.x\s+ok\s+not on PATH: source scripts\/bootstrap-tools\.sh/,
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

describe('npm run doctor: Docker, the terraform engine and the prerequisites table', () => {
  const day = (n: string, executables: Record<string, string>) =>
    doctor(['--day', n], [binDir('path', { node: process.execPath, ...executables })], binDir('tools', {}));

  it('says the Docker daemon is down when docker info does not answer', () => {
    const result = day('1', { docker: dockerStandIn(['info']) });

    expect(result.rowOf('docker')).toMatch(
      /^docker\s+28\.2\.2\s+.*daemon running\s+daemon down\s+.*docker info/,
    );
    expect(result.stdout).toContain('NOT READY for day 1: docker (daemon down)');
    expect(result.status).toBe(1);
  });

  it('says buildx is missing, and names every missing part at once', () => {
    const result = day('1', { docker: dockerStandIn(['buildx', 'info']) });

    expect(result.rowOf('docker')).toMatch(
      /plugin missing\s+`docker buildx` plugin missing.*; the Docker daemon/,
    );
    expect(result.status).toBe(1);
  });

  it('accepts a Docker with compose, buildx and a running daemon', () => {
    expect(day('1', { docker: dockerStandIn([]) }).rowOf('docker')).toMatch(/^docker\s+28\.2\.2\s+.*\s+ok/);
  });

  it.each([
    [
      'Terraform v1.15.9\non linux_amd64',
      /Terraform 1\.15\.9\s+Terraform 1\.14\+ \(or OpenTofu 1\.12\+\)\s+ok/,
    ],
    ['OpenTofu v1.12.6\non linux_amd64', /OpenTofu 1\.12\.6\s+.*\s+ok/],
    ['Terraform v1.11.4\non linux_amd64', /Terraform 1\.11\.4\s+.*unsupported version/],
    ['OpenTofu v1.11.2\non linux_amd64', /OpenTofu 1\.11\.2\s+.*unsupported version/],
  ])('judges the terraform engine that answers %j by its own minimum', (output, row) => {
    const result = day('5', { terraform: standIn('terraform', output) });

    expect(result.rowOf('terraform')).toMatch(row);
  });

  it('rejects kubectl 1.33 (past upstream support) and accepts 1.36', () => {
    const old = day('2', { kubectl: standIn('kubectl-133', 'Client Version: v1.33.9') });
    expect(old.rowOf('kubectl')).toMatch(/^kubectl\s+1\.33\.9\s+1\.35 to 1\.37\s+unsupported version/);

    fs.rmSync(path.join(sandbox, 'path'), { recursive: true });
    fs.rmSync(path.join(sandbox, 'tools'), { recursive: true });
    const current = day('2', { kubectl: standIn('kubectl-136', 'Client Version: v1.36.3') });
    expect(current.rowOf('kubectl')).toMatch(/^kubectl\s+1\.36\.3\s+1\.35 to 1\.37\s+ok/);
  });

  it('rejects a gh older than 2.80 for day 6, without failing the day (gh is optional)', () => {
    const result = day('6', { gh: standIn('gh', 'gh version 2.45.0 (2024-03-04)') });

    expect(result.rowOf('gh')).toMatch(/^gh\s+2\.45\.0\s+2\.80 or later\s+unsupported version/);
    expect(result.status).toBe(0);
  });

  it("reports day 6's workflow linters: the pinned minor is ok, another minor or none is named with the bootstrap", () => {
    const pinned = day('6', {
      actionlint: standIn('actionlint', '1.7.12'),
      zizmor: standIn('zizmor', 'zizmor 1.32.0'),
    });
    fs.rmSync(path.join(sandbox, 'path'), { recursive: true });
    fs.rmSync(path.join(sandbox, 'tools'), { recursive: true });
    const old = day('6', { actionlint: standIn('actionlint-old', '1.6.27') });

    expect(pinned.rowOf('actionlint')).toMatch(/^actionlint\s+1\.7\.12\s+1\.7\.x.*ok \(optional\)/);
    expect(pinned.rowOf('zizmor')).toMatch(/^zizmor\s+1\.32\.0\s+1\.32\.x.*ok \(optional\)/);
    expect(old.rowOf('actionlint')).toMatch(
      /1\.6\.27.*unsupported version\s+source scripts\/bootstrap-tools\.sh/,
    );
    expect(old.rowOf('zizmor')).toMatch(/optional, missing\s+source scripts\/bootstrap-tools\.sh/);
    expect(old.status).toBe(0);
  });

  it('lists nginx, PostgreSQL and Chromium for day 1 and promtool for day 4, with their install hints', () => {
    const day1 = day('1', { docker: dockerStandIn([]) });
    fs.rmSync(path.join(sandbox, 'path'), { recursive: true });
    fs.rmSync(path.join(sandbox, 'tools'), { recursive: true });
    const day4 = day('4', {});

    expect(day1.rowOf('nginx')).toMatch(/optional, missing\s+sudo apt-get install nginx/);
    expect(day1.rowOf('postgres')).toMatch(/optional, missing\s+sudo apt-get install postgresql/);
    expect(day1.rowOf('chromium')).toMatch(/optional, missing\s+sudo apt-get install chromium/);
    expect(day4.rowOf('promtool')).toMatch(/optional, missing\s+sudo apt-get install prometheus/);
  });

  it('finds nginx and PostgreSQL outside PATH in their system folders, and reads nginx -v from stderr', () => {
    const sbin = path.join(sandbox, 'sbin');
    fs.mkdirSync(sbin);
    fs.writeFileSync(path.join(sbin, 'nginx'), '#!/bin/sh\necho "nginx version: nginx/1.22.1" >&2\n', {
      mode: 0o755,
    });
    fs.symlinkSync(standIn('postgres', 'postgres (PostgreSQL) 15.18'), path.join(sbin, 'postgres'));

    const report = runDoctor({
      days: [1],
      root,
      env: { PATH: binDir('path', { node: process.execPath }) },
      toolsDir: binDir('tools', {}),
      systemDirs: [sbin],
    });
    const row = (tool: string) => report.tools.find((r) => r.tool === tool);

    expect(row('nginx')).toMatchObject({ found: `1.22.1 (${sbin}/nginx)`, status: 'ok', hint: '' });
    expect(row('postgres')).toMatchObject({ found: `15.18 (${sbin}/postgres)`, status: 'ok' });
  });

  it('looks for Chromium only at its fixed path, not on PATH', () => {
    const chromium = standIn('chromium', 'Chromium 156.0.8078.73 built on Debian');

    const onPathOnly = runDoctor({
      days: [1],
      root,
      env: { PATH: binDir('path', { node: process.execPath, chromium }) },
      toolsDir: binDir('tools', {}),
      systemDirs: [],
    });

    expect(onPathOnly.tools.find((r) => r.tool === 'chromium')?.status).toBe('optional, missing');
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
      systemDirs: [],
      system: { memoryBytes: 2 * 1024 ** 3, freeDiskBytes: 1 * 1024 ** 3 },
    });

    expect(report.resources.map((row) => [row.resource, row.status])).toEqual([
      ['memory', 'low'],
      ['disk', 'low'],
    ]);
    expect(report.exitCode).toBe(0);
  });

  it('checks the union of every day when no day is given', () => {
    const report = runDoctor({
      days: [],
      root,
      env: { PATH: '' },
      toolsDir: binDir('tools', {}),
      systemDirs: [],
    });

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

describe('the Node check before npm test (cli/check-node.mjs)', () => {
  const checkNode = path.join(__dirname, '..', 'cli', 'check-node.mjs');
  // The check is plain JavaScript for old Nodes, so it is exercised through node itself, not jest's transform.
  const problemFor = (version: string) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { nodeVersionProblem } from ${JSON.stringify(checkNode)}; console.log(JSON.stringify(nodeVersionProblem(${JSON.stringify(version)})));`,
      ],
      { encoding: 'utf8' },
    );

  it('fails Node 20 naming the version found, the one required and the fix', () => {
    const problem = JSON.parse(problemFor('20.20.2').stdout) as string;

    expect(problem).toContain('this is Node 20.20.2');
    expect(problem).toContain('needs Node 22.18 or later');
    expect(problem).toContain('source scripts/bootstrap-tools.sh');
  });

  it.each(['22.18.0', '24.22.3', 'v26.7.0'])('passes Node %s', (version) => {
    expect(JSON.parse(problemFor(version).stdout)).toBeNull();
  });

  it('rejects 22.17, one minor below the minimum the doctor also enforces', () => {
    expect(JSON.parse(problemFor('22.17.1').stdout)).toContain('this is Node 22.17.1');
    expect(TOOLS.node.min).toEqual([22, 18]);
  });

  it('exits 0 on the Node running these tests', () => {
    expect(spawnSync(process.execPath, [checkNode], { encoding: 'utf8' }).status).toBe(0);
  });
});
