// checkov (PyPI, pinned in scripts/bootstrap-tools.sh) over what each day ships: Dockerfiles, rendered Kubernetes
// objects, Terraform and GitHub workflows. One checkov process per call, offline, its JSON report turned into
// verify's where / expected / found / fix / docs form. The checks the course deliberately does not pass are listed,
// each with its reason, in shared/verify/checkov/skips.yaml.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { defineCheck, type Check, type Violation } from './check';
import { readYaml } from './files';
import type { Rendered } from './k8s/types';

export const SKIPS_FILE = 'shared/verify/checkov/skips.yaml';
const BOOTSTRAP = 'scripts/bootstrap-tools.sh';

/** checkov's `--framework` values the course uses (checkov --help lists them all). */
export type CheckovFramework = 'dockerfile' | 'kubernetes' | 'terraform' | 'github_actions';

/** The version bootstrap-tools.sh installs: its `ensure_pip_tool checkov checkov <version>` line is the pin. */
export function pinnedCheckovVersion(root: string): string {
  const text = readFileSync(path.join(root, BOOTSTRAP), 'utf8');
  const version = /^ensure_pip_tool checkov checkov (\S+)/m.exec(text)?.[1];
  if (!version) throw new Error(`${BOOTSTRAP} has no "ensure_pip_tool checkov checkov <version>" line`);
  return version;
}

/** One failed checkov check, as its JSON report gives it (`--output json`, `failed_checks[]`). */
export interface CheckovFailure {
  check_id: string;
  check_name: string;
  /** Relative to the working directory, with a leading slash: `/day5-terraform/bootstrap/main.tf`. */
  repo_file_path: string;
  file_line_range: [number, number];
  /** `azurerm_storage_account.this`, `Deployment.taskboard.api`, `jobs(build)`. */
  resource: string;
  check_class: string;
  guideline: string | null;
  check_result: { evaluated_keys?: string[] };
}

export interface CheckovReport {
  version: string;
  failures: CheckovFailure[];
  passed: number;
  parsingErrors: number;
  /** checkov's command line, for messages. */
  command: string;
}

interface CheckovJsonReport {
  check_type: string;
  results: { failed_checks?: CheckovFailure[] };
  summary: { passed: number; failed: number; parsing_errors: number; checkov_version: string };
}

/**
 * checkov prints one JSON value per scanned root (`-d a -d b` gives two), each an object or, with several
 * frameworks, an array of objects. This splits the concatenated values at depth zero.
 */
export function parseCheckovJson(text: string): CheckovJsonReport[] {
  const reports: CheckovJsonReport[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        const value = JSON.parse(text.slice(start, i + 1)) as CheckovJsonReport | CheckovJsonReport[];
        reports.push(...(Array.isArray(value) ? value : [value]));
      }
    }
  }
  return reports;
}

export class CheckovRunError extends Error {}

export interface CheckovTarget {
  frameworks: readonly CheckovFramework[];
  /** Repository-relative files (`-f`), or folders (`-d`); checkov takes one kind per run. */
  files?: readonly string[];
  directories?: readonly string[];
  /** Where checkov runs; paths in its report are relative to it. Defaults to the repository root. */
  cwd?: string;
}

/**
 * Runs checkov once, offline: `--skip-download` (no Prisma Cloud guidelines or mappings), no API key, and
 * CKV_SKIP_PACKAGE_UPDATE_CHECK so it does not ask PyPI for a newer release. Exit 0 is clean, 1 is findings;
 * anything else (2 is a crash) throws with checkov's stderr.
 */
export function runCheckov(checkov: string, root: string, target: CheckovTarget): CheckovReport {
  const inputs = target.files?.length
    ? ['-f', ...target.files]
    : (target.directories ?? []).flatMap((dir) => ['-d', dir]);
  const args = [
    ...inputs,
    '--framework',
    ...target.frameworks,
    '--output',
    'json',
    '--quiet',
    '--compact',
    '--skip-download',
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true',
    LOG_LEVEL: 'ERROR',
  };
  delete env.BC_API_KEY;
  delete env.PRISMA_API_URL;
  const command = `checkov ${args.join(' ')}`;
  const result = spawnSync(checkov, args, {
    cwd: target.cwd ?? root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env,
  });
  if (result.error) throw new CheckovRunError(`${command}: ${result.error.message}`);
  if (result.status !== 0 && result.status !== 1) {
    throw new CheckovRunError(`${command} exited ${result.status}:\n${result.stderr.trim().slice(-2000)}`);
  }
  const reports = parseCheckovJson(result.stdout);
  const version = reports[0]?.summary.checkov_version ?? '';
  const seen = new Set<string>();
  const failures: CheckovFailure[] = [];
  // With several -d roots checkov may report a shared module once per root that calls it.
  for (const report of reports) {
    for (const failure of report.results.failed_checks ?? []) {
      const key = `${failure.check_id}|${failure.repo_file_path}|${failure.resource}|${failure.file_line_range.join('-')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      failures.push(failure);
    }
  }
  return {
    version,
    failures,
    passed: reports.reduce((sum, r) => sum + r.summary.passed, 0),
    parsingErrors: reports.reduce((sum, r) => sum + r.summary.parsing_errors, 0),
    command,
  };
}

/** One entry of skips.yaml: a checkov check the course does not pass on purpose, and why. */
export interface CheckovSkip {
  id: string;
  /** checkov's name for the check, as `checkov -l` prints it. */
  name: string;
  days: number[];
  /** checkov resource names (`Pod.taskboard.taskboard-test`, `on(deploy)`) it is limited to; absent: all. */
  resources?: string[];
  reason: string;
}

const CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

export function loadSkips(root: string): CheckovSkip[] {
  const doc = readYaml(root, SKIPS_FILE) as { skips?: unknown } | undefined;
  if (!doc || !Array.isArray(doc.skips)) throw new Error(`${SKIPS_FILE} must hold a "skips:" list`);
  return doc.skips.map((entry: Partial<CheckovSkip>, index) => {
    const where = `${SKIPS_FILE} skips[${index}]`;
    if (typeof entry.id !== 'string' || !CHECK_ID.test(entry.id))
      throw new Error(`${where}: id must be a checkov ID`);
    if (typeof entry.name !== 'string' || !entry.name)
      throw new Error(`${where} (${entry.id}): name is required`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 20)
      throw new Error(`${where} (${entry.id}): a reason of a sentence is required`);
    if (!Array.isArray(entry.days) || entry.days.length === 0)
      throw new Error(`${where} (${entry.id}): days must list the days it applies to`);
    return entry as CheckovSkip;
  });
}

export function skipFor(
  failure: CheckovFailure,
  skips: readonly CheckovSkip[],
  day: number,
): CheckovSkip | undefined {
  return skips.find(
    (s) =>
      s.id === failure.check_id &&
      s.days.includes(day) &&
      (!s.resources || s.resources.includes(failure.resource)),
  );
}

// The installed package, found from the checkov script's interpreter (`#!<venv>/bin/python3`), for the links
// to each check's source. checkov's `--list` links the same files, on the main branch.
export function sitePackagesOf(checkov: string): string | undefined {
  try {
    const script = realpathSync(checkov);
    const shebang = /^#!\s*(\S+)/.exec(readFileSync(script, 'utf8').slice(0, 500))?.[1];
    if (!shebang) return undefined;
    const lib = path.join(path.dirname(path.dirname(shebang)), 'lib');
    const python = readdirSync(lib).find((entry) => entry.startsWith('python3'));
    return python ? path.join(lib, python, 'site-packages') : undefined;
  } catch {
    return undefined;
  }
}

/** The package-relative source file of each check ID: `checkov/kubernetes/checks/resource/k8s/Secrets.py`. */
export function checkSources(checkov: string): Map<string, string> {
  const sources = new Map<string, string>();
  const sitePackages = sitePackagesOf(checkov);
  if (!sitePackages) return sources;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__' && entry.name !== 'tests') visit(full);
        continue;
      }
      if (!/\.(py|yaml|json)$/.test(entry.name)) continue;
      const text = readFileSync(full, 'utf8');
      // `id = "CKV_K8S_20"` (Python checks), `id: "CKV2_AZURE_1"` (YAML graph checks), `"id": "CKV2_GHA_1"` (JSON).
      for (const match of text.matchAll(/["']?\bid["']?\s*[:=]\s*["'](CKV2?_[A-Z0-9]+_\d+)["']/g))
        if (!sources.has(match[1]!)) sources.set(match[1]!, path.relative(sitePackages, full));
    }
  };
  for (const framework of ['dockerfile', 'kubernetes', 'terraform', 'github_actions']) {
    try {
      visit(path.join(sitePackages, 'checkov', framework, 'checks'));
    } catch {
      // A framework folder missing from another layout: its links fall back to the check list.
    }
  }
  return sources;
}

let cachedSources: { checkov: string; sources: Map<string, string> } | undefined;

/**
 * checkov's guideline when the report has one (never offline: it comes from the Prisma Cloud API), else the
 * check's source at the pinned release tag on GitHub, which is what `checkov -l` links (on main).
 */
export function docsLink(checkov: string, version: string, failure: CheckovFailure): string {
  if (failure.guideline) return failure.guideline;
  if (cachedSources?.checkov !== checkov) cachedSources = { checkov, sources: checkSources(checkov) };
  const source =
    cachedSources.sources.get(failure.check_id) ??
    (failure.check_class.startsWith('checkov.') && !failure.check_class.includes('.graph.')
      ? `${failure.check_class.replaceAll('.', '/')}.py`
      : undefined);
  return source
    ? `https://github.com/bridgecrewio/checkov/blob/${version}/${source}`
    : `https://github.com/bridgecrewio/checkov/tree/${version}/checkov (search for ${failure.check_id})`;
}

/** Where a failure is, for the learner: a repository file and the object or lines inside it. */
export interface CheckovPlace {
  file: string;
  object: string;
}

export function placeInFile(failure: CheckovFailure): CheckovPlace {
  const [from, to] = failure.file_line_range;
  return {
    file: failure.repo_file_path.replace(/^\/+/, ''),
    object: `${failure.resource}, lines ${from}-${to}`,
  };
}

export function toViolation(
  failure: CheckovFailure,
  place: CheckovPlace,
  docs: string,
  day: number,
): Violation {
  const keys = failure.check_result.evaluated_keys?.filter(Boolean) ?? [];
  return {
    file: place.file,
    object: place.object,
    expected: `${failure.check_id}: ${failure.check_name.trim()}`,
    actual: `checkov ${failure.check_id} FAILED on ${failure.resource}${keys.length ? ` (evaluated: ${keys.join(', ')})` : ''}`,
    fix:
      `change ${failure.resource} so that "${failure.check_name.trim()}" holds (the docs link shows what the check reads); ` +
      `if the course accepts it on purpose, add {id: ${failure.check_id}, days: [${day}], reason} to ${SKIPS_FILE}`,
    docs,
  };
}

export interface CheckovCheckOptions {
  day: number;
  /** What checkov scans, given the root being checked (the repository, or a fixture's mutated copy). */
  target: (
    root: string,
  ) => CheckovTarget & { cleanup?: () => void; place?: (f: CheckovFailure) => CheckovPlace };
  title: string;
}

/**
 * The single check of a day's checkov tier: checkov at the pinned version, every failure not in skips.yaml a
 * violation. Prints the version, the counts and the time it took, so the test output shows what ran.
 */
export function checkovCheck(checkov: () => string, options: CheckovCheckOptions): Check {
  return defineCheck(options.title, (root) => {
    const pinned = pinnedCheckovVersion(root);
    const skips = loadSkips(root);
    const target = options.target(root);
    const started = Date.now();
    let report: CheckovReport;
    try {
      report = runCheckov(checkov(), root, target);
    } finally {
      target.cleanup?.();
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const violations: Violation[] = [];
    if (report.version !== pinned) {
      violations.push({
        file: BOOTSTRAP,
        object: 'ensure_pip_tool checkov',
        expected: `checkov ${pinned}`,
        actual: `checkov ${report.version || '(no version in its report)'} at ${checkov()}`,
        fix: `bash ${BOOTSTRAP} (installs checkov ${pinned} into .tools/bin), or pip install checkov==${pinned}`,
        docs: 'README.md#prerequisites',
      });
    }
    let skipped = 0;
    for (const failure of report.failures) {
      if (skipFor(failure, skips, options.day)) {
        skipped++;
        continue;
      }
      const place = target.place?.(failure) ?? placeInFile(failure);
      violations.push(toViolation(failure, place, docsLink(checkov(), report.version, failure), options.day));
    }
    process.stderr.write(
      `ℹ checkov ${report.version} (day ${options.day}, ${target.frameworks.join(', ')}): ${report.passed} passed, ` +
        `${report.failures.length - skipped} failed, ${skipped} skipped by ${SKIPS_FILE}, ` +
        `${report.parsingErrors} parsing errors, ${seconds} s\n`,
    );
    if (report.parsingErrors > 0) {
      violations.push({
        file: target.files?.join(', ') ?? target.directories?.join(', ') ?? '.',
        object: 'checkov input',
        expected: 'every file parses',
        actual: `${report.parsingErrors} file(s) checkov could not parse`,
        fix: `run: ${report.command} (without --quiet) to see which`,
        docs: 'README.md',
      });
    }
    return violations;
  });
}

/** A set of rendered objects (one kustomize build or one helm template), labelled for messages. */
export interface RenderedSet {
  /** `kubectl kustomize day2-k8s/base`, `helm template -f day3-helm/environments/dev.yaml`. */
  label: string;
  objects: readonly Rendered[];
}

/**
 * Writes each rendered set to its own YAML file in a temporary folder, for checkov's kubernetes framework, and
 * maps a failure's line range back to the object and the file the learner edits.
 */
export function renderedTarget(sets: readonly RenderedSet[]): CheckovTarget & {
  cleanup: () => void;
  place: (failure: CheckovFailure) => CheckovPlace;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'checkov-rendered-'));
  const index: { file: string; from: number; to: number; set: RenderedSet; rendered: Rendered }[] = [];
  const files = sets.map((set, n) => {
    const file = `render-${n + 1}.yaml`;
    let line = 1;
    const docs = set.objects.map((rendered) => {
      const text = stringify(rendered.obj, { lineWidth: 0 });
      const lines = text.split('\n').length - 1;
      // Each document is preceded by its `---` line.
      index.push({ file, from: line + 1, to: line + lines, set, rendered });
      line += lines + 1;
      return `---\n${text}`;
    });
    writeFileSync(path.join(dir, file), docs.join(''));
    return file;
  });
  return {
    frameworks: ['kubernetes'],
    files,
    cwd: dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    place: (failure) => {
      const file = path.basename(failure.repo_file_path);
      const start = failure.file_line_range[0];
      const hit = index.find((entry) => entry.file === file && start >= entry.from && start <= entry.to);
      if (!hit) return { file: failure.repo_file_path, object: failure.resource };
      const { obj } = hit.rendered;
      return {
        file: hit.rendered.file,
        object: `${obj.kind}/${obj.metadata?.name ?? '?'} as rendered by ${hit.set.label}`,
      };
    },
  };
}
