import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { Violation } from '../check';
import { objectRef, type Rendered } from './types';

/*
 * kubernetes-validate (PyPI, github.com/willthames/kubernetes-validate), the real Kubernetes OpenAPI of each
 * targeted minor, converted to JSON Schema and shipped inside the package (kubernetes-json-schema/v1.35.0-local-strict
 * and so on), so it runs offline. `--strict` rejects unknown fields. Custom resources have no schema there; they
 * are skipped here, by kind, and listed, because the CRD schemas are checked elsewhere.
 */

/** The version scripts/bootstrap-tools.sh installs (`pip install kubernetes-validate==1.37.0`). */
export const KUBERNETES_VALIDATE_VERSION = '1.37.0';
const docs = 'https://kubernetes.io/docs/reference/kubernetes-api/';

function run(tool: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return {
    status: result.status ?? 1,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
  };
}

/** `kubernetes-validate --version` prints the bare version (argparse's version action). */
export function kubernetesValidateVersion(tool: string): string {
  return run(tool, ['--version']).stdout.trim();
}

/**
 * The schema file names the package ships for a minor (`deployment-apps-v1.json`), read through the tool's own
 * Python (the console script's shebang), so a pipx or venv install both work.
 */
export function schemaNames(tool: string, minor: string): string[] {
  const script = realpathSync(tool);
  const python = /^#!(\S+)/.exec(readFileSync(script, 'utf8').split('\n')[0] ?? '')?.[1];
  if (!python) throw new Error(`${script} is not a Python console script (no #! line)`);
  const listing = run(python, [
    '-c',
    'import sys, importlib.resources as r; ' +
      "d = r.files('kubernetes_validate').joinpath('kubernetes-json-schema', 'v' + sys.argv[1] + '.0-local-strict'); " +
      "print('\\n'.join(sorted(p.name for p in d.iterdir())))",
    minor,
  ]);
  if (listing.status !== 0 || !listing.stdout.trim())
    throw new Error(
      `kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} ships no schemas for Kubernetes ${minor}: ${listing.stderr.trim()}`,
    );
  return listing.stdout.trim().split('\n');
}

/**
 * A custom resource: its kind has no schema in the package at any API version, or its API group is neither the
 * core group, a group without a dot (apps, batch, policy) nor a `*.k8s.io` group. A built-in kind under a wrong
 * apiVersion (`apps/v2`) is not skipped: the tool then reports the missing schema, which is an error.
 */
export function isCustomResource(r: Rendered, schemas: readonly string[]): boolean {
  const kind = r.obj.kind.toLowerCase();
  if (!schemas.some((name) => name.startsWith(`${kind}-`))) return true;
  const group = r.obj.apiVersion.includes('/') ? (r.obj.apiVersion.split('/')[0] ?? '') : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
}

export interface KubernetesValidateRun {
  violations: Violation[];
  /** `Kind (apiVersion)` of the custom resources skipped, for the output. */
  skippedKinds: string[];
  validated: number;
}

// validate_resource() in kubernetes_validate/utils.py at 1.37.0 prints these three forms.
const ERROR_LINE = /^ERROR (\S+) did not validate for resource (\S+) against version (\S+): ([^:]*): (.*)$/;
const WARN_LINE = /^WARN (\S+) (.*)$/;
const OTHER_LINE = /^(ERROR|FATAL) (\S+)? ?(.*)$/;

function fixFor(message: string): string {
  const unexpected = /\('([^']+)' was unexpected\)|'([^']+)' was unexpected/.exec(message);
  if (unexpected)
    return `remove or rename "${unexpected[1] ?? unexpected[2]}": the Kubernetes API has no such field there`;
  if (/is not of type 'integer'/.test(message)) return 'write the number without quotes';
  if (/is not of type/.test(message)) return 'give the field the type the Kubernetes API reference names';
  if (/is a required property/.test(message)) return 'add the required field';
  return 'fix the field as the Kubernetes API reference for this kind describes it';
}

const acceptedBy = (minors: string[]) =>
  `an object the Kubernetes ${minors.join(', ')} API accepts (kubernetes-validate --strict)`;

/**
 * Validates every built-in object against each minor in `minors`, strictly; one call to the tool, one file per
 * object, so each message maps back to its object and the file the learner edits.
 */
export function runKubernetesValidate(
  tool: string,
  objects: Rendered[],
  minors: readonly string[],
): KubernetesValidateRun {
  const schemas = new Set(minors.flatMap((minor) => schemaNames(tool, minor)));
  const builtIn = objects.filter((r) => !isCustomResource(r, [...schemas]));
  const skippedKinds = [
    ...new Set(objects.filter((r) => !builtIn.includes(r)).map((r) => `${r.obj.kind} (${r.obj.apiVersion})`)),
  ].sort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubernetes-validate-'));
  try {
    const files = builtIn.map((r, i) => {
      const file = path.join(dir, `${i}.yaml`);
      writeFileSync(file, stringify(r.obj));
      return file;
    });
    const byFile = new Map(files.map((file, i) => [file, builtIn[i] as Rendered]));
    const violations: Violation[] = [];
    const byMessage = new Map<string, { minors: string[]; violation: Violation }>();
    if (files.length > 0) {
      const out = run(tool, ['--strict', '--quiet', ...minors.flatMap((m) => ['-k', m]), ...files]);
      for (const line of out.stdout.split('\n').filter(Boolean)) {
        const error = ERROR_LINE.exec(line);
        const warn = error ? null : WARN_LINE.exec(line);
        const other = error || warn ? null : OTHER_LINE.exec(line);
        const file = error?.[1] ?? (warn ? warn[1] : other ? other[2] : undefined);
        const source = file ? byFile.get(file) : undefined;
        const where = source ? { file: source.file, object: objectRef(source.obj) } : undefined;
        if (error) {
          const [, , , minor = '', fieldPath, message = line] = error;
          const object = `${where?.object ?? error[2]}${fieldPath ? ` at ${fieldPath}` : ''}`;
          // The same error under several minors is one violation that names them all.
          const key = `${where?.file}|${object}|${message}`;
          const seen = byMessage.get(key);
          if (seen) {
            seen.minors.push(minor);
            seen.violation.expected = acceptedBy(seen.minors);
            continue;
          }
          const violation: Violation = {
            file: where?.file ?? '(rendered output)',
            object,
            expected: acceptedBy([minor]),
            actual: message,
            fix: fixFor(message),
            docs,
          };
          byMessage.set(key, { minors: [minor], violation });
          violations.push(violation);
        } else if (warn || other) {
          // A built-in kind without a schema (a wrong apiVersion), or an object the tool could not read.
          const actual = ((warn ? warn[2] : other?.[3]) ?? line).replace(/ for kubernetes version \S+$/, '');
          const key = `${where?.file}|${where?.object}|${actual}`;
          if (byMessage.has(key)) continue;
          const violation: Violation = {
            file: where?.file ?? '(rendered output)',
            object: where?.object ?? 'rendered objects',
            expected: `a kind and apiVersion the Kubernetes ${minors.join(', ')} API serves`,
            actual,
            fix: 'use the apiVersion the Kubernetes API reference gives for this kind (e.g. apps/v1 for a Deployment)',
            docs,
          };
          byMessage.set(key, { minors: [...minors], violation });
          violations.push(violation);
        }
      }
      if (out.status !== 0 && violations.length === 0)
        throw new Error(
          `kubernetes-validate exited ${out.status} without a finding: ${out.stderr.trim() || out.stdout}`,
        );
    }
    return { violations, skippedKinds, validated: builtIn.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
