import { asArray, asStringMap, finding, get, isRecord, show, type Finding, type Rendered } from './types';
import {
  containersOf,
  mapSelectorMatches,
  podTemplates,
  selectorMatches,
  type ContainerRef,
  type PodTemplate,
} from './workloads';

/*
 * Cross-reference checks: each name one object uses must exist in another. These are the silent failures of a
 * first deployment (a Service with no endpoints, a probe on a port that does not exist) that kubectl apply
 * accepts without a word.
 */

const ns = (r: Rendered): string => r.obj.metadata?.namespace ?? 'default';

function ofKind(objects: Rendered[], kind: string, namespace?: string): Rendered[] {
  return objects.filter((r) => r.obj.kind === kind && (namespace === undefined || ns(r) === namespace));
}

function labelsList(pods: PodTemplate[]): string {
  return (
    pods.map((p) => `${p.r.obj.kind}/${p.r.obj.metadata.name} ${show(p.labels)}`).join('; ') ||
    'no pod templates'
  );
}

function podsFor(objects: Rendered[], service: Rendered): PodTemplate[] {
  const selector = asStringMap(get(service.obj, 'spec', 'selector'));
  return podTemplates(objects).filter(
    (p) => p.namespace === ns(service) && mapSelectorMatches(selector, p.labels),
  );
}

/** kube-score `service-targets-pod`: every Service selector matches at least one pod template. */
export function checkServiceSelectors(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  for (const service of ofKind(objects, 'Service')) {
    if (get(service.obj, 'spec', 'type') === 'ExternalName') continue;
    const selector = get(service.obj, 'spec', 'selector');
    if (selector === undefined) continue; // endpoints managed by hand: nothing to cross-check
    if (podsFor(objects, service).length > 0) continue;
    out.push(
      finding(service, 'service-targets-pod', 'spec.selector', {
        expected: `a selector matching the labels of a pod template in namespace ${ns(service)}`,
        actual: `${show(selector)} matches no pod; pod templates: ${labelsList(podTemplates(objects).filter((p) => p.namespace === ns(service)))}`,
        fix: 'make spec.selector equal the pod template labels of the workload (the Service has no endpoints otherwise)',
      }),
    );
  }
  return out;
}

function containerPorts(pods: PodTemplate[]): { name?: string; number: number; protocol: string }[] {
  return pods.flatMap((pod) =>
    containersOf(pod, false).flatMap((c) =>
      asArray(c.container.ports)
        .filter(isRecord)
        .map((p) => ({
          name: typeof p.name === 'string' ? p.name : undefined,
          number: typeof p.containerPort === 'number' ? p.containerPort : -1,
          protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
        })),
    ),
  );
}

/** Each Service `targetPort` (by name or number) exists on a container of the selected pods. */
export function checkTargetPorts(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  for (const service of ofKind(objects, 'Service')) {
    const pods = podsFor(objects, service);
    if (pods.length === 0) continue; // reported by checkServiceSelectors
    const available = containerPorts(pods);
    asArray(get(service.obj, 'spec', 'ports')).forEach((port, i) => {
      const target = get(port, 'targetPort') ?? get(port, 'port');
      const ok =
        typeof target === 'string'
          ? available.some((p) => p.name === target)
          : available.some((p) => p.number === target);
      if (ok) return;
      out.push(
        finding(service, 'service-target-port', `spec.ports[${i}].targetPort`, {
          expected: `a container port of the selected pods: ${available.map((p) => (p.name ? `${p.name} (${p.number})` : String(p.number))).join(', ') || 'none declared'}`,
          actual: show(target),
          fix: 'set targetPort to the containerPort name (preferred) or number the app listens on',
        }),
      );
    });
  }
  return out;
}

function servicePort(service: Rendered, port: unknown): boolean {
  return asArray(get(service.obj, 'spec', 'ports')).some((p) =>
    typeof port === 'string' ? get(p, 'name') === port : get(p, 'port') === port,
  );
}

function describeServices(services: Rendered[]): string {
  return (
    services
      .map(
        (s) =>
          `${s.obj.metadata.name} [${asArray(get(s.obj, 'spec', 'ports'))
            .map((p) => `${get(p, 'name') ?? ''}:${get(p, 'port')}`)
            .join(', ')}]`,
      )
      .join('; ') || 'none'
  );
}

function backendFinding(
  r: Rendered,
  rule: string,
  path: string,
  name: unknown,
  port: unknown,
  services: Rendered[],
): Finding | undefined {
  const service = services.find((s) => s.obj.metadata.name === name);
  if (service && servicePort(service, port)) return undefined;
  return finding(r, rule, path, {
    expected: `an existing Service and port in namespace ${ns(r)}: ${describeServices(services)}`,
    actual: service
      ? `Service ${show(name)} has no port ${show(port)}`
      : `Service ${show(name)} does not exist`,
    fix: service
      ? `use one of the ports of Service ${String(name)}`
      : 'point the backend at a Service defined in the manifests (check the name for typos)',
  });
}

/** Ingress backends (rules and defaultBackend) name existing Services and ports. */
export function checkIngressBackends(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  for (const ingress of ofKind(objects, 'Ingress')) {
    const services = ofKind(objects, 'Service', ns(ingress));
    const backends: [string, unknown][] = [];
    if (get(ingress.obj, 'spec', 'defaultBackend') !== undefined) {
      backends.push(['spec.defaultBackend', get(ingress.obj, 'spec', 'defaultBackend')]);
    }
    asArray(get(ingress.obj, 'spec', 'rules')).forEach((rule, i) =>
      asArray(get(rule, 'http', 'paths')).forEach((p, j) =>
        backends.push([`spec.rules[${i}].http.paths[${j}].backend`, get(p, 'backend')]),
      ),
    );
    for (const [path, backend] of backends) {
      const port = get(backend, 'service', 'port', 'number') ?? get(backend, 'service', 'port', 'name');
      const f = backendFinding(
        ingress,
        'ingress-targets-service',
        `${path}.service`,
        get(backend, 'service', 'name'),
        port,
        services,
      );
      if (f) out.push(f);
    }
  }
  return out;
}

/** HTTPRoute backendRefs name existing Services and ports. */
export function checkHttpRouteBackends(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  for (const route of ofKind(objects, 'HTTPRoute')) {
    asArray(get(route.obj, 'spec', 'rules')).forEach((rule, i) =>
      asArray(get(rule, 'backendRefs')).forEach((ref, j) => {
        const kind = get(ref, 'kind') ?? 'Service';
        if (kind !== 'Service') return;
        const namespace = (get(ref, 'namespace') as string | undefined) ?? ns(route);
        const f = backendFinding(
          route,
          'httproute-targets-service',
          `spec.rules[${i}].backendRefs[${j}]`,
          get(ref, 'name'),
          get(ref, 'port'),
          ofKind(objects, 'Service', namespace),
        );
        if (f) out.push(f);
      }),
    );
  }
  return out;
}

/** Secrets that exist or will exist: declared Secrets, and `spec.secretName` of cert-manager Certificates. */
function providedSecrets(objects: Rendered[], namespace: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of ofKind(objects, 'Secret', namespace))
    out.set(s.obj.metadata.name, `Secret/${s.obj.metadata.name}`);
  for (const c of ofKind(objects, 'Certificate', namespace)) {
    const name = get(c.obj, 'spec', 'secretName');
    if (typeof name === 'string') out.set(name, `Certificate/${c.obj.metadata.name}`);
  }
  return out;
}

/** Ingress TLS and Gateway listener certificates come from a Secret or a Certificate; Certificates from an issuer. */
export function checkTlsSources(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  const missing = (r: Rendered, path: string, name: unknown, provided: Map<string, string>) =>
    finding(r, 'tls-secret-source', path, {
      expected: `a Secret or cert-manager Certificate (spec.secretName) providing it; present: ${[...provided.keys()].join(', ') || 'none'}`,
      actual: `secret ${show(name)} with no source`,
      fix: 'add a Certificate whose spec.secretName is this name, or correct the name',
    });
  for (const ingress of ofKind(objects, 'Ingress')) {
    const provided = providedSecrets(objects, ns(ingress));
    asArray(get(ingress.obj, 'spec', 'tls')).forEach((tls, i) => {
      const name = get(tls, 'secretName');
      if (typeof name !== 'string' || !provided.has(name))
        out.push(missing(ingress, `spec.tls[${i}].secretName`, name, provided));
    });
  }
  for (const gateway of ofKind(objects, 'Gateway')) {
    const provided = providedSecrets(objects, ns(gateway));
    asArray(get(gateway.obj, 'spec', 'listeners')).forEach((listener, i) =>
      asArray(get(listener, 'tls', 'certificateRefs')).forEach((ref, j) => {
        const name = get(ref, 'name');
        if (typeof name !== 'string' || !provided.has(name)) {
          out.push(missing(gateway, `spec.listeners[${i}].tls.certificateRefs[${j}].name`, name, provided));
        }
      }),
    );
  }
  for (const cert of ofKind(objects, 'Certificate')) {
    const kind = get(cert.obj, 'spec', 'issuerRef', 'kind') ?? 'Issuer';
    const name = get(cert.obj, 'spec', 'issuerRef', 'name');
    const issuers = objects.filter(
      (r) =>
        r.obj.kind === kind &&
        (kind === 'ClusterIssuer' || ns(r) === ns(cert)) &&
        r.obj.metadata.name === name,
    );
    if (issuers.length === 0) {
      out.push(
        finding(cert, 'certificate-issuer', 'spec.issuerRef', {
          expected: `a ${String(kind)} named ${show(name)} in the manifests`,
          actual: `${String(kind)}s present: ${
            objects
              .filter((r) => r.obj.kind === kind)
              .map((r) => r.obj.metadata.name)
              .join(', ') || 'none'
          }`,
          fix: 'point issuerRef at the (Cluster)Issuer the manifests define',
        }),
      );
    }
  }
  return out;
}

function keysOf(r: Rendered): string[] {
  return [
    ...Object.keys(asStringMap(r.obj.data)),
    ...Object.keys(asStringMap(r.obj.binaryData)),
    ...Object.keys(asStringMap(r.obj.stringData)),
  ];
}

/**
 * A Secret the manifests do not declare but that will exist: written by an operator from a rendered object, or
 * created outside the chart (an `existingSecret` value). `keys` undefined means the keys are not known.
 */
export interface ProvidedSecret {
  name: string;
  namespace: string;
  keys?: readonly string[];
  /** Who provides it, for messages: `Certificate/taskboard-tls`, `values secrets.existingSecret`. */
  from: string;
}

/** CloudNativePG writes the owner's credentials to `<cluster>-app` (kubernetes.io/basic-auth plus connection keys). */
const cnpgAppSecretKeys = [
  'username',
  'password',
  'user',
  'host',
  'port',
  'dbname',
  'uri',
  'jdbc-uri',
  'pgpass',
];

/** Secrets operators will write for rendered objects: cert-manager Certificates and CloudNativePG Clusters. */
export function generatedSecrets(objects: Rendered[]): ProvidedSecret[] {
  const out: ProvidedSecret[] = [];
  for (const c of ofKind(objects, 'Certificate')) {
    const name = get(c.obj, 'spec', 'secretName');
    if (typeof name === 'string') {
      out.push({
        name,
        namespace: ns(c),
        keys: ['tls.crt', 'tls.key', 'ca.crt'],
        from: `Certificate/${c.obj.metadata.name}`,
      });
    }
  }
  for (const cluster of ofKind(objects, 'Cluster').filter((r) =>
    r.obj.apiVersion.startsWith('postgresql.cnpg.io/'),
  )) {
    out.push({
      name: `${cluster.obj.metadata.name}-app`,
      namespace: ns(cluster),
      keys: cnpgAppSecretKeys,
      from: `CloudNativePG Cluster/${cluster.obj.metadata.name}`,
    });
  }
  return out;
}

export interface EnvReferenceOptions {
  /** Secrets created outside the manifests (e.g. the chart's `existingSecret`), in addition to generated ones. */
  external?: readonly ProvidedSecret[];
}

/**
 * Every ConfigMap/Secret (and key) an env var or envFrom references exists, unless marked optional. A Secret
 * counts as existing when the manifests declare it, an operator writes it for a rendered object
 * (`generatedSecrets`), or `options.external` names it.
 */
export function checkEnvReferences(objects: Rendered[], options: EnvReferenceOptions = {}): Finding[] {
  const out: Finding[] = [];
  const provided = [...generatedSecrets(objects), ...(options.external ?? [])];
  const providedFor = (kind: string, namespace: string, name: unknown) =>
    kind === 'Secret' ? provided.find((p) => p.namespace === namespace && p.name === name) : undefined;
  const present = (kind: string, namespace: string) =>
    [
      ...ofKind(objects, kind, namespace).map((r) => r.obj.metadata.name),
      ...(kind === 'Secret'
        ? provided.filter((p) => p.namespace === namespace).map((p) => `${p.name} (from ${p.from})`)
        : []),
    ].join(', ') || 'none';
  for (const pod of podTemplates(objects)) {
    for (const c of containersOf(pod)) {
      asArray(c.container.env).forEach((env, i) => {
        for (const [refKey, kind] of [
          ['configMapKeyRef', 'ConfigMap'],
          ['secretKeyRef', 'Secret'],
        ] as const) {
          const ref = get(env, 'valueFrom', refKey);
          if (!isRecord(ref) || ref.optional === true) continue;
          const source = ofKind(objects, kind, pod.namespace).find((r) => r.obj.metadata.name === ref.name);
          const generated = source ? undefined : providedFor(kind, pod.namespace, ref.name);
          const path = `${c.path}.env[${i}].valueFrom.${refKey}`;
          if (!source && !generated) {
            out.push(
              finding(pod.r, 'env-reference', `${path}.name`, {
                expected: `a ${kind} named ${show(ref.name)} (present: ${present(kind, pod.namespace)})`,
                actual: 'none',
                fix: `create the ${kind} (or its generator) or correct the name`,
              }),
            );
            continue;
          }
          const keys = source ? keysOf(source) : generated?.keys;
          if (keys && !keys.includes(String(ref.key))) {
            out.push(
              finding(pod.r, 'env-reference', `${path}.key`, {
                expected: `a key of ${kind}/${String(ref.name)}: ${keys.join(', ')}`,
                actual: show(ref.key),
                fix: source
                  ? `add ${String(ref.key)} to ${source.file} or use an existing key`
                  : `use a key ${generated?.from ?? 'its provider'} writes`,
              }),
            );
          }
        }
      });
      asArray(c.container.envFrom).forEach((envFrom, i) => {
        for (const [refKey, kind] of [
          ['configMapRef', 'ConfigMap'],
          ['secretRef', 'Secret'],
        ] as const) {
          const ref = get(envFrom, refKey);
          if (!isRecord(ref) || ref.optional === true) continue;
          if (ofKind(objects, kind, pod.namespace).some((r) => r.obj.metadata.name === ref.name)) continue;
          if (providedFor(kind, pod.namespace, ref.name)) continue;
          out.push(
            finding(pod.r, 'env-reference', `${c.path}.envFrom[${i}].${refKey}.name`, {
              expected: `a ${kind} named ${show(ref.name)} (present: ${present(kind, pod.namespace)})`,
              actual: 'none',
              fix: `create the ${kind} or correct the name`,
            }),
          );
        }
      });
    }
  }
  return out;
}

/**
 * Prometheus Operator ServiceMonitors select at least one Service, and each endpoint names a port the selected
 * Services declare. The operator accepts a wrong name without a word; Prometheus then has no target at all.
 */
export function checkServiceMonitorTargets(objects: Rendered[]): Finding[] {
  const out: Finding[] = [];
  for (const monitor of ofKind(objects, 'ServiceMonitor')) {
    const namespaces = asArray(get(monitor.obj, 'spec', 'namespaceSelector', 'matchNames')).map(String);
    const inScope = (r: Rendered) =>
      get(monitor.obj, 'spec', 'namespaceSelector', 'any') === true ||
      (namespaces.length > 0 ? namespaces.includes(ns(r)) : ns(r) === ns(monitor));
    const services = ofKind(objects, 'Service').filter(
      (s) =>
        inScope(s) &&
        selectorMatches(get(monitor.obj, 'spec', 'selector'), asStringMap(s.obj.metadata.labels)),
    );
    if (services.length === 0) {
      out.push(
        finding(monitor, 'servicemonitor-targets-service', 'spec.selector', {
          expected: 'a selector matching the labels of a Service in scope',
          actual: `${show(get(monitor.obj, 'spec', 'selector'))} matches no Service; Services: ${describeServices(ofKind(objects, 'Service').filter(inScope))}`,
          fix: 'select the Service by the labels it carries (the chart selector labels), not the pod labels alone',
        }),
      );
      continue;
    }
    const portNames = [
      ...new Set(services.flatMap((s) => asArray(get(s.obj, 'spec', 'ports')).map((p) => get(p, 'name')))),
    ].filter((n): n is string => typeof n === 'string');
    asArray(get(monitor.obj, 'spec', 'endpoints')).forEach((endpoint, i) => {
      const port = get(endpoint, 'port');
      if (typeof port === 'string' && portNames.includes(port)) return;
      if (port === undefined && get(endpoint, 'targetPort') !== undefined) return;
      out.push(
        finding(monitor, 'servicemonitor-port', `spec.endpoints[${i}].port`, {
          expected: `the name of a port of ${services.map((s) => `Service/${s.obj.metadata.name}`).join(', ')}: ${portNames.join(', ') || 'none named'}`,
          actual: show(port),
          fix: `set the endpoint port to ${portNames[0] ? `"${portNames[0]}"` : 'the Service port name'} (ServiceMonitors match Service ports by name)`,
        }),
      );
    });
  }
  return out;
}

/** Where one env var of a container gets its value. */
export interface EnvSource {
  name: string;
  /** Literal value when known (env value, or the referenced ConfigMap key's value). */
  value?: string;
  from: string;
}

/** The environment a container will see: `env` entries and every key of `envFrom` sources, resolved. */
export function containerEnvironment(objects: Rendered[], c: ContainerRef): Map<string, EnvSource> {
  const env = new Map<string, EnvSource>();
  asArray(c.container.envFrom).forEach((envFrom) => {
    for (const [refKey, kind] of [
      ['configMapRef', 'ConfigMap'],
      ['secretRef', 'Secret'],
    ] as const) {
      const name = get(envFrom, refKey, 'name');
      const source = ofKind(objects, kind, c.pod.namespace).find((r) => r.obj.metadata.name === name);
      if (!source) continue;
      const prefix = typeof get(envFrom, 'prefix') === 'string' ? String(get(envFrom, 'prefix')) : '';
      for (const key of keysOf(source)) {
        const value = kind === 'ConfigMap' ? asStringMap(source.obj.data)[key] : undefined;
        env.set(prefix + key, { name: prefix + key, value, from: `${kind}/${String(name)}` });
      }
    }
  });
  for (const e of asArray(c.container.env)) {
    const name = get(e, 'name');
    if (typeof name !== 'string') continue;
    const value = get(e, 'value');
    const cm = get(e, 'valueFrom', 'configMapKeyRef');
    const secret = get(e, 'valueFrom', 'secretKeyRef');
    let source: EnvSource = { name, value: typeof value === 'string' ? value : undefined, from: 'env' };
    if (isRecord(cm)) {
      const map = ofKind(objects, 'ConfigMap', c.pod.namespace).find((r) => r.obj.metadata.name === cm.name);
      source = {
        name,
        value: asStringMap(map?.obj.data)[String(cm.key)],
        from: `ConfigMap/${String(cm.name)}`,
      };
    } else if (isRecord(secret)) {
      source = { name, from: `Secret/${String(secret.name)}` };
    }
    env.set(name, source);
  }
  return env;
}

/** Finds one container of one workload, or reports that it is gone. */
export function findContainer(
  objects: Rendered[],
  kind: string,
  name: string,
  container?: string,
): ContainerRef | Finding {
  const workload = objects.find((r) => r.obj.kind === kind && r.obj.metadata.name === name);
  const pod = workload && podTemplates([workload])[0];
  const c = pod && containersOf(pod, false).find((x) => container === undefined || x.name === container);
  if (c) return c;
  return {
    rule: 'workload-present',
    file: workload?.file ?? objects[0]?.file ?? '(rendered output)',
    object: `${kind}/${name}`,
    path: '',
    expected: `${kind} ${name}${container ? ` with a container named ${container}` : ''}`,
    actual: workload ? 'no such container' : 'no such workload',
    fix: `restore ${kind} "${name}"`,
  };
}

export function isFinding(value: unknown): value is Finding {
  return isRecord(value) && typeof value.rule === 'string' && typeof value.expected === 'string';
}

/** One variable of an application's config schema (the shape of the API's exported `configSpec`). */
export interface AppConfigVar {
  env: string;
  required: boolean;
  secret?: boolean;
  /** `<env>_FILE` where the app accepts the value from a mounted file. */
  fileEnv?: string;
}

export interface AppConfigExpectation {
  kind: string;
  name: string;
  container?: string;
  /** The app's own config spec (read from the app; never copied). */
  spec: readonly AppConfigVar[];
  /** Variables this deployment must set on top of the spec's own `required` ones (e.g. the PostgreSQL settings). */
  mustSet?: readonly string[];
  /** Variables the container may set that the app does not read (e.g. NODE_OPTIONS). */
  allowExtra?: readonly string[];
}

/**
 * The container provides every variable the app requires (directly or as `<env>_FILE`), and sets nothing the
 * app does not read: an unknown name is almost always a typo the app silently ignores.
 */
export function checkAppConfigEnv(objects: Rendered[], x: AppConfigExpectation): Finding[] {
  const c = findContainer(objects, x.kind, x.name, x.container);
  if (isFinding(c)) return [c];
  const env = containerEnvironment(objects, c);
  const known = new Map<string, AppConfigVar>();
  for (const v of x.spec) {
    known.set(v.env, v);
    if (v.fileEnv) known.set(v.fileEnv, v);
  }
  const out: Finding[] = [];
  const unknownMustSet = (x.mustSet ?? []).filter((name) => !x.spec.some((v) => v.env === name));
  for (const name of unknownMustSet) {
    out.push(
      finding(c.pod.r, 'app-config-env', `${c.path}.env`, {
        expected: `${name} to be a variable of the app's config schema`,
        actual: `the schema has no ${name} (it has ${x.spec.map((v) => v.env).join(', ')})`,
        fix: `the app's config changed: update the required variable list of this check and the manifests`,
      }),
    );
  }
  const required = [...x.spec.filter((v) => v.required).map((v) => v.env), ...(x.mustSet ?? [])];
  for (const name of required) {
    const v = x.spec.find((s) => s.env === name);
    if (env.has(name) || (v?.fileEnv && env.has(v.fileEnv))) continue;
    out.push(
      finding(c.pod.r, 'app-config-env', `${c.path}.env`, {
        expected: `container "${c.name}" to set ${name}${v?.fileEnv ? ` (or ${v.fileEnv})` : ''}`,
        actual: `not set; the container sets ${[...env.keys()].sort().join(', ') || 'nothing'}`,
        fix: `provide ${name} through env (value, configMapKeyRef or secretKeyRef) or envFrom`,
      }),
    );
  }
  for (const [name, source] of env) {
    if (known.has(name) || x.allowExtra?.includes(name)) continue;
    out.push(
      finding(c.pod.r, 'app-config-env', `${c.path}.env`, {
        expected: `only variables the app reads (${x.spec.map((v) => v.env).join(', ')})`,
        actual: `${name} from ${source.from}`,
        fix: `rename ${name} to the variable the app reads, or remove it`,
      }),
    );
  }
  for (const [name, source] of env) {
    const v = known.get(name);
    if (v?.secret && source.from.startsWith('ConfigMap') && source.value !== undefined && name === v.env) {
      out.push(
        finding(c.pod.r, 'app-config-secret', `${c.path}.env`, {
          expected: `${name} from a Secret (it is a secret)`,
          actual: `a literal value in ${source.from}`,
          fix: `move ${name} to the Secret generator and reference it with secretKeyRef`,
        }),
      );
    } else if (v?.secret && source.from === 'env' && source.value !== undefined && name === v.env) {
      out.push(
        finding(c.pod.r, 'app-config-secret', `${c.path}.env`, {
          expected: `${name} from a Secret (it is a secret)`,
          actual: 'a literal value in the manifest',
          fix: `reference ${name} with secretKeyRef; never commit a secret`,
        }),
      );
    }
  }
  return out;
}

/** Each httpGet probe of the container targets a path the app serves and a port the container declares. */
export function checkProbeTargets(
  objects: Rendered[],
  x: {
    kind: string;
    name: string;
    container?: string;
    routes: readonly string[];
    probes?: readonly string[];
  },
): Finding[] {
  const c = findContainer(objects, x.kind, x.name, x.container);
  if (isFinding(c)) return [c];
  const out: Finding[] = [];
  const ports = asArray(c.container.ports).filter(isRecord);
  for (const probe of x.probes ?? ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    const httpGet = get(c.container, probe, 'httpGet');
    if (!isRecord(httpGet)) continue;
    if (!x.routes.includes(String(httpGet.path))) {
      out.push(
        finding(c.pod.r, 'probe-path', `${c.path}.${probe}.httpGet.path`, {
          expected: `a path the app serves: ${x.routes.join(', ')}`,
          actual: show(httpGet.path),
          fix: `use one of ${x.routes.join(', ')} (readiness: the endpoint that checks dependencies; liveness: the one that does not)`,
        }),
      );
    }
    const port = httpGet.port;
    const ok =
      typeof port === 'string'
        ? ports.some((p) => p.name === port)
        : ports.some((p) => p.containerPort === port);
    if (!ok) {
      out.push(
        finding(c.pod.r, 'probe-port', `${c.path}.${probe}.httpGet.port`, {
          expected: `a declared container port: ${ports.map((p) => `${String(p.name ?? '')}:${String(p.containerPort)}`).join(', ') || 'none'}`,
          actual: show(port),
          fix: 'probe the named container port the app listens on',
        }),
      );
    }
  }
  return out;
}

/** The container's command runs a script that exists (e.g. the app's migrate CLI). */
export function checkRunsScript(
  objects: Rendered[],
  x: { kind: string; name: string; container?: string; script: string; why: string },
): Finding[] {
  const c = findContainer(objects, x.kind, x.name, x.container);
  if (isFinding(c)) return [c];
  const argv = [...asArray(c.container.command), ...asArray(c.container.args)].map(String);
  if (argv.some((arg) => arg === x.script || arg.endsWith(`/${x.script}`))) return [];
  return [
    finding(c.pod.r, 'job-command', `${c.path}.command`, {
      expected: `a command that runs ${x.script} (${x.why})`,
      actual: show(argv.length > 0 ? argv : undefined),
      fix: `set command: ["node", "${x.script}"]`,
    }),
  ];
}
