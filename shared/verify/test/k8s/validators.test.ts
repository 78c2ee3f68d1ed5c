import {
  checkNetworkFlows,
  checkProbes,
  checkImageTagAfterRegistryPort,
  isFlowAllowed,
  kubernetesSchemas,
  parseHelmTemplate,
  selectorMatches,
  validateSchema,
  withCourseCrds,
  type Endpoint,
  type K8sObject,
  type Rendered,
} from '../../src/k8s';

// Unit tests of the pure validators on hand-written objects: the edges the day 2 scenarios do not reach.

const rendered = (obj: object, file = 'test.yaml'): Rendered => ({ obj: obj as K8sObject, file });
const schemas = withCourseCrds(kubernetesSchemas());

function deployment(container: object, extra: object = {}): Rendered {
  return rendered({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'demo', namespace: 'ns' },
    spec: {
      selector: { matchLabels: { app: 'demo' } },
      template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [container], ...extra } },
    },
  });
}

describe('validateSchema', () => {
  it('pins a Kubernetes version read from @kubernetes/client-node', () => {
    expect(schemas.source).toMatch(/^Kubernetes v1\.\d+\.\d+ \(@kubernetes\/client-node \d+\.\d+\.\d+\)/);
  });

  it('accepts a valid Deployment, numeric quantities and int-or-string ports', () => {
    const findings = validateSchema(
      [
        deployment({
          name: 'c',
          image: 'x:1',
          resources: { limits: { cpu: 1, memory: '64Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 'http' } },
          livenessProbe: { httpGet: { path: '/', port: 8080 } },
        }),
      ],
      schemas,
    );
    expect(findings).toEqual([]);
  });

  it('reports a missing required field with its path', () => {
    const [finding] = validateSchema([deployment({ image: 'x:1' })], schemas);
    expect(finding).toMatchObject({ rule: 'schema-required', path: 'spec.template.spec.containers[0].name' });
  });

  it('rejects an IntOrString that is a float, and a boolean where a string belongs', () => {
    const findings = validateSchema(
      [deployment({ name: 'c', image: true, readinessProbe: { httpGet: { port: 1.5 } } })],
      schemas,
    );
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'schema-type spec.template.spec.containers[0].image',
      'schema-type spec.template.spec.containers[0].readinessProbe.httpGet.port',
    ]);
    expect(findings[0]?.fix).toBe('quote the value: "true"');
  });

  it('rejects a value outside a core enum', () => {
    const [finding] = validateSchema(
      [deployment({ name: 'c', image: 'x:1', imagePullPolicy: 'Sometimes' })],
      schemas,
    );
    expect(finding).toMatchObject({
      rule: 'schema-enum',
      path: 'spec.template.spec.containers[0].imagePullPolicy',
      expected: 'one of Always, IfNotPresent, Never',
    });
  });

  it('reports a kind it has no schema for instead of passing it unchecked', () => {
    const [finding] = validateSchema(
      [rendered({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })],
      schemas,
    );
    expect(finding).toMatchObject({ rule: 'schema-kind', actual: '"example.com/v1" "Widget"' });
  });

  it('checks CRDs strictly: unknown fields and closed value sets', () => {
    const findings = validateSchema(
      [
        rendered({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'r' },
          spec: { rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }], backendRef: [] }] },
        }),
      ],
      schemas,
    );
    expect(findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'schema-enum spec.rules[0].matches[0].path.type',
      'schema-unknown-field spec.rules[0].backendRef',
    ]);
    expect(findings[1]?.expected).toContain('such as "backendRefs"');
  });
});

describe('policy rules', () => {
  it('asks Deployments, not Jobs, for probes', () => {
    const job = rendered({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
    });
    expect(checkProbes([job])).toEqual([]);
    expect(checkProbes([deployment({ name: 'c', image: 'x:1' })]).map((f) => f.path)).toEqual([
      'spec.template.spec.containers[0].readinessProbe',
      'spec.template.spec.containers[0].livenessProbe',
    ]);
  });

  // kube-score 1.20.0 container-image-tag reads "5000/app" as the tag of localhost:5000/app and passes it.
  it('treats a registry port as part of the name, not a tag', () => {
    const findings = (image: string) => checkImageTagAfterRegistryPort([deployment({ name: 'c', image })]);
    expect(findings('localhost:5000/app')).toEqual([
      expect.objectContaining({ rule: 'image-tag-after-registry-port' }),
    ]);
    expect(findings('localhost:5000/app:1.2.3')).toEqual([]);
    expect(findings('app@sha256:abc')).toEqual([]);
    // A missing or latest tag without a registry port is kube-score's container-image-tag (real-tools.test.ts).
    expect(findings('app')).toEqual([]);
  });
});

describe('selectorMatches', () => {
  it('applies matchLabels and every matchExpressions operator', () => {
    const labels = { app: 'api', tier: 'backend' };
    expect(selectorMatches({}, labels)).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }, labels),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, labels),
    ).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(
      true,
    );
    expect(
      selectorMatches(
        { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
        labels,
      ),
    ).toBe(true);
  });
});

describe('NetworkPolicy evaluation', () => {
  const pod = (
    id: string,
    ports: Endpoint['ports'] = [{ name: 'http', port: 8080, protocol: 'TCP' }],
  ): Endpoint => ({
    id,
    namespace: 'ns',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'ns' },
    labels: { app: id },
    ports,
  });
  const policy = (name: string, spec: object) =>
    rendered({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: 'ns' },
      spec,
    });

  it('allows everything while no policy selects a pod', () => {
    expect(isFlowAllowed([], pod('a'), pod('b'), 8080)).toBe(true);
  });

  it('resolves named ports on the destination pod', () => {
    const allowHttp = policy('allow-http', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 'http' }] }],
    });
    expect(isFlowAllowed([allowHttp], pod('a'), pod('b'), 8080)).toBe(true);
    expect(
      isFlowAllowed([allowHttp], pod('a'), pod('b', [{ name: 'http', port: 9090, protocol: 'TCP' }]), 8080),
    ).toBe(false);
    expect(isFlowAllowed([allowHttp], pod('c'), pod('b'), 8080)).toBe(false);
  });

  it('matches ipBlock peers by CIDR and honours except', () => {
    const internet: Endpoint = {
      id: 'internet',
      ip: '203.0.113.10',
      labels: {},
      ports: [{ port: 443, protocol: 'TCP' }],
    };
    const egress = (except: string[]) =>
      policy('egress', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except } }] }],
      });
    expect(isFlowAllowed([egress([])], pod('a'), internet, 443)).toBe(true);
    expect(isFlowAllowed([egress(['203.0.113.0/28'])], pod('a'), internet, 443)).toBe(false);
  });

  it('reports a flow no policy restricts as a least-privilege finding', () => {
    const findings = checkNetworkFlows(
      [deployment({ name: 'c', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }] })],
      {
        namespace: 'ns',
        extraEndpoints: [pod('client')],
        flows: [],
        file: 'np.yaml',
      },
    );
    expect(findings.map((f) => `${f.rule} ${f.object} ${f.actual}`)).toContain(
      'networkpolicy-least-privilege flow client (ns) -> demo (ns):8080/TCP allowed (no policy selects these pods)',
    );
  });
});

describe('parseHelmTemplate', () => {
  it('attributes each document to its template, subcharts included', () => {
    const output = [
      '---',
      '# Source: taskboard/templates/api.yaml',
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: api }',
      '---',
      '# Source: taskboard/charts/pg/templates/cluster.yaml',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: { name: pg }',
    ].join('\n');
    expect(
      parseHelmTemplate(output, 'day3-helm/charts/taskboard').map((r) => `${r.obj.kind} ${r.file}`),
    ).toEqual([
      'Service day3-helm/charts/taskboard/templates/api.yaml',
      'ConfigMap day3-helm/charts/taskboard/charts/pg/templates/cluster.yaml',
    ]);
  });
});
