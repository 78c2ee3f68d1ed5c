import { configSpec } from '@taskboard/api/src/config';
import { defineCheck, type Check } from '@taskboard/verify/src/check';
import { readText } from '@taskboard/verify/src/files';
import {
  asArray,
  asStringMap,
  checkServiceMonitorTargets,
  courseKubernetesRules,
  finding,
  get,
  kubernetesSchemas,
  selectorMatches,
  toViolation,
  validateSchema,
  withCourseCrds,
  type Endpoint,
  type Finding,
  type Flow,
  type ProvidedSecret,
  type Rendered,
} from '@taskboard/verify/src/k8s';
import { EXTERNAL_ENDPOINTS, migrateScript, POSTGRES_SETTINGS } from '../../day2-k8s/verify/checks';
import {
  CHART,
  DAY,
  describeRequest,
  effectiveValues,
  helmErrors,
  helmLint,
  helmTemplate,
  NAMESPACE,
  RELEASE,
  type RenderRequest,
} from './helm';

/*
 * Day 3's checks: the chart rendered by the real helm for each scenario, then day 2's validators (schema,
 * policy, cross-reference, NetworkPolicy) on the rendered objects. Each check is a function of the repository
 * root, so shared/verify/test/day3-mutations.test.ts runs the same checks on broken copies.
 */

const docs = (section: string) => `${DAY}/README.md#${section}`;

/** Object names for release "taskboard" (fullname = release name, as it contains the chart name). */
export const NAMES = {
  api: `${RELEASE}-api`,
  web: `${RELEASE}-web`,
  migrate: `${RELEASE}-migrate`,
  test: `${RELEASE}-test`,
  cluster: `${RELEASE}-db`,
} as const;

const TEMPLATES = `${CHART}/templates`;

function readJsonPackage(root: string, workspace: string): { version: string } {
  return JSON.parse(readText(root, `${workspace}/package.json`)) as { version: string };
}

/** A check over the rendered objects of one request. A render failure is reported by the render check alone. */
function renderedCheck(
  helm: () => string,
  request: RenderRequest,
  title: string,
  section: string,
  rule: (objects: Rendered[], root: string) => Finding[],
): Check {
  return defineCheck(title, (root) => {
    let objects: Rendered[];
    try {
      objects = helmTemplate(helm(), root, request);
    } catch (error) {
      return [
        {
          file: CHART,
          object: `helm template ${describeRequest(request)}`,
          expected: 'a chart that renders (see the render check)',
          actual: (error as Error).message.split('\n').slice(0, 3).join(' '),
          fix: `run helm template ${RELEASE} ${CHART} ${describeRequest(request)} and fix the first error`,
          docs: docs(section),
        },
      ];
    }
    return rule(objects, root).map((f) => toViolation(f, docs(section)));
  });
}

/** Labels CloudNativePG puts on every instance pod of a Cluster (pkg/utils/labels_annotations.go, v1.30.0). */
const cnpgInstanceLabels = (cluster: string) => ({
  'cnpg.io/cluster': cluster,
  'cnpg.io/podRole': 'instance',
});
/** The name CloudNativePG gives the exporter port of each instance (9187). */
const CNPG_METRICS_PORT = 'metrics';

/**
 * A PodMonitor for the database must select the instance pods of a rendered CNPG Cluster, by the labels the
 * operator puts on them, and scrape the exporter port by the name the operator gives it. The pods are the
 * operator's, so no rendered pod template can be matched against instead.
 */
export function checkPodMonitorTargets(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  const clusters = objects.filter((r) => r.obj.kind === 'Cluster').map((r) => r.obj.metadata.name);
  for (const monitor of objects.filter((r) => r.obj.kind === 'PodMonitor')) {
    const selector = get(monitor.obj, 'spec', 'selector');
    const selected = clusters.filter((c) => selectorMatches(selector, cnpgInstanceLabels(c)));
    if (selected.length === 0)
      out.push(
        finding(monitor, 'podmonitor-targets-cnpg-instances', 'spec.selector', {
          expected: `a selector matching the instance pods of ${clusters.map((c) => JSON.stringify(cnpgInstanceLabels(c))).join(' or ') || 'a rendered CNPG Cluster (none rendered)'}`,
          actual: `${JSON.stringify(selector)} matches none of them`,
          fix: 'select cnpg.io/cluster: <the Cluster name> and cnpg.io/podRole: instance (templates/podmonitor.yaml)',
        }),
      );
    asArray(get(monitor.obj, 'spec', 'podMetricsEndpoints')).forEach((endpoint, i) => {
      const port = get(endpoint, 'port');
      if (port === CNPG_METRICS_PORT) return;
      out.push(
        finding(monitor, 'podmonitor-port', `spec.podMetricsEndpoints[${i}].port`, {
          expected: `"${CNPG_METRICS_PORT}", the name CloudNativePG gives each instance's exporter port (9187)`,
          actual: JSON.stringify(port),
          fix: `scrape port: ${CNPG_METRICS_PORT} (PodMonitors match container ports by name)`,
        }),
      );
    });
  }
  return out;
}

const isTestHook = (r: Rendered) => r.obj.metadata.annotations?.['helm.sh/hook'] === 'test';

/** Endpoints of the database and its operator, derived from what the scenario renders and configures. */
function scenarioEndpoints(objects: Rendered[], values: Record<string, unknown>): Endpoint[] {
  const endpoints: Endpoint[] = [...EXTERNAL_ENDPOINTS];
  const cluster = objects.find((r) => r.obj.kind === 'Cluster');
  if (cluster) {
    endpoints.push(
      {
        id: 'postgres',
        namespace: NAMESPACE,
        namespaceLabels: { 'kubernetes.io/metadata.name': NAMESPACE },
        // Labels CloudNativePG puts on every instance pod.
        labels: { 'cnpg.io/cluster': cluster.obj.metadata.name, 'cnpg.io/podRole': 'instance' },
        ports: [
          { name: 'postgresql', port: 5432, protocol: 'TCP' },
          { name: 'status', port: 8000, protocol: 'TCP' },
        ],
      },
      {
        id: 'cnpg-operator',
        namespace: String(get(values, 'postgresql', 'cnpg', 'operatorNamespace') ?? 'cnpg-system'),
        namespaceLabels: {
          'kubernetes.io/metadata.name': String(
            get(values, 'postgresql', 'cnpg', 'operatorNamespace') ?? 'cnpg-system',
          ),
        },
        labels: { 'app.kubernetes.io/name': 'cloudnative-pg' },
        ports: [{ name: 'webhook-server', port: 9443, protocol: 'TCP' }],
      },
    );
    const cidr = String((get(values, 'networkPolicy', 'kubeApiServer', 'cidrs') as unknown[])?.[0] ?? '');
    const ports = (get(values, 'networkPolicy', 'kubeApiServer', 'ports') as number[] | undefined) ?? [];
    // The first address of the configured range stands in for the API server.
    endpoints.push({
      id: 'kube-apiserver',
      ip: cidr.split('/')[0] ?? '',
      labels: {},
      ports: ports.map((port) => ({ port, protocol: 'TCP' as const })),
    });
  } else {
    const cidr = String(get(values, 'postgresql', 'external', 'cidr') ?? '');
    const base = cidr.split('/')[0] ?? '';
    const octets = base.split('.');
    octets[3] = String(Number(octets[3] ?? 0) + 5);
    endpoints.push({
      id: 'postgres',
      ip: octets.join('.'),
      labels: {},
      ports: [{ port: Number(get(values, 'postgresql', 'external', 'port') ?? 5432), protocol: 'TCP' }],
    });
  }
  if (objects.some((r) => r.obj.kind === 'ServiceMonitor')) {
    const namespace = String(get(values, 'serviceMonitor', 'prometheusNamespace') ?? 'monitoring');
    endpoints.push({
      id: 'prometheus',
      namespace,
      namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
      labels: asStringMap(get(values, 'serviceMonitor', 'prometheusPodLabels')),
      ports: [{ name: 'web', port: 9090, protocol: 'TCP' }],
    });
  }
  return endpoints;
}

/** Exactly the flows Taskboard needs in this scenario; everything else between known endpoints must be blocked. */
function scenarioFlows(objects: Rendered[], endpoints: Endpoint[]): Flow[] {
  const dns = (from: string): Flow[] => [
    { from, to: 'kube-dns', port: 53, protocol: 'UDP', why: 'service discovery' },
    { from, to: 'kube-dns', port: 53, protocol: 'TCP', why: 'service discovery (large answers)' },
  ];
  const db = endpoints.find((e) => e.id === 'postgres');
  const dbPort = db?.ports[0]?.port ?? 5432;
  const flows: Flow[] = [
    { from: 'traefik', to: NAMES.web, port: 8080, why: 'the Ingress or HTTPRoute serves the SPA' },
    { from: 'traefik', to: NAMES.api, port: 3000, why: 'the Ingress or HTTPRoute routes /api to the API' },
    { from: NAMES.api, to: 'postgres', port: dbPort, why: 'the API stores tasks in PostgreSQL' },
    { from: NAMES.migrate, to: 'postgres', port: dbPort, why: 'the migrate hook applies the schema' },
    { from: NAMES.test, to: NAMES.api, port: 3000, why: 'helm test calls the API' },
    { from: NAMES.test, to: NAMES.web, port: 8080, why: 'helm test fetches the SPA' },
    ...[NAMES.api, NAMES.web, NAMES.migrate, NAMES.test].flatMap(dns),
  ];
  if (db?.namespace) {
    flows.push(
      {
        from: 'cnpg-operator',
        to: 'postgres',
        port: 8000,
        why: "the CNPG operator polls each instance's status",
      },
      ...dns('postgres'),
      ...(endpoints.find((e) => e.id === 'kube-apiserver')?.ports ?? []).map((p) => ({
        from: 'postgres',
        to: 'kube-apiserver',
        port: p.port,
        why: 'the CNPG instance manager watches its Cluster through the Kubernetes API',
      })),
    );
  }
  if (objects.some((r) => r.obj.kind === 'ServiceMonitor')) {
    flows.push({ from: 'prometheus', to: NAMES.api, port: 3000, why: 'Prometheus scrapes /metrics (day 4)' });
  }
  return flows;
}

/** Secrets the scenario names but the chart does not render: `secrets.existingSecret`. */
function externalSecrets(values: Record<string, unknown>): ProvidedSecret[] {
  const name = get(values, 'secrets', 'existingSecret');
  if (typeof name !== 'string' || name === '') return [];
  return [
    {
      name,
      namespace: NAMESPACE,
      keys: [String(get(values, 'secrets', 'passwordKey') ?? 'password')],
      from: 'values secrets.existingSecret (created outside the chart)',
    },
  ];
}

/** The migrate Job is a Helm hook that runs before an upgrade replaces any pod and fails the release on error. */
function checkMigrateHook(objects: Rendered[]): Finding[] {
  const job = objects.find((r) => r.obj.kind === 'Job' && r.obj.metadata.name === NAMES.migrate);
  if (!job) {
    return [
      {
        rule: 'workload-present',
        file: `${TEMPLATES}/migrate-job.yaml`,
        object: `${NAMESPACE}/Job/${NAMES.migrate}`,
        path: '',
        expected: 'the migrate Job',
        actual: 'not rendered',
        fix: 'restore templates/migrate-job.yaml',
      },
    ];
  }
  const hooks = (job.obj.metadata.annotations?.['helm.sh/hook'] ?? '').split(',').map((h) => h.trim());
  const cnpg = objects.some((r) => r.obj.kind === 'Cluster');
  const expected = [cnpg ? 'post-install' : 'pre-install', 'pre-upgrade'];
  if (expected.every((hook) => hooks.includes(hook))) return [];
  return [
    finding(job, 'helm-hook', 'metadata.annotations["helm.sh/hook"]', {
      expected: `${expected.join(',')} (${cnpg ? 'the CNPG database is created by the release itself, so the first run waits for it' : 'migrate before any new pod starts'})`,
      actual: hooks.join(',') || 'no hook annotation: the Job is an ordinary object and races the API pods',
      fix: `annotate the Job with helm.sh/hook: ${expected.join(',')}`,
    }),
  ];
}

/** The API pod template carries a checksum of the rendered ConfigMap, so a config change rolls the pods. */
function checkConfigChecksum(objects: Rendered[]): Finding[] {
  const api = objects.find((r) => r.obj.kind === 'Deployment' && r.obj.metadata.name === NAMES.api);
  if (!api) return [];
  const checksum = get(api.obj, 'spec', 'template', 'metadata', 'annotations', 'checksum/config');
  if (typeof checksum === 'string' && /^[0-9a-f]{64}$/.test(checksum)) return [];
  return [
    finding(api, 'config-checksum', 'spec.template.metadata.annotations["checksum/config"]', {
      expected: 'a sha256 of templates/configmap.yaml',
      actual: checksum === undefined ? 'no checksum annotation' : JSON.stringify(checksum),
      fix: 'add checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}',
    }),
  ];
}

/** With an HPA, the Deployment leaves `replicas` out: a fixed count would reset the HPA's choice on every upgrade. */
function checkHpaOwnsReplicas(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  for (const hpa of objects.filter((r) => r.obj.kind === 'HorizontalPodAutoscaler')) {
    const target = objects.find(
      (r) =>
        r.obj.kind === get(hpa.obj, 'spec', 'scaleTargetRef', 'kind') &&
        r.obj.metadata.name === get(hpa.obj, 'spec', 'scaleTargetRef', 'name'),
    );
    if (!target) {
      out.push(
        finding(hpa, 'hpa-target', 'spec.scaleTargetRef', {
          expected: 'a rendered Deployment',
          actual: JSON.stringify(get(hpa.obj, 'spec', 'scaleTargetRef')),
          fix: 'point scaleTargetRef at the API Deployment',
        }),
      );
    } else if (get(target.obj, 'spec', 'replicas') !== undefined) {
      out.push(
        finding(target, 'hpa-owns-replicas', 'spec.replicas', {
          expected: `no spec.replicas (HorizontalPodAutoscaler/${hpa.obj.metadata.name} owns the count)`,
          actual: JSON.stringify(get(target.obj, 'spec', 'replicas')),
          fix: 'render replicas only when autoscaling is disabled',
        }),
      );
    }
  }
  return out;
}

/** Every check of one render request: lint, render, then day 2's validators on the rendered objects. */
export function chartChecks(helm: () => string, request: RenderRequest): Check[] {
  const check = (title: string, section: string, rule: (objects: Rendered[], root: string) => Finding[]) =>
    renderedCheck(helm, request, title, section, rule);
  const schemas = () => withCourseCrds(kubernetesSchemas());
  const lintTitle = `helm lint --strict passes with ${describeRequest(request)}`;
  return [
    defineCheck(lintTitle, (root) => {
      const result = helmLint(helm(), root, request);
      if (result.status === 0) return [];
      return [
        {
          file: request.valuesFiles?.at(-1) ?? `${CHART}/values.yaml`,
          object: result.command,
          expected: 'no lint errors (values valid against values.schema.json, templates render)',
          actual: helmErrors(result) || result.stderr.trim(),
          fix: 'restore the value named by the error (values.schema.json says what is allowed) or fix the template',
          docs: docs('step-6-values-layering'),
        },
      ];
    }),
    defineCheck(`helm template renders with ${describeRequest(request)}`, (root) => {
      try {
        const objects = helmTemplate(helm(), root, request);
        if (objects.length > 0) return [];
        return [
          {
            file: CHART,
            object: 'helm template',
            expected: 'at least one object',
            actual: 'empty output',
            fix: 'check the toggles of the scenario',
            docs: docs('verify'),
          },
        ];
      } catch (error) {
        return [
          {
            file: CHART,
            object: `helm template ${describeRequest(request)}`,
            expected: 'helm template to succeed',
            actual: (error as Error).message,
            fix: 'fix the template or value helm names',
            docs: docs('verify'),
          },
        ];
      }
    }),
    check(
      `every rendered object validates strictly against the Kubernetes ${kubernetesSchemas().source.split(' ')[1]} schema and the course CRD schemas`,
      'verify',
      (objects) => validateSchema(objects, schemas()),
    ),
    ...courseKubernetesRules({
      namespace: NAMESPACE,
      api: NAMES.api,
      migrate: { name: NAMES.migrate, container: 'migrate', noun: 'hook' },
      labels: ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of'],
      configSpec,
      postgresSettings: POSTGRES_SETTINGS,
      imageTags: (root) => [
        {
          repository: 'taskboard-api',
          tag: readJsonPackage(root, 'shared/app/api').version,
          why: 'the version in shared/app/api/package.json',
        },
        {
          repository: 'taskboard-web',
          tag: readJsonPackage(root, 'shared/app/web').version,
          why: 'the version in shared/app/web/package.json',
        },
      ],
      shutdownMs: (objects) => {
        const config = objects.find((r) => r.obj.kind === 'ConfigMap' && r.obj.metadata.name === NAMES.api);
        const value = (name: string) =>
          Number(asStringMap(config?.obj.data)[name] ?? configSpec.find((v) => v.env === name)?.default ?? 0);
        return value('SHUTDOWN_DELAY_MS') + value('SHUTDOWN_TIMEOUT_MS');
      },
      migrateScript,
      networkPolicyFile: `${TEMPLATES}/networkpolicies.yaml`,
      flowsInWords:
        'the flows Taskboard needs (Traefik, database, CNPG operator, DNS, helm test, Prometheus)',
      flows: (objects, root) => {
        const endpoints = scenarioEndpoints(objects, effectiveValues(root, request));
        return { endpoints, flows: scenarioFlows(objects, endpoints) };
      },
      probed: (objects) => objects.filter((r) => !isTestHook(r)),
      envReferences: (root) => ({ external: externalSecrets(effectiveValues(root, request)) }),
      tlsFilter: (findings, root) =>
        findings.filter(
          (f) => !(f.rule === 'certificate-issuer' && externalIssuer(effectiveValues(root, request))),
        ),
      sections: {
        securityContext: 'break-it-fix-it',
        imageTags: 'step-4-upgrade-to-a-new-image-tag',
        serviceSelectors: 'break-it-fix-it',
      },
    }).map((r) => check(r.title, r.section, r.rule)),
    check('with an HPA, the Deployment leaves replicas to it', 'verify', (objects) =>
      checkHpaOwnsReplicas(objects),
    ),
    check('a ConfigMap change rolls the API pods (checksum/config annotation)', 'verify', (objects) =>
      checkConfigChecksum(objects),
    ),
    check(
      'ServiceMonitors select the API Service and scrape a port name it declares',
      'break-it-fix-it',
      (objects) => checkServiceMonitorTargets(objects),
    ),
    check(
      "PodMonitors select the CNPG Cluster's instance pods and scrape their metrics port",
      'break-it-fix-it',
      (objects) => checkPodMonitorTargets(objects),
    ),
    check(
      'migrate Job is a Helm hook that runs before an upgrade (pre-upgrade) and on install',
      'step-3-install-the-app',
      (objects) => checkMigrateHook(objects),
    ),
  ];
}

/**
 * With tls.createSelfSignedIssuer false the chart renders no issuer: the Certificate names one the cluster's
 * operator creates (an ACME ClusterIssuer, environments/prod.yaml), which only the cluster tier can see.
 */
function externalIssuer(values: Record<string, unknown>): boolean {
  return get(values, 'tls', 'createSelfSignedIssuer') === false;
}

/**
 * Every chart check on the chart rendered the way it is deployed (`-f environments/<name>.yaml` over
 * values.yaml). The ci/ scenarios already cover the templates, so a failure seen here is blamed on the environment
 * file, with the template it came out of. dev.yaml's single API replica (kind) is exempt from kube-score's
 * deployment-replicas in shared/verify/kube-score.yaml, with its reason; no course rule here needs an exemption.
 */
export function environmentChecks(helm: () => string, environmentFile: string): Check[] {
  return chartChecks(helm, { valuesFiles: [environmentFile] }).map((c) =>
    defineCheck(c.title, async (root) =>
      (await c.run(root)).map((v) =>
        v.file === environmentFile
          ? v
          : {
              ...v,
              file: environmentFile,
              object: `${v.file}: ${v.object}`,
              fix: `${v.fix} (rendered with -f ${environmentFile}: when the ci/ scenarios pass, the value to restore is in ${environmentFile})`,
            },
      ),
    ),
  );
}

export { CHART, DAY, NAMESPACE, RELEASE };
