import { repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { get, type Rendered } from '@taskboard/verify/src/k8s';
import { NAMES } from './checks';
import { helmTemplate } from './helm';
import { BehaviourTrace, checkBehaviour } from './template-behaviour';

// Template unit tests (in the spirit of helm-unittest): one `helm template --set ...` per behaviour, asserting
// on the rendered objects. The toggles are where charts break, so each toggle gets both of its sides. A failure is
// reported like a verify check: the templates it looked at, the --set flags, expected, found and the fix.

localRuntimeTier('day 3 template unit tests (helm template --set)', ['helm'], repoRoot, (tools) => {
  let trace = new BehaviourTrace();
  const behaviour = (title: string, fix: string, body: () => void) =>
    it(title, () =>
      checkBehaviour(title, fix, (started) => {
        trace = started;
        body();
      }),
    );
  const render = (...set: string[]) => {
    trace.rendered(set);
    return helmTemplate(tools.helm, repoRoot, { set });
  };
  const renderError = (...set: string[]): string => {
    try {
      render(...set);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`helm template --set ${set.join(' --set ')} rendered, but it should have failed`);
  };
  const find = (objects: Rendered[], kind: string, name?: string) =>
    trace.looked(
      objects.filter((r) => r.obj.kind === kind && (name === undefined || r.obj.metadata.name === name)),
    );
  const one = (objects: Rendered[], kind: string, name?: string): Rendered => {
    const found = find(objects, kind, name);
    if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
    return found[0]!;
  };
  const container = (r: Rendered, name: string) =>
    (
      (get(r.obj, 'spec', 'template', 'spec', 'containers') as { name: string; env?: unknown[] }[]) ?? []
    ).find((c) => c.name === name);
  const envOf = (r: Rendered, name: string) =>
    (container(r, name)?.env ?? []) as { name: string; value?: string; valueFrom?: unknown }[];

  describe('autoscaling', () => {
    behaviour(
      'api.autoscaling.enabled=true renders an HPA and leaves replicas out of the Deployment',
      'in templates/api.yaml, render the HorizontalPodAutoscaler from api.autoscaling (minReplicas, scaleTargetRef to the API Deployment) and leave spec.replicas out of the Deployment when it is on',
      () => {
        const objects = render('api.autoscaling.enabled=true', 'api.autoscaling.minReplicas=3');
        const hpa = one(objects, 'HorizontalPodAutoscaler', NAMES.api);
        expect(get(hpa.obj, 'spec', 'minReplicas')).toBe(3);
        expect(get(hpa.obj, 'spec', 'scaleTargetRef')).toEqual({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: NAMES.api,
        });
        expect(get(one(objects, 'Deployment', NAMES.api).obj, 'spec', 'replicas')).toBeUndefined();
      },
    );

    behaviour(
      'autoscaling off renders api.replicaCount and no HPA',
      'in templates/api.yaml, render spec.replicas from api.replicaCount, and the HPA only when api.autoscaling.enabled',
      () => {
        const objects = render('api.replicaCount=4');
        expect(find(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
        expect(get(one(objects, 'Deployment', NAMES.api).obj, 'spec', 'replicas')).toBe(4);
      },
    );

    behaviour(
      'api.pdb.enabled=false renders no PodDisruptionBudget',
      'in templates/api.yaml, wrap the PodDisruptionBudget in {{- if .Values.api.pdb.enabled }}',
      () => {
        expect(find(render('api.pdb.enabled=false'), 'PodDisruptionBudget')).toHaveLength(0);
      },
    );
  });

  describe('database and secrets', () => {
    const external = [
      'postgresql.mode=external',
      'postgresql.external.host=db.example.internal',
      'postgresql.external.cidr=10.1.0.0/24',
    ];

    behaviour(
      'postgresql.mode=cnpg renders a CNPG Cluster and reads the password from its <cluster>-app Secret',
      "in templates/cnpg-cluster.yaml and api.yaml, keep bootstrap.initdb (database and owner taskboard), PGPASSWORD from the <cluster>-app Secret and PGHOST <cluster>-rw in the ConfigMap; render no Secret of the chart's own",
      () => {
        const objects = render();
        const cluster = one(objects, 'Cluster', NAMES.cluster);
        expect(get(cluster.obj, 'spec', 'bootstrap', 'initdb')).toEqual({
          database: 'taskboard',
          owner: 'taskboard',
        });
        expect(envOf(one(objects, 'Deployment', NAMES.api), 'api')).toContainEqual({
          name: 'PGPASSWORD',
          valueFrom: { secretKeyRef: { name: `${NAMES.cluster}-app`, key: 'password' } },
        });
        expect(get(one(objects, 'ConfigMap', NAMES.api).obj, 'data', 'PGHOST')).toBe(`${NAMES.cluster}-rw`);
        expect(find(objects, 'Secret')).toHaveLength(0);
      },
    );

    behaviour(
      'with cnpg the migrate hook runs post-install (the database is part of the release) and pre-upgrade',
      'in templates/migrate-job.yaml, the helm.sh/hook annotation for cnpg is post-install,pre-upgrade (the database is created by the same release)',
      () => {
        const job = one(render(), 'Job', NAMES.migrate);
        expect(job.obj.metadata.annotations?.['helm.sh/hook']).toBe('post-install,pre-upgrade');
      },
    );

    behaviour(
      'with an external database the migrate hook runs pre-install and pre-upgrade',
      'in templates/migrate-job.yaml, the helm.sh/hook annotation for an external database is pre-install,pre-upgrade',
      () => {
        const job = one(render(...external, 'secrets.existingSecret=db-credentials'), 'Job', NAMES.migrate);
        expect(job.obj.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      },
    );

    behaviour(
      'secrets.existingSecret renders no Secret and points PGPASSWORD at the existing one',
      'in templates/secret.yaml, render no Secret when secrets.existingSecret is set; in api.yaml and migrate-job.yaml read PGPASSWORD from that Secret and secrets.passwordKey',
      () => {
        const objects = render(
          ...external,
          'secrets.existingSecret=db-credentials',
          'secrets.passwordKey=pw',
        );
        expect(find(objects, 'Secret')).toHaveLength(0);
        expect(find(objects, 'Cluster')).toHaveLength(0);
        expect(envOf(one(objects, 'Job', NAMES.migrate), 'migrate')).toContainEqual({
          name: 'PGPASSWORD',
          valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'pw' } },
        });
      },
    );

    behaviour(
      'an external password without existingSecret renders a hook Secret the migrate Job can read first',
      'in templates/secret.yaml, render the external password as a Secret with the hook annotation pre-install,pre-upgrade, so the migrate Job can read it',
      () => {
        const objects = render(...external, 'postgresql.external.password=s3cret');
        const secret = one(objects, 'Secret');
        expect(secret.obj.data).toEqual({ password: Buffer.from('s3cret').toString('base64') });
        expect(secret.obj.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      },
    );

    behaviour(
      'an external database without a host fails with the value to set',
      'in templates/_helpers.tpl, keep the fail for postgresql.mode=external without postgresql.external.host',
      () => {
        expect(renderError('postgresql.mode=external', 'secrets.existingSecret=x')).toContain(
          'postgresql.mode=external needs postgresql.external.host',
        );
      },
    );

    behaviour(
      'secrets.mode=keyvault on the CloudNativePG database fails: CNPG keeps its password in a Secret',
      'in templates/_helpers.tpl, keep the fail for secrets.mode=keyvault with postgresql.mode=cnpg',
      () => {
        expect(renderError('secrets.mode=keyvault')).toContain(
          'secrets.mode=keyvault needs postgresql.mode=external',
        );
      },
    );

    behaviour(
      'secrets.mode=keyvault mounts the Key Vault file with workload identity and renders no Secret',
      'in templates/api.yaml, serviceaccount.yaml and secretproviderclass.yaml: with secrets.mode=keyvault mount the CSI volume, set PGPASSWORD_FILE, label the pod azure.workload.identity/use, annotate the ServiceAccounts with the client id and render no Secret',
      () => {
        const objects = render(
          ...external,
          'secrets.mode=keyvault',
          'secrets.keyvault.clientId=00000000-0000-0000-0000-000000000021',
          'secrets.keyvault.tenantId=00000000-0000-0000-0000-000000000001',
          'secrets.keyvault.vaultName=kv-taskboard-dev-a1b2',
        );
        const api = one(objects, 'Deployment', NAMES.api);
        const pod = get(api.obj, 'spec', 'template') as Record<string, unknown>;

        expect(find(objects, 'Secret')).toHaveLength(0);
        expect(get(pod, 'metadata', 'labels', 'azure.workload.identity/use')).toBe('true');
        expect(get(pod, 'spec', 'volumes', 1)).toEqual({
          name: 'keyvault-secrets',
          csi: {
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            volumeAttributes: { secretProviderClass: 'taskboard-keyvault' },
          },
        });
        expect(get(pod, 'spec', 'containers', 0, 'env')).toContainEqual({
          name: 'PGPASSWORD_FILE',
          value: '/mnt/secrets-store/db-password',
        });
        expect(
          find(objects, 'ServiceAccount').map(
            (r) => r.obj.metadata.annotations?.['azure.workload.identity/client-id'],
          ),
        ).toEqual(['00000000-0000-0000-0000-000000000021', '00000000-0000-0000-0000-000000000021']);
        expect(
          get(
            one(objects, 'SecretProviderClass', 'taskboard-keyvault').obj,
            'spec',
            'parameters',
            'keyvaultName',
          ),
        ).toBe('kv-taskboard-dev-a1b2');
      },
    );

    behaviour(
      'secrets.mode=keyvault without the Terraform ids fails naming them',
      'in templates/_helpers.tpl, keep the fail that names secrets.keyvault.clientId, tenantId and vaultName',
      () => {
        expect(renderError(...external, 'secrets.mode=keyvault')).toContain(
          'secrets.mode=keyvault needs secrets.keyvault.clientId, tenantId and vaultName',
        );
      },
    );

    behaviour(
      'secrets.mode=keyvault rejects a client id that is not a GUID (schema)',
      'in values.schema.json, keep the GUID pattern on secrets.keyvault.clientId',
      () => {
        expect(renderError('secrets.mode=keyvault', 'secrets.keyvault.clientId=my-identity')).toContain(
          '/secrets/keyvault/clientId',
        );
      },
    );
  });

  describe('routing', () => {
    behaviour(
      'gateway.enabled=true with ingress off renders a Gateway and an HTTPRoute and no Ingress',
      'in templates/gateway.yaml and ingress.yaml: with gateway.enabled render the Gateway (TLS from taskboard-tls) and the HTTPRoute on sectionName websecure, and no Ingress when ingress.enabled=false',
      () => {
        const objects = render('gateway.enabled=true', 'ingress.enabled=false');
        expect(find(objects, 'Ingress')).toHaveLength(0);
        const route = one(objects, 'HTTPRoute');
        expect(get(route.obj, 'spec', 'parentRefs')).toEqual([
          { name: 'taskboard', sectionName: 'websecure' },
        ]);
        expect(get(one(objects, 'Gateway').obj, 'spec', 'listeners', 0, 'tls', 'certificateRefs')).toEqual([
          { name: 'taskboard-tls' },
        ]);
      },
    );

    behaviour(
      'gateway.createGateway=false attaches the HTTPRoute to the platform Gateway and renders no Gateway',
      'in templates/gateway.yaml, with gateway.createGateway=false render no Gateway or Certificate and use gateway.parentRef (name, namespace) in the HTTPRoute',
      () => {
        const objects = render(
          'gateway.enabled=true',
          'ingress.enabled=false',
          'gateway.createGateway=false',
          'gateway.parentRef.name=shared',
          'gateway.parentRef.namespace=gateways',
        );
        expect(find(objects, 'Gateway')).toHaveLength(0);
        expect(find(objects, 'Certificate')).toHaveLength(0);
        expect(get(one(objects, 'HTTPRoute').obj, 'spec', 'parentRefs')).toEqual([
          { name: 'shared', namespace: 'gateways', sectionName: 'websecure' },
        ]);
      },
    );

    behaviour(
      'Ingress and Gateway both on fails instead of publishing the host twice',
      'in templates/_helpers.tpl, keep the fail when ingress.enabled and gateway.enabled are both true',
      () => {
        expect(renderError('gateway.enabled=true')).toContain(
          'ingress.enabled and gateway.enabled are both true',
        );
      },
    );

    behaviour(
      'tls.enabled=false renders no Certificate and an Ingress without tls',
      'in templates/certificate.yaml and ingress.yaml, wrap the Certificate and the Ingress tls block in {{- if .Values.tls.enabled }}',
      () => {
        const objects = render('tls.enabled=false');
        expect(find(objects, 'Certificate')).toHaveLength(0);
        expect(get(one(objects, 'Ingress').obj, 'spec', 'tls')).toBeUndefined();
      },
    );
  });

  describe('observability and policies', () => {
    behaviour(
      'serviceMonitor.enabled=true renders a ServiceMonitor on the Service port name with the release label',
      'in templates/servicemonitor.yaml and networkpolicies.yaml: the ServiceMonitor carries serviceMonitor.labels and scrapes port http, and the allow-prometheus NetworkPolicy comes with it',
      () => {
        const objects = render('serviceMonitor.enabled=true', 'serviceMonitor.labels.release=kps');
        const monitor = one(objects, 'ServiceMonitor');
        expect(monitor.obj.metadata.labels?.release).toBe('kps');
        expect(get(monitor.obj, 'spec', 'endpoints', 0, 'port')).toBe('http');
        expect(find(objects, 'NetworkPolicy', 'taskboard-allow-prometheus')).toHaveLength(1);
      },
    );

    behaviour(
      'serviceMonitor off renders neither the ServiceMonitor nor the Prometheus NetworkPolicy',
      'in templates/servicemonitor.yaml and networkpolicies.yaml, render both only when serviceMonitor.enabled',
      () => {
        const objects = render();
        expect(find(objects, 'ServiceMonitor')).toHaveLength(0);
        expect(find(objects, 'NetworkPolicy', 'taskboard-allow-prometheus')).toHaveLength(0);
      },
    );

    behaviour(
      'postgresql.cnpg.podMonitor.enabled=true renders a PodMonitor on the instance pods of the Cluster, port metrics',
      'in templates/podmonitor.yaml and cnpg-cluster.yaml: the PodMonitor selects cnpg.io/cluster and cnpg.io/podRole instance on port metrics with podMonitor.labels; the Cluster sets no spec.monitoring.enablePodMonitor',
      () => {
        const objects = render(
          'postgresql.cnpg.podMonitor.enabled=true',
          'postgresql.cnpg.podMonitor.labels.release=kps',
        );
        const cluster = one(objects, 'Cluster').obj.metadata.name;
        const monitor = one(objects, 'PodMonitor');
        expect(monitor.obj.metadata.labels?.release).toBe('kps');
        expect(get(monitor.obj, 'spec', 'selector', 'matchLabels')).toEqual({
          'cnpg.io/cluster': cluster,
          'cnpg.io/podRole': 'instance',
        });
        expect(get(monitor.obj, 'spec', 'podMetricsEndpoints', 0, 'port')).toBe('metrics');
        // CloudNativePG 1.30 deprecates the operator-made PodMonitor: the Cluster must not ask for it.
        expect(get(one(objects, 'Cluster').obj, 'spec', 'monitoring', 'enablePodMonitor')).toBeUndefined();
      },
    );

    behaviour(
      'podMonitor off, or an external database, renders no PodMonitor',
      'in templates/podmonitor.yaml, render it only when postgresql.cnpg.podMonitor.enabled and postgresql.mode=cnpg',
      () => {
        expect(find(render(), 'PodMonitor')).toHaveLength(0);
        const external = render(
          'postgresql.cnpg.podMonitor.enabled=true',
          'postgresql.mode=external',
          'postgresql.external.host=db.example.internal',
          'postgresql.external.cidr=10.1.0.0/24',
          'secrets.existingSecret=db-credentials',
        );
        expect(find(external, 'PodMonitor')).toHaveLength(0);
      },
    );

    behaviour(
      'networkPolicy.enabled=false renders no NetworkPolicy',
      'in templates/networkpolicies.yaml, wrap every NetworkPolicy in {{- if .Values.networkPolicy.enabled }}',
      () => {
        expect(find(render('networkPolicy.enabled=false'), 'NetworkPolicy')).toHaveLength(0);
      },
    );
  });

  describe('pods', () => {
    behaviour(
      'a config change changes the checksum/config annotation, so the API pods roll',
      'in templates/api.yaml, keep the checksum/config annotation on the pod template computed from the ConfigMap template',
      () => {
        const checksum = (objects: Rendered[]) =>
          get(
            one(objects, 'Deployment', NAMES.api).obj,
            'spec',
            'template',
            'metadata',
            'annotations',
            'checksum/config',
          );
        expect(checksum(render('api.config.LOG_LEVEL=debug'))).not.toEqual(
          checksum(render('api.config.LOG_LEVEL=warn')),
        );
      },
    );

    behaviour(
      'extraEnv reaches the API and migrate containers',
      "in templates/api.yaml and migrate-job.yaml, append api.extraEnv to the containers' env",
      () => {
        const objects = render(
          'api.extraEnv[0].name=NODE_OPTIONS',
          'api.extraEnv[0].value=--max-old-space-size=256',
        );
        const wanted = { name: 'NODE_OPTIONS', value: '--max-old-space-size=256' };
        expect(envOf(one(objects, 'Deployment', NAMES.api), 'api')).toContainEqual(wanted);
        expect(envOf(one(objects, 'Job', NAMES.migrate), 'migrate')).toContainEqual(wanted);
      },
    );

    behaviour(
      'podAnnotations land on the pod templates next to the checksum',
      'in templates/api.yaml and web.yaml, merge api.podAnnotations and web.podAnnotations into the pod template annotations (beside checksum/config on the API)',
      () => {
        const objects = render('api.podAnnotations.team=tasks', 'web.podAnnotations.team=web');
        const annotations = (name: string) =>
          get(one(objects, 'Deployment', name).obj, 'spec', 'template', 'metadata', 'annotations') as Record<
            string,
            string
          >;
        expect(annotations(NAMES.api)).toMatchObject({
          team: 'tasks',
          'checksum/config': expect.any(String),
        });
        expect(annotations(NAMES.web)).toEqual({ team: 'web' });
      },
    );

    behaviour(
      'a long fullnameOverride keeps every name within 63 characters and the component suffix',
      'in templates/_helpers.tpl, truncate the full name to leave room for the component suffix (trunc then trimSuffix "-") so every name stays within 63 characters',
      () => {
        const objects = render(`fullnameOverride=${'x'.repeat(63)}`);
        for (const r of objects) expect(r.obj.metadata.name.length).toBeLessThanOrEqual(63);
        expect(find(objects, 'Deployment').map((r) => r.obj.metadata.name.split('-').at(-1))).toEqual([
          'api',
          'web',
        ]);
      },
    );
  });
});
