import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// scripts/bootstrap-tools.sh is sourced into learners' shells, so it must change nothing there but PATH. These
// tests run a copy in a throwaway "repository" (it writes .tools/ next to its own scripts/ folder) with stand-ins
// on PATH, so nothing is downloaded or built and the real .tools/ is untouched.
const script = path.join(__dirname, '..', '..', '..', 'scripts', 'bootstrap-tools.sh');

let repo: string;
let standIns: string;
beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-'));
  fs.mkdirSync(path.join(repo, 'scripts'));
  fs.copyFileSync(script, path.join(repo, 'scripts', 'bootstrap-tools.sh'));
  // The schema provider's Go sources, which the script hashes to find its cached build (go fails here, so no build).
  const provider = path.join('shared', 'verify', 'terraform-schema', 'provider');
  fs.cpSync(path.join(__dirname, '..', '..', '..', provider), path.join(repo, provider), { recursive: true });
  standIns = path.join(repo, 'stand-ins');
  fs.mkdirSync(standIns);
});
afterEach(() => {
  fs.rmSync(repo, { recursive: true, force: true });
});

function standIn(name: string, body: string): void {
  fs.writeFileSync(path.join(standIns, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** Stand-ins for a machine that has every tool at the pinned line, and no network (curl fails as offline). */
function machineWithTools(terraform: string): void {
  standIn('node', 'echo v24.22.3');
  standIn('helm', 'echo v4.3.2');
  standIn('kubectl', 'echo "Client Version: v1.36.3"');
  standIn('terraform', `printf '%s\\n' ${JSON.stringify(terraform)}`);
  // The verify tools at their pins, so no test installs one from PyPI (python3 is in /usr/bin).
  standIn('actionlint', 'echo 1.7.12');
  standIn('zizmor', 'echo "zizmor 1.32.0"');
  standIn('kube-score', 'echo "kube-score version: 1.20.0, commit: none"');
  standIn('kubernetes-validate', 'echo 1.37.0');
  standIn('checkov', 'echo 3.3.30');
  standIn('curl', 'echo "curl: (6) Could not resolve host" >&2; exit 6');
  // A Go that does not work counts as no Go, so no build starts.
  standIn('go', 'exit 1');
}

/** Sources the copy in a bash that then runs `after`; returns what it printed. */
function sourceThen(after: string) {
  const run = spawnSync('bash', ['-c', `source scripts/bootstrap-tools.sh; ${after}`], {
    cwd: repo,
    encoding: 'utf8',
    env: {
      PATH: `${standIns}:/usr/bin:/bin`,
      HOME: repo,
      XDG_CACHE_HOME: path.join(repo, 'cache'),
    },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('source scripts/bootstrap-tools.sh', () => {
  it('leaves the shell alive after a failing command (no set -e, -u or pipefail left behind)', () => {
    machineWithTools('Terraform v1.15.9');

    const result = sourceThen('false; echo survived; set -o | grep -E "^(errexit|nounset|pipefail)"');

    expect(result.stdout).toContain('survived');
    expect(result.stdout).toMatch(/errexit\s+off/);
    expect(result.stdout).toMatch(/nounset\s+off/);
    expect(result.stdout).toMatch(/pipefail\s+off/);
  });

  it('changes PATH (once, even when sourced twice) and defines no functions or variables', () => {
    machineWithTools('Terraform v1.15.9');

    const result = sourceThen(
      'source scripts/bootstrap-tools.sh; echo "PATH=$PATH"; declare -F | wc -l; ' +
        'compgen -v | grep -c -E "^(__course|tools$|root$|cache$|NODE_VERSION$|HELM_VERSION$)" || true',
    );
    const [pathLine, functions, leakedVariables] = result.stdout.trim().split('\n');

    expect(pathLine).toBe(`PATH=${repo}/.tools/bin:${standIns}:/usr/bin:/bin`);
    expect(functions?.trim()).toBe('0');
    expect(leakedVariables?.trim()).toBe('0');
  });

  it('says which terraform engine the verify suites will run, and links it at .tools/bin/terraform', () => {
    machineWithTools('Terraform v1.15.9\non linux_amd64');

    const result = sourceThen('readlink .tools/bin/terraform');

    expect(result.stderr).toContain(`terraform engine: Terraform 1.15.9 from PATH (${standIns}/terraform)`);
    expect(result.stdout.trim()).toBe(`${standIns}/terraform`);
  });

  it('refuses a Terraform older than 1.14 and, with no download and no Go, says there is no engine', () => {
    machineWithTools('Terraform v1.11.4');

    const result = sourceThen('echo survived; test -e .tools/bin/terraform || echo "no engine linked"');

    expect(result.stderr).toContain('is Terraform 1.11.4; the course needs Terraform >= 1.14.0');
    expect(result.stderr).toContain('terraform: NONE.');
    expect(result.stdout).toContain('survived');
    expect(result.stdout).toContain('no engine linked');
  });

  it('returns non-zero and leaves PATH alone when an install fails, without closing the shell', () => {
    machineWithTools('Terraform v1.15.9');
    // Node 20 on PATH, no download, and npm fails: the Node 24 install cannot succeed.
    standIn('node', 'echo v20.20.2');
    standIn('npm', 'echo "npm error code E404" >&2; exit 1');

    const result = sourceThen('echo "status=$?"; echo "PATH=$PATH"');

    expect(result.stderr).toContain('[bootstrap] failed (exit 1); PATH is unchanged');
    expect(result.stdout).toContain('status=1');
    expect(result.stdout).toContain(`PATH=${standIns}:/usr/bin:/bin\n`);
  });
});
