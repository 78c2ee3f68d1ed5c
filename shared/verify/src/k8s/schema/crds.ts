import { kindKey, type FieldSpec, type SchemaSet, type TypeMap } from './typemap';

/*
 * Minimal strict schemas for the custom resources this course writes. They cover the fields the course uses
 * plus their documented siblings, and reject everything else, so a typo fails here instead of being silently
 * dropped by the CRD's structural pruning. Extend a type when a lab starts using another field.
 *   cert-manager v1.21: cert-manager.io/v1 Certificate, Issuer, ClusterIssuer
 *   Gateway API v1.5.1 (standard channel, GATEWAY_API_VERSION below): gateway.networking.k8s.io/v1 Gateway, HTTPRoute
 *   CloudNativePG 1.30: postgresql.cnpg.io/v1 Cluster (day 3's chart renders one)
 *   Prometheus Operator: monitoring.coreos.com/v1 ServiceMonitor and PodMonitor (day 3's chart, scraped by day 4)
 *   Secrets Store CSI driver v1: secrets-store.csi.x-k8s.io/v1 SecretProviderClass (day 3's chart, keyvault mode)
 */

/**
 * The Gateway API release whose standard-channel CRDs the install scripts apply (day2-k8s/cluster/up.sh,
 * day3-helm/platform/install.sh) and these schemas describe: the version Traefik 3.7 documents
 * (traefik/traefik docs/content/migrate/v3.md at v3.7.9). v1.4's standard channel lacks TLSRoute.
 */
export const GATEWAY_API_VERSION = 'v1.5.1';

type Short =
  string | [type: string, required: boolean] | [type: string, required: boolean, values: readonly string[]];

function fields(spec: Record<string, Short>): { fields: Record<string, FieldSpec> } {
  const out: Record<string, FieldSpec> = {};
  for (const [name, s] of Object.entries(spec)) {
    const [type, required, values] = typeof s === 'string' ? [s, false, undefined] : [s[0], s[1], s[2]];
    const format = type === 'number' ? 'int32' : '';
    out[name] = { type, format, required, ...(values ? { enum: values } : {}) };
  }
  return { fields: out };
}

const topLevel = (specType: string) =>
  fields({
    apiVersion: 'string',
    kind: 'string',
    metadata: 'V1ObjectMeta',
    spec: [specType, true],
    status: 'any',
  });

const crdTypes: TypeMap = {
  // cert-manager.io/v1
  CmCertificate: topLevel('CmCertificateSpec'),
  CmCertificateSpec: fields({
    secretName: ['string', true],
    issuerRef: ['CmIssuerRef', true],
    commonName: 'string',
    dnsNames: 'Array<string>',
    ipAddresses: 'Array<string>',
    uris: 'Array<string>',
    emailAddresses: 'Array<string>',
    duration: 'string',
    renewBefore: 'string',
    isCA: 'boolean',
    usages: 'Array<string>',
    privateKey: 'CmPrivateKey',
    subject: 'any',
    secretTemplate: 'CmSecretTemplate',
    revisionHistoryLimit: 'number',
  }),
  CmIssuerRef: fields({ name: ['string', true], kind: 'string', group: 'string' }),
  CmPrivateKey: fields({
    algorithm: ['string', true, ['RSA', 'ECDSA', 'Ed25519']],
    size: 'number',
    encoding: 'string',
    rotationPolicy: 'string',
  }),
  CmSecretTemplate: fields({
    labels: '{ [key: string]: string; }',
    annotations: '{ [key: string]: string; }',
  }),
  CmIssuer: topLevel('CmIssuerSpec'),
  CmIssuerSpec: fields({
    selfSigned: 'CmSelfSigned',
    ca: 'CmCAIssuer',
    acme: 'any',
    vault: 'any',
    venafi: 'any',
  }),
  CmSelfSigned: fields({ crlDistributionPoints: 'Array<string>' }),
  CmCAIssuer: fields({ secretName: ['string', true], crlDistributionPoints: 'Array<string>' }),

  // gateway.networking.k8s.io/v1
  GwGateway: topLevel('GwGatewaySpec'),
  GwGatewaySpec: fields({
    gatewayClassName: ['string', true],
    listeners: ['Array<GwListener>', true],
    addresses: 'Array<any>',
    infrastructure: 'any',
  }),
  GwListener: fields({
    name: ['string', true],
    hostname: 'string',
    port: ['number', true],
    protocol: ['string', true],
    tls: 'GwListenerTLS',
    allowedRoutes: 'any',
  }),
  GwListenerTLS: fields({
    mode: 'string',
    certificateRefs: 'Array<GwSecretRef>',
    options: '{ [key: string]: string; }',
  }),
  GwSecretRef: fields({ name: ['string', true], namespace: 'string', kind: 'string', group: 'string' }),
  GwHTTPRoute: topLevel('GwHTTPRouteSpec'),
  GwHTTPRouteSpec: fields({
    parentRefs: 'Array<GwParentRef>',
    hostnames: 'Array<string>',
    rules: 'Array<GwHTTPRouteRule>',
  }),
  GwParentRef: fields({
    name: ['string', true],
    namespace: 'string',
    sectionName: 'string',
    port: 'number',
    kind: 'string',
    group: 'string',
  }),
  GwHTTPRouteRule: fields({
    name: 'string',
    matches: 'Array<GwHTTPRouteMatch>',
    filters: 'Array<any>',
    backendRefs: 'Array<GwBackendRef>',
    timeouts: 'any',
  }),
  GwHTTPRouteMatch: fields({
    path: 'GwPathMatch',
    headers: 'Array<any>',
    queryParams: 'Array<any>',
    method: 'string',
  }),
  GwPathMatch: fields({
    type: ['string', true, ['Exact', 'PathPrefix', 'RegularExpression']],
    value: 'string',
  }),
  GwBackendRef: fields({
    name: ['string', true],
    namespace: 'string',
    port: 'number',
    weight: 'number',
    kind: 'string',
    group: 'string',
    filters: 'Array<any>',
  }),

  // postgresql.cnpg.io/v1 (CloudNativePG): the fields the course sets, plus common siblings.
  CnpgCluster: topLevel('CnpgClusterSpec'),
  CnpgClusterSpec: fields({
    instances: ['number', true],
    imageName: 'string',
    imageCatalogRef: 'any',
    description: 'string',
    bootstrap: 'CnpgBootstrap',
    storage: 'CnpgStorage',
    walStorage: 'CnpgStorage',
    resources: 'V1ResourceRequirements',
    postgresql: 'CnpgPostgresConfiguration',
    monitoring: 'CnpgMonitoring',
    affinity: 'any',
    primaryUpdateStrategy: 'string',
    primaryUpdateMethod: 'string',
    enableSuperuserAccess: 'boolean',
    superuserSecret: 'CnpgLocalRef',
    managed: 'any',
    backup: 'any',
    plugins: 'Array<any>',
    inheritedMetadata: 'any',
    startDelay: 'number',
    stopDelay: 'number',
  }),
  CnpgBootstrap: fields({ initdb: 'CnpgInitdb', recovery: 'any', pg_basebackup: 'any' }),
  CnpgInitdb: fields({
    database: 'string',
    owner: 'string',
    secret: 'CnpgLocalRef',
    encoding: 'string',
    localeCollate: 'string',
    localeCType: 'string',
    dataChecksums: 'boolean',
    postInitSQL: 'Array<string>',
    postInitApplicationSQL: 'Array<string>',
  }),
  CnpgStorage: fields({
    size: 'string',
    storageClass: 'string',
    resizeInUseVolumes: 'boolean',
    pvcTemplate: 'any',
  }),
  CnpgPostgresConfiguration: fields({
    parameters: '{ [key: string]: string; }',
    pg_hba: 'Array<string>',
    shared_preload_libraries: 'Array<string>',
  }),
  CnpgMonitoring: fields({
    enablePodMonitor: 'boolean',
    customQueriesConfigMap: 'Array<any>',
    customQueriesSecret: 'Array<any>',
    disableDefaultQueries: 'boolean',
    podMonitorMetricRelabelings: 'Array<any>',
    podMonitorRelabelings: 'Array<any>',
  }),
  CnpgLocalRef: fields({ name: ['string', true] }),

  // secrets-store.csi.x-k8s.io/v1 (Secrets Store CSI driver): day 3's chart in secrets.mode=keyvault (day 7).
  SscSecretProviderClass: topLevel('SscSecretProviderClassSpec'),
  SscSecretProviderClassSpec: fields({
    provider: ['string', true],
    // Provider-specific settings, all strings (the azure provider: clientID, keyvaultName, tenantId, objects...).
    parameters: '{ [key: string]: string; }',
    secretObjects: 'Array<SscSecretObject>',
  }),
  SscSecretObject: fields({
    secretName: ['string', true],
    type: ['string', true],
    labels: '{ [key: string]: string; }',
    annotations: '{ [key: string]: string; }',
    data: ['Array<SscSecretObjectData>', true],
  }),
  SscSecretObjectData: fields({ objectName: ['string', true], key: ['string', true] }),

  // monitoring.coreos.com/v1 (Prometheus Operator)
  PomServiceMonitor: topLevel('PomServiceMonitorSpec'),
  PomServiceMonitorSpec: fields({
    selector: ['V1LabelSelector', true],
    endpoints: ['Array<PomEndpoint>', true],
    namespaceSelector: 'PomNamespaceSelector',
    jobLabel: 'string',
    targetLabels: 'Array<string>',
    podTargetLabels: 'Array<string>',
    sampleLimit: 'number',
    attachMetadata: 'any',
  }),
  PomNamespaceSelector: fields({ any: 'boolean', matchNames: 'Array<string>' }),
  // PodMonitor: day 3's chart scrapes the CloudNativePG instances with one (CNPG 1.30 deprecates enablePodMonitor).
  PomPodMonitor: topLevel('PomPodMonitorSpec'),
  PomPodMonitorSpec: fields({
    selector: ['V1LabelSelector', true],
    podMetricsEndpoints: 'Array<PomPodMetricsEndpoint>',
    namespaceSelector: 'PomNamespaceSelector',
    jobLabel: 'string',
    podTargetLabels: 'Array<string>',
    sampleLimit: 'number',
    attachMetadata: 'any',
  }),
  PomPodMetricsEndpoint: fields({
    port: 'string',
    portNumber: 'number',
    path: 'string',
    scheme: ['string', false, ['http', 'https', 'HTTP', 'HTTPS']],
    interval: 'string',
    scrapeTimeout: 'string',
    honorLabels: 'boolean',
    honorTimestamps: 'boolean',
    params: 'any',
    tlsConfig: 'any',
    bearerTokenSecret: 'any',
    authorization: 'any',
    relabelings: 'Array<any>',
    metricRelabelings: 'Array<any>',
  }),
  PomEndpoint: fields({
    port: 'string',
    targetPort: 'IntOrString',
    path: 'string',
    scheme: ['string', false, ['http', 'https', 'HTTP', 'HTTPS']],
    interval: 'string',
    scrapeTimeout: 'string',
    honorLabels: 'boolean',
    honorTimestamps: 'boolean',
    params: 'any',
    tlsConfig: 'any',
    bearerTokenSecret: 'any',
    authorization: 'any',
    relabelings: 'Array<any>',
    metricRelabelings: 'Array<any>',
  }),
};

const crdKinds: Record<string, string> = {
  [kindKey('cert-manager.io/v1', 'Certificate')]: 'CmCertificate',
  [kindKey('cert-manager.io/v1', 'Issuer')]: 'CmIssuer',
  [kindKey('cert-manager.io/v1', 'ClusterIssuer')]: 'CmIssuer',
  [kindKey('gateway.networking.k8s.io/v1', 'Gateway')]: 'GwGateway',
  [kindKey('gateway.networking.k8s.io/v1', 'HTTPRoute')]: 'GwHTTPRoute',
  [kindKey('postgresql.cnpg.io/v1', 'Cluster')]: 'CnpgCluster',
  [kindKey('monitoring.coreos.com/v1', 'ServiceMonitor')]: 'PomServiceMonitor',
  [kindKey('monitoring.coreos.com/v1', 'PodMonitor')]: 'PomPodMonitor',
  [kindKey('secrets-store.csi.x-k8s.io/v1', 'SecretProviderClass')]: 'SscSecretProviderClass',
};

/** Adds the CRD schemas to a core schema set (core types such as V1ObjectMeta are shared). */
export function withCourseCrds(core: SchemaSet): SchemaSet {
  return {
    source: `${core.source} + course CRD schemas (cert-manager v1, Gateway API v1, CloudNativePG v1, Prometheus Operator v1, Secrets Store CSI v1)`,
    types: { ...core.types, ...crdTypes },
    kinds: { ...core.kinds, ...crdKinds },
  };
}
