import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { kindKey, type FieldSpec, type SchemaSet, type TypeMap } from './typemap';

/*
 * Strict Kubernetes schemas, offline. @kubernetes/client-node is generated from one Kubernetes release's OpenAPI
 * document; each model file carries that version, its field list (attributeTypeMap, plain JSON) and, in the
 * .d.ts beside it, which fields are required (`'name': string` vs `'name'?: string`). We read those files as
 * data rather than importing the package: it is ESM-only and pulls in a network client we do not need.
 * kubernetes-models' validators were not enough: they accept unknown fields, so `imagePullPolicyy` passes.
 */

function findPackageDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@kubernetes', 'client-node');
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error('@kubernetes/client-node is not installed: run `npm ci` at the repository root');
    }
  }
}

const attributeMapPattern = /^(\w+)\.attributeTypeMap = (\[[\s\S]*?\n\]);/m;
const fieldLinePattern = /^ {4}'([^']+)'(\?)?: /gm;
const specVersionPattern = /OpenAPI spec version: (v[\d.]+)/;

/** Core API groups whose kinds map to `V<version><Kind>` model names in client-node. */
const groups = [
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'node.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'certificates.k8s.io',
];
const topLevelKinds: Record<string, string[]> = {
  '': [
    'ConfigMap',
    'Secret',
    'Service',
    'ServiceAccount',
    'Namespace',
    'Pod',
    'PersistentVolumeClaim',
    'PersistentVolume',
    'LimitRange',
    'ResourceQuota',
    'Endpoints',
  ],
  apps: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  batch: ['Job', 'CronJob'],
  autoscaling: ['HorizontalPodAutoscaler'],
  policy: ['PodDisruptionBudget'],
  'networking.k8s.io': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'rbac.authorization.k8s.io': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver'],
  'scheduling.k8s.io': ['PriorityClass'],
  'node.k8s.io': ['RuntimeClass'],
  'coordination.k8s.io': ['Lease'],
  'discovery.k8s.io': ['EndpointSlice'],
  'admissionregistration.k8s.io': ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'certificates.k8s.io': ['CertificateSigningRequest'],
};

/**
 * client-node types enums as plain strings. These closed sets (from the API reference) are the ones a typo in
 * a course manifest is likely to hit; the API server rejects any other value.
 */
const coreEnums: Record<string, Record<string, readonly string[]>> = {
  V1Container: { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'] },
  V1PodSpec: { restartPolicy: ['Always', 'OnFailure', 'Never'] },
  V1ContainerPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  V1ServicePort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  V1NetworkPolicyPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  V1ServiceSpec: { type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
  V1HTTPIngressPath: { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  V1DeploymentStrategy: { type: ['RollingUpdate', 'Recreate'] },
  V1TopologySpreadConstraint: { whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'] },
  V1SeccompProfile: { type: ['RuntimeDefault', 'Localhost', 'Unconfined'] },
};

let cached: SchemaSet | undefined;

/** Loads every model once per process (about 2,500 small files; well under a second). */
export function kubernetesSchemas(from: string = __dirname): SchemaSet {
  if (cached) return cached;
  const pkgDir = findPackageDir(from);
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const modelsDir = path.join(pkgDir, 'dist', 'gen', 'models');
  const types: TypeMap = {};
  let k8sVersion = 'unknown';
  for (const entry of readdirSync(modelsDir)) {
    if (!entry.endsWith('.js')) continue;
    const source = readFileSync(path.join(modelsDir, entry), 'utf8');
    const match = attributeMapPattern.exec(source);
    if (!match?.[1] || !match[2]) continue;
    if (k8sVersion === 'unknown') k8sVersion = specVersionPattern.exec(source)?.[1] ?? k8sVersion;
    const attributes = JSON.parse(match[2]) as { baseName: string; type: string; format: string }[];
    const required = new Set<string>();
    const dts = path.join(modelsDir, entry.replace(/\.js$/, '.d.ts'));
    if (existsSync(dts)) {
      for (const field of readFileSync(dts, 'utf8').matchAll(fieldLinePattern)) {
        if (field[1] && field[2] !== '?') required.add(field[1]);
      }
    }
    const fields: Record<string, FieldSpec> = {};
    for (const a of attributes) {
      fields[a.baseName] = { type: a.type, format: a.format, required: required.has(a.baseName) };
    }
    types[match[1]] = { fields };
  }

  for (const [model, fields] of Object.entries(coreEnums)) {
    for (const [field, values] of Object.entries(fields)) {
      const spec = types[model]?.fields[field];
      if (spec) spec.enum = values;
    }
  }

  const kinds: Record<string, string> = {};
  for (const group of groups) {
    for (const kind of topLevelKinds[group] ?? []) {
      for (const version of ['v1', 'v2', 'v1beta1', 'v2beta2']) {
        const model = `V${version.slice(1)}${kind}`;
        if (types[model]?.fields.apiVersion && types[model]?.fields.kind) {
          kinds[kindKey(group ? `${group}/${version}` : version, kind)] = model;
        }
      }
    }
  }
  // `V1Event` etc. are fine, but autoscaling/v2 HPA lives in `V2HorizontalPodAutoscaler`: covered by the loop.
  cached = { source: `Kubernetes ${k8sVersion} (@kubernetes/client-node ${pkg.version})`, types, kinds };
  return cached;
}
