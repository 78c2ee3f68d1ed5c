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
export function initValidateTest(
  terraform: string,
  root: string,
  moduleDir: string,
): TerraformRun | undefined {
  const work = mkdtempSync(path.join(os.tmpdir(), 'day5-tf-'));
  try {
    cpSync(path.join(root, moduleDir), work, {
      recursive: true,
      filter: (src) => path.basename(src) !== '.terraform',
    });
    for (const args of [['init', '-backend=false', '-input=false'], ['validate'], ['test']]) {
      const run = runTerraform(terraform, work, args);
      if (run.status !== 0) return run;
    }
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * What a learner needs from terraform's output: the failed runs, and for each `Error:` its title, its
 * `on <file> line N` pointer and its message (for a validation or precondition: the error_message).
 */
export function failureSummary(output: string): string {
  const lines = output.split('\n').map((l) => l.replace(/^[│╷╵] ?/, ''));
  const endsDiagnostic = /^(\s*run ".*"\.\.\.|\S.*\.tftest\.hcl\.\.\.|Failure!|Success!|Error:|Warning:)/;
  const summary: string[] = [];
  let current: string[] | undefined;
  const flush = () => {
    if (!current) return;
    const [title = '', ...rest] = current;
    const where = rest.find((l) => /^\s*on .* line \d+/.test(l))?.trim();
    const paragraphs = rest
      .join('\n')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    const last = paragraphs[paragraphs.length - 1];
    const message = last && !/^\s*on .* line \d+/.test(last) ? last.replace(/\s*\n\s*/g, ' ') : undefined;
    summary.push([title.trim(), where, message].filter(Boolean).join(' — '));
    current = undefined;
  };
  for (const line of lines) {
    if (current && endsDiagnostic.test(line)) flush();
    if (line.startsWith('Error:')) current = [line];
    else if (current) current.push(line);
    else if (/^\s*run ".*"\.\.\. fail/.test(line)) summary.push(line.trim());
  }
  flush();
  return summary.join('\n            ');
}

/** `terraform init/validate/test` passes for a module (offline: one that needs no provider). */
export function offlineModuleCheck(terraform: () => string, moduleDir: string, where = 'offline'): Check {
  return defineCheck(
    `${moduleDir}: terraform init -backend=false, validate and test pass ${where}`,
    (root) => {
      const failed = initValidateTest(terraform(), root, moduleDir);
      if (!failed) return [];
      return [
        v(moduleDir, failed.command, {
          expected: `${failed.command} exits 0`,
          actual: failureSummary(failed.output) || failed.output.slice(0, 800),
          fix: `run cd ${moduleDir} && ${failed.command} and fix what it reports`,
        }),
      ];
    },
  );
}
