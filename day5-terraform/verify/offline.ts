import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineCheck, violationsFor, type Check } from '@taskboard/verify/src/check';
import { runTerraform, type TerraformRun } from '@taskboard/verify/src/terraform';

const v = violationsFor('day5-terraform/README.md#verify');

/**
 * Runs `terraform init -backend=false`, `validate` and `test` on a copy of `moduleDir` (so no .terraform folder
 * lands in the repository) and returns the first step that failed, or undefined.
 */
export function initValidateTest(terraform: string, root: string, moduleDir: string): TerraformRun | undefined {
  const work = mkdtempSync(path.join(os.tmpdir(), 'day5-tf-'));
  try {
    cpSync(path.join(root, moduleDir), work, { recursive: true, filter: (src) => path.basename(src) !== '.terraform' });
    for (const args of [['init', '-backend=false', '-input=false'], ['validate'], ['test']]) {
      const run = runTerraform(terraform, work, args);
      if (run.status !== 0) return run;
    }
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The lines of terraform's output that explain a failure: errors, failed runs and the `on <file> line N` pointer. */
export function failureSummary(output: string): string {
  const wanted = /Error:|fail|on .* line \d+|error_message|breaks Azure's rule|must be/i;
  return output
    .split('\n')
    .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
    .filter((l) => wanted.test(l))
    .slice(0, 12)
    .join(' | ');
}

/** `terraform init/validate/test` passes for a module that needs no provider. */
export function offlineModuleCheck(terraform: () => string, moduleDir: string): Check {
  return defineCheck(`${moduleDir}: terraform init -backend=false, validate and test pass offline`, (root) => {
    const failed = initValidateTest(terraform(), root, moduleDir);
    if (!failed) return [];
    return [
      v(moduleDir, failed.command, {
        expected: `${failed.command} exits 0`,
        actual: failureSummary(failed.output) || failed.output.slice(0, 800),
        fix: `run cd ${moduleDir} && ${failed.command} and fix what it reports`,
      }),
    ];
  });
}
