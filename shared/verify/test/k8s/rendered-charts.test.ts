import {
  checkEnvReferences,
  checkPdbAllowsEviction,
  checkServiceMonitorTargets,
  generatedSecrets,
  kubernetesSchemas,
  validateSchema,
  withCourseCrds,
  type K8sObject,
  type Rendered,
} from '../../src/k8s';

// The generalisations made for rendered Helm charts (day 3): CRD schemas for CloudNativePG and the Prometheus
// Operator, Secrets written by operators or created outside the chart, ServiceMonitor ports, HPA-owned replicas.

const rendered = (obj: object, file = 'chart/templates/x.yaml'): Rendered => ({
  obj: obj as K8sObject,
  file,
});
const schemas = withCourseCrds(kubernetesSchemas());

const cluster = (spec: object) =>
  rendered({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'db', namespace: 'ns' },
    spec,
  });

const deployment = (env: object[], extra: object = {}) =>
  rendered({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'ns', labels: { app: 'api' } },
    spec: {
      ...extra,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'api:1.0.0', env }] },
      },
    },
  });

const service = (ports: object[]) =>
  rendered({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'ns', labels: { app: 'api' } },
    spec: { selector: { app: 'api' }, ports },
  });

const serviceMonitor = (endpoints: object[], matchLabels: object = { app: 'api' }) =>
  rendered({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'api', namespace: 'ns' },
    spec: { selector: { matchLabels }, endpoints },
  });

describe('CRD schemas for rendered charts', () => {
  it('accepts a CloudNativePG Cluster as the chart renders it', () => {
    const findings = validateSchema(
      [
        cluster({
          instances: 1,
          bootstrap: { initdb: { database: 'app', owner: 'app' } },
          storage: { size: '1Gi' },
          resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: 1, memory: '512Mi' } },
          monitoring: { enablePodMonitor: false },
        }),
      ],
      schemas,
    );
    expect(findings).toEqual([]);
  });

  it('reports a misspelled Cluster field and a missing instances count', () => {
    const findings = validateSchema([cluster({ storage: { sizee: '1Gi' } })], schemas);
    expect(findings.map((f) => f.path)).toEqual(
      expect.arrayContaining(['spec.instances', 'spec.storage.sizee']),
    );
  });

  it('accepts a ServiceMonitor and rejects an unknown scheme', () => {
    expect(
      validateSchema([serviceMonitor([{ port: 'http', path: '/metrics', interval: '30s' }])], schemas),
    ).toEqual([]);
    const findings = validateSchema([serviceMonitor([{ port: 'http', scheme: 'ftp' }])], schemas);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'schema-enum', path: 'spec.endpoints[0].scheme' }),
    ]);
  });
});

describe('checkEnvReferences with Secrets the chart does not render', () => {
  const password = (name: string, key = 'password') => [
    { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name, key } } },
  ];

  it('knows the <cluster>-app Secret CloudNativePG writes, and its keys', () => {
    const objects = [cluster({ instances: 1 }), deployment(password('db-app'))];
    expect(generatedSecrets(objects).map((s) => s.name)).toEqual(['db-app']);
    expect(checkEnvReferences(objects)).toEqual([]);
    const wrongKey = checkEnvReferences([cluster({ instances: 1 }), deployment(password('db-app', 'pass'))]);
    expect(wrongKey).toEqual([
      expect.objectContaining({
        path: 'spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.key',
        actual: '"pass"',
      }),
    ]);
  });

  it('accepts an existingSecret only when the caller names it', () => {
    const objects = [deployment(password('db-credentials'))];
    expect(checkEnvReferences(objects)).toHaveLength(1);
    expect(
      checkEnvReferences(objects, {
        external: [{ name: 'db-credentials', namespace: 'ns', keys: ['password'], from: 'existingSecret' }],
      }),
    ).toEqual([]);
  });
});

describe('checkServiceMonitorTargets', () => {
  it('passes when the endpoint names a port of the selected Service', () => {
    expect(
      checkServiceMonitorTargets([
        service([{ name: 'http', port: 3000 }]),
        serviceMonitor([{ port: 'http' }]),
      ]),
    ).toEqual([]);
  });

  it('reports an endpoint port name the Service does not declare', () => {
    const findings = checkServiceMonitorTargets([
      service([{ name: 'http', port: 3000 }]),
      serviceMonitor([{ port: 'metrics' }]),
    ]);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'servicemonitor-port',
        path: 'spec.endpoints[0].port',
        actual: '"metrics"',
      }),
    ]);
  });

  it('reports a selector that matches no Service', () => {
    const findings = checkServiceMonitorTargets([
      service([{ name: 'http', port: 3000 }]),
      serviceMonitor([{ port: 'http' }], { app: 'web' }),
    ]);
    expect(findings).toEqual([expect.objectContaining({ rule: 'servicemonitor-targets-service' })]);
  });
});

describe('PodDisruptionBudget eviction with a HorizontalPodAutoscaler', () => {
  const hpa = (minReplicas: number) =>
    rendered({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'ns' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicas,
        maxReplicas: 5,
      },
    });

  // Too few replicas, fixed or through the HPA, is kube-score's deployment-replicas and
  // horizontalpodautoscaler-replicas now (real-tools.test.ts); what stays here is the eviction arithmetic.
  it('judges a PDB minAvailable against the HPA minimum', () => {
    const pdb = rendered({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'api', namespace: 'ns' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'api' } } },
    });
    expect(checkPdbAllowsEviction([deployment([]), hpa(2), pdb], 'Deployment', 'api')).toEqual([
      expect.objectContaining({ rule: 'pdb-blocks-eviction' }),
    ]);
    expect(checkPdbAllowsEviction([deployment([]), hpa(3), pdb], 'Deployment', 'api')).toEqual([]);
  });
});
