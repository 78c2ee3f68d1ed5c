import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readYaml } from '@taskboard/verify/src/files';
import { isRecord, parseHelmTemplate, RenderError, type Rendered } from '@taskboard/verify/src/k8s';

/*
 * The real helm, run against `<root>/day3-helm/charts/taskboard`, so the fixture tests can point every check
 * at a mutated copy of the repository. Renders are cached per root and arguments: one `helm template` per
 * scenario per run, however many checks read it.
 */

export const DAY = 'day3-helm';
export const CHART = `${DAY}/charts/taskboard`;
export const RELEASE = 'taskboard';
export const NAMESPACE = 'taskboard';

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
  command: string;
}

let helmHome: string | undefined;

export function runHelm(helm: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): HelmResult {
  // Static checks need no kube context or repository cache: keep helm away from the user's ~/.config and ~/.kube.
  helmHome ??= mkdtempSync(path.join(os.tmpdir(), 'helm-verify-'));
  const result = spawnSync(helm, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
      KUBECONFIG: path.join(helmHome, 'no-kubeconfig'),
      ...env,
    },
  });
  return {
    status: result.status ?? 1,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
    command: `helm ${args.join(' ')}`,
  };
}

/** What to render: repository-relative values files (layered in order) and `--set` expressions. */
export interface RenderRequest {
  valuesFiles?: readonly string[];
  set?: readonly string[];
}

function valuesArgs(request: RenderRequest): string[] {
  return [
    ...(request.valuesFiles ?? []).flatMap((file) => ['-f', file]),
    ...(request.set ?? []).flatMap((expression) => ['--set', expression]),
  ];
}

export function describeRequest(request: RenderRequest): string {
  return valuesArgs(request).join(' ') || '(chart defaults)';
}

const renders = new Map<string, Rendered[] | RenderError>();

/** `helm template` of the chart, parsed and attributed to templates; throws RenderError with helm's stderr. */
export function helmTemplate(helm: string, root: string, request: RenderRequest = {}): Rendered[] {
  const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE, ...valuesArgs(request)];
  const key = `${root}|${args.join(' ')}`;
  let result = renders.get(key);
  if (!result) {
    const run = runHelm(helm, args, root);
    result =
      run.status === 0 ? parseHelmTemplate(run.stdout, CHART) : new RenderError(run.command, run.stderr);
    renders.set(key, result);
  }
  if (result instanceof RenderError) throw result;
  return result;
}

/** `helm lint --strict` with the given values; the output lists every schema and template error. */
export function helmLint(helm: string, root: string, request: RenderRequest = {}): HelmResult {
  return runHelm(helm, ['lint', '--strict', CHART, ...valuesArgs(request)], root);
}

/** The error lines of a helm run, without the INFO chatter. */
export function helmErrors(result: HelmResult): string {
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter((line) => /\[ERROR\]|^Error|^\s*- at /.test(line))
    .join('\n')
    .trim();
}

export interface Scenario {
  /** `minimal` for ci/minimal-values.yaml. */
  name: string;
  /** Repository-relative values file. */
  file: string;
}

/** The ci/*-values.yaml scenarios (after prometheus-community's ci/ folders). */
export function scenarios(root: string): Scenario[] {
  const dir = `${CHART}/ci`;
  return readdirSync(path.join(root, dir))
    .filter((file) => file.endsWith('-values.yaml'))
    .sort()
    .map((file) => ({ name: file.replace(/-values\.yaml$/, ''), file: `${dir}/${file}` }));
}

/** Helm's coalescing of values files: maps merge key by key, a null removes the key, anything else replaces. */
export function mergeValues(base: unknown, overlay: unknown): unknown {
  if (!isRecord(base) || !isRecord(overlay)) return overlay === undefined ? base : overlay;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = mergeValues(base[key], value);
  }
  return out;
}

/** The values a render sees: the chart's values.yaml, then each values file (not `--set`). */
export function effectiveValues(root: string, request: RenderRequest): Record<string, unknown> {
  let values = readYaml(root, `${CHART}/values.yaml`);
  for (const file of request.valuesFiles ?? []) values = mergeValues(values, readYaml(root, file) ?? {});
  return isRecord(values) ? values : {};
}
