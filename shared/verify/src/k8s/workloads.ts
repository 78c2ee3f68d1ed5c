import { asArray, asStringMap, get, isRecord, type Rendered } from './types';

/** A pod template inside a workload, with the path that reaches it (for findings). */
export interface PodTemplate {
  r: Rendered;
  /** `spec.template.spec` for a Deployment, `spec` for a bare Pod. */
  specPath: string;
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  namespace: string;
  /** Deployments, StatefulSets, DaemonSets run forever and need probes; Jobs run to completion. */
  longRunning: boolean;
}

export interface ContainerRef {
  pod: PodTemplate;
  path: string;
  name: string;
  container: Record<string, unknown>;
  init: boolean;
}

const templatePaths: Record<string, { path: string[]; longRunning: boolean }> = {
  Deployment: { path: ['spec', 'template'], longRunning: true },
  StatefulSet: { path: ['spec', 'template'], longRunning: true },
  DaemonSet: { path: ['spec', 'template'], longRunning: true },
  ReplicaSet: { path: ['spec', 'template'], longRunning: true },
  Job: { path: ['spec', 'template'], longRunning: false },
  CronJob: { path: ['spec', 'jobTemplate', 'spec', 'template'], longRunning: false },
};

export function podTemplates(objects: Rendered[], defaultNamespace = 'default'): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const r of objects) {
    const namespace = r.obj.metadata?.namespace ?? defaultNamespace;
    if (r.obj.kind === 'Pod' && isRecord(r.obj.spec)) {
      out.push({
        r,
        specPath: 'spec',
        spec: r.obj.spec,
        labels: asStringMap(r.obj.metadata.labels),
        namespace,
        longRunning: true,
      });
      continue;
    }
    const where = templatePaths[r.obj.kind];
    if (!where) continue;
    const template = get(r.obj, ...where.path);
    const spec = get(template, 'spec');
    if (!isRecord(spec)) continue;
    out.push({
      r,
      specPath: `${where.path.join('.')}.spec`,
      spec,
      labels: asStringMap(get(template, 'metadata', 'labels')),
      namespace,
      longRunning: where.longRunning,
    });
  }
  return out;
}

export function containersOf(pod: PodTemplate, includeInit = true): ContainerRef[] {
  const out: ContainerRef[] = [];
  const lists: [string, boolean][] = [['containers', false]];
  if (includeInit) lists.push(['initContainers', true]);
  for (const [list, init] of lists) {
    asArray(pod.spec[list]).forEach((container, i) => {
      if (!isRecord(container)) return;
      out.push({
        pod,
        path: `${pod.specPath}.${list}[${i}]`,
        name: typeof container.name === 'string' ? container.name : `#${i}`,
        container,
        init,
      });
    });
  }
  return out;
}

/** Kubernetes label selector semantics (matchLabels AND matchExpressions); an empty selector matches everything. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return false;
  for (const [key, value] of Object.entries(asStringMap(selector.matchLabels)))
    if (labels[key] !== value) return false;
  for (const expression of asArray(selector.matchExpressions)) {
    if (!isRecord(expression) || typeof expression.key !== 'string') return false;
    const values = asArray(expression.values).filter((v): v is string => typeof v === 'string');
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(value!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service-style selector: a plain map, every pair must match. An empty map selects nothing (no endpoints). */
export function mapSelectorMatches(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  const pairs = Object.entries(selector);
  return pairs.length > 0 && pairs.every(([key, value]) => labels[key] === value);
}
