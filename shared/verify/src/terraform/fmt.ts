import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Environment for offline, non-interactive terraform runs: no update check, no colour, no prompts. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...extra };
}

/**
 * Runs the real `terraform fmt -check -recursive` on `dir` (repository-relative) and returns the
 * repository-relative files it would rewrite. Throws with terraform's output when fmt itself fails (exit 2: a
 * file that does not parse).
 */
export function terraformFmtCheck(terraform: string, root: string, dir: string): string[] {
  const result = spawnSync(terraform, ['fmt', '-check', '-recursive', '-list=true', '-no-color'], {
    cwd: path.join(root, dir),
    encoding: 'utf8',
    env: terraformEnv(),
  });
  if (result.error) throw result.error;
  if (result.status === 0) return [];
  const listed = result.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (listed.length === 0) {
    throw new Error(
      `terraform fmt -check in ${dir} failed (exit ${result.status}):\n${result.stderr.trim()}`,
    );
  }
  return listed.map((f) => path.posix.join(dir, f));
}

export interface TerraformRun {
  command: string;
  status: number | null;
  output: string;
}

/**
 * Runs terraform with `args` in `cwd` (`env` adds variables, e.g. the provider mirror's TF_CLI_CONFIG_FILE);
 * never throws for a non-zero exit, so callers can report the output.
 */
export function runTerraform(
  terraform: string,
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): TerraformRun {
  const result = spawnSync(terraform, [...args, '-no-color'], {
    cwd,
    encoding: 'utf8',
    env: terraformEnv(env),
    timeout: 170_000,
  });
  return {
    command: `terraform ${args.join(' ')}`,
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}
