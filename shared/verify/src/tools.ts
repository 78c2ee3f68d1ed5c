import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findPostgresBin } from '@taskboard/testkit';

export type ToolName =
  | 'helm'
  | 'kubectl'
  | 'terraform'
  | 'terraform-schema-provider'
  | 'promtool'
  | 'prometheus'
  | 'nginx'
  | 'postgres'
  | 'docker'
  | 'shellcheck'
  | 'actionlint'
  | 'zizmor'
  | 'kube-score'
  | 'kubernetes-validate'
  | 'checkov';

/** How a learner (or CI) gets each tool; printed in every skip and failure. */
export const installCommands: Record<ToolName, string> = {
  helm: 'bash scripts/bootstrap-tools.sh (puts helm into .tools/bin)',
  kubectl: 'bash scripts/bootstrap-tools.sh (puts kubectl into .tools/bin)',
  terraform:
    'bash scripts/bootstrap-tools.sh (puts Terraform >= 1.14 from PATH or its release, or OpenTofu built from its Go module, at .tools/bin/terraform)',
  'terraform-schema-provider':
    'bash scripts/bootstrap-tools.sh (builds shared/verify/terraform-schema/provider with Go into .tools/bin)',
  promtool: 'sudo apt-get install prometheus',
  prometheus: 'sudo apt-get install prometheus',
  nginx: 'sudo apt-get install nginx',
  postgres: 'sudo apt-get install postgresql (or set PG_BIN to the folder holding initdb and postgres)',
  docker: 'install Docker Engine or Docker Desktop and start it (docker info must answer)',
  shellcheck: 'sudo apt-get install shellcheck',
  actionlint:
    'bash scripts/bootstrap-tools.sh (builds actionlint v1.7.12 from its Go module into .tools/bin)',
  zizmor: 'bash scripts/bootstrap-tools.sh (installs zizmor 1.32.0 from PyPI into .tools/bin)',
  'kube-score':
    'bash scripts/bootstrap-tools.sh (builds kube-score 1.20.0 from its Go module into .tools/bin; needs Go)',
  'kubernetes-validate':
    'bash scripts/bootstrap-tools.sh (installs kubernetes-validate 1.37.0 from PyPI into .tools/bin; needs python3)',
  checkov: 'bash scripts/bootstrap-tools.sh (puts checkov, pinned, from PyPI into .tools/bin)',
};

// nginx lives in /usr/sbin, which is not on a normal user's PATH on Debian.
const extraDirs = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function isExecutableFile(file: string): boolean {
  try {
    execFileSync('test', ['-x', file]);
    return existsSync(file);
  } catch {
    return false;
  }
}

/**
 * Finds a tool's executable on PATH, in `.tools/bin` or `.tools/<name>/bin`, or (postgres) in Debian's
 * versioned folder. Returns the absolute path (for postgres: the folder holding `postgres` and `initdb`).
 */
export function findTool(
  name: ToolName,
  root: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (name === 'postgres') return findPostgresBin();
  const toolsDir = path.join(root, '.tools');
  const dirs = [
    path.join(toolsDir, 'bin'),
    path.join(toolsDir, name, 'bin'),
    ...(env.PATH ?? '').split(path.delimiter),
    ...extraDirs,
  ];
  if (existsSync(toolsDir)) {
    for (const entry of readdirSync(toolsDir))
      if (entry.startsWith(`${name}-`)) dirs.push(path.join(toolsDir, entry, 'bin'));
  }
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** `CI=true` (what GitHub Actions and .ci/run set): missing local-runtime tools fail instead of skipping. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** Whether a Docker engine answers; the container tier runs only then. */
export function dockerEngineAnswers(root: string): { ok: true } | { ok: false; reason: string } {
  const docker = findTool('docker', root);
  if (!docker) return { ok: false, reason: 'no docker client on PATH' };
  try {
    execFileSync(docker, ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 15_000 });
    return { ok: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
    return { ok: false, reason: `docker info did not answer (${stderr || (error as Error).message})` };
  }
}
