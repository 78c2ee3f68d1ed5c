import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Violation } from '../check';
import { readYaml } from '../files';
import { isRecord, objectRef, type Rendered } from './types';

/*
 * kube-score (github.com/zegl/kube-score), the real tool, over every object a day renders. Its findings are
 * attributed back to the file the learner edits (the Rendered's origin), in verify's where / expected / found /
 * fix / docs form. The checks the course deliberately leaves off live in one file, shared/verify/kube-score.yaml,
 * each with its reason.
 */

/** The version scripts/bootstrap-tools.sh builds (`go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0`). */
export const KUBE_SCORE_VERSION = '1.20.0';
export const KUBE_SCORE_CONFIG = 'shared/verify/kube-score.yaml';

const docsBase = `https://github.com/zegl/kube-score/blob/v${KUBE_SCORE_VERSION}`;

/** Each check's documentation at that version: probes and security contexts have their own page. */
export function kubeScoreDocs(checkId: string): string {
  if (checkId.startsWith('pod-probes')) return `${docsBase}/README_PROBES.md`;
  if (checkId.startsWith('container-security-context')) return `${docsBase}/README_SECURITYCONTEXT.md`;
  return `${docsBase}/README_CHECKS.md`;
}

interface ConfiguredTest {
  test: string;
  reason: string;
}

/**
 * A test left off. With neither `objects` nor `renders` it is passed as `--ignore-test`; with either, kube-score
 * runs it and only its findings on those objects (`Kind/name`), or in renders whose command names one of those
 * files, are dropped, so the test still guards everything else.
 */
export interface IgnoredTest extends ConfiguredTest {
  objects?: string[];
  renders?: string[];
}

export interface KubeScoreConfig {
  ignore: IgnoredTest[];
  /** Passed as `--enable-optional-test` (flag names from cmd/kube-score/main.go at v1.20.0). */
  enableOptional: ConfiguredTest[];
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : undefined;

export function loadKubeScoreConfig(root: string): KubeScoreConfig {
  const raw = readYaml(root, KUBE_SCORE_CONFIG);
  const list = (key: string): IgnoredTest[] => {
    const value = isRecord(raw) ? raw[key] : undefined;
    if (!Array.isArray(value)) return [];
    return value.map((entry, i) => {
      if (
        !isRecord(entry) ||
        typeof entry.test !== 'string' ||
        typeof entry.reason !== 'string' ||
        !entry.reason
      )
        throw new Error(`${KUBE_SCORE_CONFIG}: ${key}[${i}] needs a test and a reason`);
      return {
        test: entry.test,
        reason: entry.reason,
        objects: strings(entry.objects),
        renders: strings(entry.renders),
      };
    });
  };
  return { ignore: list('ignore'), enableOptional: list('enableOptional') };
}

const isScoped = (t: IgnoredTest) => t.objects !== undefined || t.renders !== undefined;

/** Whether a scoped ignore entry drops this finding. */
function droppedBy(t: IgnoredTest, checkId: string, object: string, render: string): boolean {
  if (!isScoped(t) || t.test !== checkId) return false;
  if (t.objects && !t.objects.includes(object)) return false;
  if (t.renders && !t.renders.some((file) => render.includes(file))) return false;
  return true;
}

/**
 * The lowest Kubernetes minor the course targets (pins.yaml), as kube-score's `--kubernetes-version vN.NN`:
 * an API version kube-score recommends for it exists in every targeted minor.
 */
export function kubernetesMinors(root: string): string[] {
  const pins = readYaml(root, 'pins.yaml');
  const minors = isRecord(pins) && isRecord(pins.kubernetes) ? pins.kubernetes.minors : undefined;
  if (!Array.isArray(minors) || minors.length === 0)
    throw new Error('pins.yaml: kubernetes.minors is missing');
  return minors.map(String).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

export function kubeScoreArgs(config: KubeScoreConfig, kubernetesMinor: string): string[] {
  return [
    'score',
    '--output-format',
    'json',
    '--kubernetes-version',
    `v${kubernetesMinor}`,
    ...config.ignore.filter((t) => !isScoped(t)).flatMap((t) => ['--ignore-test', t.test]),
    ...config.enableOptional.flatMap((t) => ['--enable-optional-test', t.test]),
  ];
}

/** kube-score's JSON output, version v2 (renderer/json_v2 at v1.20.0); only the fields read here. */
interface ScoredObject {
  type_meta: { kind?: string; apiVersion?: string };
  object_meta: { name?: string; namespace?: string };
  checks: {
    check: { name: string; id: string; comment: string };
    grade: number;
    skipped: boolean;
    comments: { path: string; summary: string; description: string }[] | null;
  }[];
}

// scorecard.Grade at v1.20.0: Critical 1, Warning 5, AlmostOK 7, AllOK 10. Warnings count as failures too.
const GRADE_ALL_OK = 10;
const GRADE_NAMES: Record<number, string> = { 1: 'CRITICAL', 5: 'WARNING', 7: 'ALMOST OK' };

export interface KubeScoreRun {
  violations: Violation[];
  /** The command a learner runs to see the same result. */
  command: string;
}

function runTool(tool: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return {
    status: result.status ?? 1,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
  };
}

/** The version `kube-score version` prints (`kube-score version: 1.20.0, commit: ...`). */
export function kubeScoreVersion(kubeScore: string): string {
  const out = runTool(kubeScore, ['version']);
  return /version: v?(\S+?),/.exec(out.stdout)?.[1] ?? out.stdout.trim();
}

const key = (kind: string | undefined, namespace: string | undefined, name: string | undefined) =>
  `${kind ?? ''}/${namespace || 'default'}/${name ?? ''}`;

/**
 * Runs kube-score over the objects and returns one violation per failing check comment. `render` is the command
 * that produced them, matched against the config's `renders:`.
 */
export function runKubeScore(
  kubeScore: string,
  objects: Rendered[],
  config: KubeScoreConfig,
  kubernetesMinor: string,
  render = '',
): KubeScoreRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-score-'));
  const input = path.join(dir, 'rendered.yaml');
  const args = [...kubeScoreArgs(config, kubernetesMinor), input];
  const command = `kube-score ${args.slice(0, -1).join(' ')} <rendered objects>`;
  try {
    writeFileSync(input, objects.map((r) => stringify(r.obj)).join('---\n'));
    // Exit status 1 means "a critical finding", which the JSON lists; only unreadable output is an error.
    const out = runTool(kubeScore, args);
    let scored: ScoredObject[];
    try {
      scored = (JSON.parse(out.stdout || 'null') as ScoredObject[] | null) ?? [];
    } catch {
      throw new Error(
        `${command} did not print JSON (exit ${out.status}): ${out.stderr.trim() || out.stdout}`,
      );
    }
    const byKey = new Map(
      objects.map((r) => [key(r.obj.kind, r.obj.metadata.namespace, r.obj.metadata.name), r]),
    );
    const violations: Violation[] = [];
    for (const object of scored) {
      const source = byKey.get(
        key(object.type_meta.kind, object.object_meta.namespace, object.object_meta.name),
      );
      const file = source?.file ?? '(rendered output)';
      const ref = source
        ? objectRef(source.obj)
        : `${object.type_meta.kind ?? '?'}/${object.object_meta.name ?? '?'}`;
      for (const test of object.checks ?? []) {
        if (test.skipped || test.grade >= GRADE_ALL_OK) continue;
        const kindName = `${object.type_meta.kind ?? ''}/${object.object_meta.name ?? ''}`;
        if (config.ignore.some((t) => droppedBy(t, test.check.id, kindName, render))) continue;
        const grade = GRADE_NAMES[test.grade] ?? `grade ${test.grade}`;
        const comments = test.comments?.length
          ? test.comments
          : [{ path: '', summary: test.check.comment, description: '' }];
        for (const comment of comments) {
          violations.push({
            file,
            object: comment.path ? `${ref}, container "${comment.path}"` : ref,
            expected: `kube-score ${test.check.id} ("${test.check.name}") to pass`,
            actual: `${grade}: ${comment.summary}`,
            fix:
              comment.description ||
              `see the ${test.check.id} documentation, or list it under ignore: in ${KUBE_SCORE_CONFIG} with a reason`,
            docs: kubeScoreDocs(test.check.id),
          });
        }
      }
    }
    return { violations, command };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
