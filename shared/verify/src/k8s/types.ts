import type { Violation } from '../check';

/** The parts of a Kubernetes object every validator relies on; the rest is reached through `unknown`. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A rendered object and the source file it came from (kustomize origin annotation, chart template, or file). */
export interface Rendered {
  obj: K8sObject;
  /** Repository-relative file the learner edits to fix a finding. */
  file: string;
}

/**
 * One broken rule on one object. Pure data, so days 2, 3, 4 and 7 share the validators and only differ in how
 * they render (kustomize, helm template) and which README section they point at.
 */
export interface Finding {
  /** Rule id, naming in plain words what the rule guards, e.g. `run-as-non-root`. */
  rule: string;
  file: string;
  /** `Deployment/api` (namespaced objects get `ns/`), as `kubectl get` would name it. */
  object: string;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].imagePullPolicy`; `` for the object. */
  path: string;
  expected: string;
  actual: string;
  fix: string;
}

export function objectRef(obj: K8sObject): string {
  const ns = obj.metadata?.namespace;
  return `${ns ? `${ns}/` : ''}${obj.kind}/${obj.metadata?.name ?? '(no name)'}`;
}

export function finding(
  r: Rendered,
  rule: string,
  path: string,
  details: Pick<Finding, 'expected' | 'actual' | 'fix'>,
): Finding {
  return { rule, file: r.file, object: objectRef(r.obj), path, ...details };
}

/** Adapts a finding to the toolkit's Violation, so `defineCheck` / `assertCheck` report it like every other check. */
export function toViolation(f: Finding, docs: string): Violation {
  return {
    file: f.file,
    object: f.path ? `${f.object} at ${f.path}` : f.object,
    expected: f.expected,
    actual: f.actual,
    fix: f.fix,
    docs,
  };
}

/** One line per finding, for logs and snapshot-free assertions in fixture tests. */
export function formatFinding(f: Finding): string {
  const where = f.path ? `${f.file} ${f.object} ${f.path}` : `${f.file} ${f.object}`;
  return `[${f.rule}] ${where}: expected ${f.expected}; found ${f.actual}. Fix: ${f.fix}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a nested value without trusting the shape of the object (schema errors are reported elsewhere). */
export function get(value: unknown, ...keys: (string | number)[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asStringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing (the field is absent)';
  return JSON.stringify(value);
}
