import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineCheck, type Check, type Violation } from '../check';
import { runTerraform, type TerraformRun } from './fmt';
import { loadSchemaFiles, providerMirror } from './providers';

/** Every Terraform folder of the course: copied together, so relative module sources resolve in the copy. */
export const TERRAFORM_TREES = ['day5-terraform', 'day7-keyvault-aks/terraform'];

/** One `Error:` (or `Warning:`) block of terraform's output. */
export interface TerraformDiagnostic {
  severity: 'error' | 'warning';
  summary: string;
  /** As terraform prints it, relative to the folder it ran in: `main.aks.tf`, `tests/aks.tftest.hcl`. */
  file?: string;
  line?: number;
  /** `in resource "azurerm_kubernetes_cluster" "this"` */
  context?: string;
  detail: string;
}

/** Reads the diagnostics out of terraform's (or OpenTofu's) `-no-color` output. */
export function parseDiagnostics(output: string): TerraformDiagnostic[] {
  const lines = output.split('\n').map((l) => l.replace(/^[│╷╵] ?/, ''));
  const ends = /^(\s*run ".*"\.\.\.|\S.*\.tftest\.hcl\.\.\.|Failure!|Success!|Error:|Warning:)/;
  const found: TerraformDiagnostic[] = [];
  let current: { severity: 'error' | 'warning'; lines: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const [title = '', ...rest] = current.lines;
    const at = rest
      .map((l) => /^\s*on (\S+) line (\d+)(?:, (in .*?))?:?\s*$/.exec(l))
      .find((m) => m !== null);
    // The detail is the prose after the source excerpt: skip the `on ... line` pointer, numbered source lines
    // and the `├──` value annotations.
    const prose = rest.filter(
      (l) =>
        !/^\s*on \S+ line \d+/.test(l) && !/^\s*\d+: /.test(l) && !/^\s*[├│└]/.test(l) && !/^\s+\^/.test(l),
    );
    found.push({
      severity: current.severity,
      summary: title.replace(/^(Error|Warning):\s*/, '').trim(),
      file: at?.[1],
      line: at ? Number(at[2]) : undefined,
      context: at?.[3],
      detail: prose.join(' ').replace(/\s+/g, ' ').trim(),
    });
    current = undefined;
  };
  for (const line of lines) {
    if (current && ends.test(line)) flush();
    if (line.startsWith('Error:')) current = { severity: 'error', lines: [line] };
    else if (line.startsWith('Warning:')) current = { severity: 'warning', lines: [line] };
    else if (current) current.lines.push(line);
  }
  flush();
  return found;
}

/** Copies the course's Terraform trees (without .terraform folders or state) into a fresh temporary root. */
export function copyTerraformTrees(root: string): string {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tf-provider-tier-'));
  for (const tree of TERRAFORM_TREES) {
    if (!existsSync(path.join(root, tree))) continue;
    cpSync(path.join(root, tree), path.join(work, tree), {
      recursive: true,
      filter: (src) =>
        !['.terraform', 'terraform.tfstate', '.terraform.lock.hcl'].includes(path.basename(src)),
    });
  }
  return work;
}

/**
 * `terraform init -backend=false`, `validate` and `test` on `moduleDir` in a copy of the trees, with providers
 * from the schema mirror. Returns the first failed run, or undefined when all three pass.
 */
export function initValidateTestWithSchemas(
  terraform: string,
  schemaProvider: string,
  root: string,
  moduleDir: string,
): TerraformRun | undefined {
  const { env } = providerMirror(schemaProvider);
  const work = copyTerraformTrees(root);
  try {
    const cwd = path.join(work, moduleDir);
    for (const args of [['init', '-backend=false', '-input=false'], ['validate'], ['test']]) {
      const run = runTerraform(terraform, cwd, args, env);
      if (run.status !== 0) return run;
    }
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `azurerm 4.73.0, random 3.9.1`: the releases whose schemas the tier checks against. */
export function schemaVersions(): string {
  return loadSchemaFiles()
    .map(({ source }) => `${source.name} ${source.providerVersion}`)
    .join(', ');
}

/** One violation per error terraform reported, at the file and line it names (repository-relative). */
export function providerTierViolations(
  root: string,
  moduleDir: string,
  run: TerraformRun,
  docs: string,
): Violation[] {
  const versions = schemaVersions();
  const errors = parseDiagnostics(run.output).filter((d) => d.severity === 'error');
  const fix = `cd ${moduleDir} && ${run.command}, then fix what it reports; argument and block names are those of the provider docs (https://registry.terraform.io/providers/hashicorp/azurerm/4.73.0/docs)`;
  const expected = `${run.command} passes against the real provider schemas (${versions}, served by terraform-schema-provider)`;
  if (errors.length === 0) {
    return [
      { file: moduleDir, object: run.command, expected, actual: run.output.trim().slice(-800), fix, docs },
    ];
  }
  return errors.map((d) => ({
    file: d.file ? path.posix.normalize(path.posix.join(moduleDir, d.file)) : moduleDir,
    object: d.line ? `line ${d.line}${d.context ? `, ${d.context}` : ''}` : run.command,
    expected,
    actual: `${d.summary}${d.detail ? `: ${d.detail}` : ''}`,
    fix,
    docs,
  }));
}

/** The provider tier for one root or module: init, validate and test pass against the real schemas. */
export function providerTierCheck(
  tools: () => { terraform: string; 'terraform-schema-provider': string },
  moduleDir: string,
  docs: string,
): Check {
  return defineCheck(
    `${moduleDir}: terraform init -backend=false, validate and test pass against the real azurerm and random schemas`,
    (root) => {
      const { terraform, 'terraform-schema-provider': schemaProvider } = tools();
      const failed = initValidateTestWithSchemas(terraform, schemaProvider, root, moduleDir);
      return failed ? providerTierViolations(root, moduleDir, failed, docs) : [];
    },
  );
}
