import { repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { get, type Rendered } from '@taskboard/verify/src/k8s';
import { NAMES } from './checks';
import { helmTemplate } from './helm';

// Template unit tests (in the spirit of helm-unittest): one `helm template --set ...` per behaviour, asserting
// on the rendered objects. The toggles are where charts break, so each toggle gets both of its sides.

localRuntimeTier('day 3 template unit tests (helm template --set)', ['helm'], repoRoot, (tools) => {
  const render = (...set: string[]) => helmTemplate(tools.helm, repoRoot, { set });
  const renderError = (...set: string[]): string => {
    try {
      render(...set);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`helm template --set ${set.join(' --set ')} rendered, but it should have failed`);
  };
  const find = (objects: Rendered[], kind: string, name?: string) =>
    objects.filter((r) => r.obj.kind === kind && (name === undefined || r.obj.metadata.name === name));
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
    it('api.autoscaling.enabled=true renders an HPA and leaves replicas out of the Deployment', () => {
      const objects = render('api.autoscaling.enabled=true', 'api.autoscaling.minReplicas=3');
      const hpa = one(objects, 'HorizontalPodAutoscaler', NAMES.api);
      expect(get(hpa.obj, 'spec', 'minReplicas')).toBe(3);
      expect(get(hpa.obj, 'spec', 'scaleTargetRef')).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: NAMES.api,
      });
      expect(get(one(objects, 'Deployment', NAMES.api).obj, 'spec', 'replicas')).toBeUndefined();
    });

    it('autoscaling off renders api.replicaCount and no HPA', () => {
      const objects = render('api.replicaCount=4');
      expect(find(objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
      expect(get(one(objects, 'Deployment', NAMES.api).obj, 'spec', 'replicas')).toBe(4);
    });

    it('api.pdb.enabled=false renders no PodDisruptionBudget', () => {
      expect(find(render('api.pdb.enabled=false'), 'PodDisruptionBudget')).toHaveLength(0);
    });
  });

  describe('database and secrets', () => {
    const external = [
      'postgresql.mode=external',
      'postgresql.external.host=db.example.internal',
      'postgresql.external.cidr=10.1.0.0/24',
    ];

    it('postgresql.mode=cnpg renders a CNPG Cluster and reads the password from its <cluster>-app Secret', () => {
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
    });

    it('with cnpg the migrate hook runs post-install (the database is part of the release) and pre-upgrade', () => {
      const job = one(render(), 'Job', NAMES.migrate);
      expect(job.obj.metadata.annotations?.['helm.sh/hook']).toBe('post-install,pre-upgrade');
    });

    it('with an external database the migrate hook runs pre-install and pre-upgrade', () => {
      const job = one(render(...external, 'secrets.existingSecret=db-credentials'), 'Job', NAMES.migrate);
      expect(job.obj.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    });

    it('secrets.existingSecret renders no Secret and points PGPASSWORD at the existing one', () => {
      const objects = render(...external, 'secrets.existingSecret=db-credentials', 'secrets.passwordKey=pw');
      expect(find(objects, 'Secret')).toHaveLength(0);
      expect(find(objects, 'Cluster')).toHaveLength(0);
      expect(envOf(one(objects, 'Job', NAMES.migrate), 'migrate')).toContainEqual({
        name: 'PGPASSWORD',
        valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'pw' } },
      });
    });

    it('an external password without existingSecret renders a hook Secret the migrate Job can read first', () => {
      const objects = render(...external, 'postgresql.external.password=s3cret');
      const secret = one(objects, 'Secret');
      expect(secret.obj.data).toEqual({ password: Buffer.from('s3cret').toString('base64') });
      expect(secret.obj.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    });

    it('an external database without a host fails with the value to set', () => {
      expect(renderError('postgresql.mode=external', 'secrets.existingSecret=x')).toContain(
        'postgresql.mode=external needs postgresql.external.host',
      );
    });

    it('secrets.mode=keyvault on the CloudNativePG database fails: CNPG keeps its password in a Secret', () => {
      expect(renderError('secrets.mode=keyvault')).toContain(
        'secrets.mode=keyvault needs postgresql.mode=external',
      );
    });

    it('secrets.mode=keyvault mounts the Key Vault file with workload identity and renders no Secret', () => {
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
    });

    it('secrets.mode=keyvault without the Terraform ids fails naming them', () => {
      expect(renderError(...external, 'secrets.mode=keyvault')).toContain(
        'secrets.mode=keyvault needs secrets.keyvault.clientId, tenantId and vaultName',
      );
    });

    it('secrets.mode=keyvault rejects a client id that is not a GUID (schema)', () => {
      expect(renderError('secrets.mode=keyvault', 'secrets.keyvault.clientId=my-identity')).toContain(
        '/secrets/keyvault/clientId',
      );
    });
  });

  describe('routing', () => {
    it('gateway.enabled=true with ingress off renders a Gateway and an HTTPRoute and no Ingress', () => {
      const objects = render('gateway.enabled=true', 'ingress.enabled=false');
      expect(find(objects, 'Ingress')).toHaveLength(0);
      const route = one(objects, 'HTTPRoute');
      expect(get(route.obj, 'spec', 'parentRefs')).toEqual([{ name: 'taskboard', sectionName: 'websecure' }]);
      expect(get(one(objects, 'Gateway').obj, 'spec', 'listeners', 0, 'tls', 'certificateRefs')).toEqual([
        { name: 'taskboard-tls' },
      ]);
    });

    it('gateway.createGateway=false attaches the HTTPRoute to the platform Gateway and renders no Gateway', () => {
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
    });

    it('Ingress and Gateway both on fails instead of publishing the host twice', () => {
      expect(renderError('gateway.enabled=true')).toContain(
        'ingress.enabled and gateway.enabled are both true',
      );
    });

    it('tls.enabled=false renders no Certificate and an Ingress without tls', () => {
      const objects = render('tls.enabled=false');
      expect(find(objects, 'Certificate')).toHaveLength(0);
      expect(get(one(objects, 'Ingress').obj, 'spec', 'tls')).toBeUndefined();
    });
  });

  describe('observability and policies', () => {
    it('serviceMonitor.enabled=true renders a ServiceMonitor on the Service port name with the release label', () => {
      const objects = render('serviceMonitor.enabled=true', 'serviceMonitor.labels.release=kps');
      const monitor = one(objects, 'ServiceMonitor');
      expect(monitor.obj.metadata.labels?.release).toBe('kps');
      expect(get(monitor.obj, 'spec', 'endpoints', 0, 'port')).toBe('http');
      expect(find(objects, 'NetworkPolicy', 'taskboard-allow-prometheus')).toHaveLength(1);
    });

    it('serviceMonitor off renders neither the ServiceMonitor nor the Prometheus NetworkPolicy', () => {
      const objects = render();
      expect(find(objects, 'ServiceMonitor')).toHaveLength(0);
      expect(find(objects, 'NetworkPolicy', 'taskboard-allow-prometheus')).toHaveLength(0);
    });

    it('postgresql.cnpg.podMonitor.enabled=true renders a PodMonitor on the instance pods of the Cluster, port metrics', () => {
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
    });

    it('podMonitor off, or an external database, renders no PodMonitor', () => {
      expect(find(render(), 'PodMonitor')).toHaveLength(0);
      const external = render(
        'postgresql.cnpg.podMonitor.enabled=true',
        'postgresql.mode=external',
        'postgresql.external.host=db.example.internal',
        'postgresql.external.cidr=10.1.0.0/24',
        'secrets.existingSecret=db-credentials',
      );
      expect(find(external, 'PodMonitor')).toHaveLength(0);
    });

    it('networkPolicy.enabled=false renders no NetworkPolicy', () => {
      expect(find(render('networkPolicy.enabled=false'), 'NetworkPolicy')).toHaveLength(0);
    });
  });

  describe('pods', () => {
    it('a config change changes the checksum/config annotation, so the API pods roll', () => {
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
    });

    it('extraEnv reaches the API and migrate containers', () => {
      const objects = render(
        'api.extraEnv[0].name=NODE_OPTIONS',
        'api.extraEnv[0].value=--max-old-space-size=256',
      );
      const wanted = { name: 'NODE_OPTIONS', value: '--max-old-space-size=256' };
      expect(envOf(one(objects, 'Deployment', NAMES.api), 'api')).toContainEqual(wanted);
      expect(envOf(one(objects, 'Job', NAMES.migrate), 'migrate')).toContainEqual(wanted);
    });

    it('podAnnotations land on the pod templates next to the checksum', () => {
      const objects = render('api.podAnnotations.team=tasks', 'web.podAnnotations.team=web');
      const annotations = (name: string) =>
        get(one(objects, 'Deployment', name).obj, 'spec', 'template', 'metadata', 'annotations') as Record<
          string,
          string
        >;
      expect(annotations(NAMES.api)).toMatchObject({ team: 'tasks', 'checksum/config': expect.any(String) });
      expect(annotations(NAMES.web)).toEqual({ team: 'web' });
    });

    it('a long fullnameOverride keeps every name within 63 characters and the component suffix', () => {
      const objects = render(`fullnameOverride=${'x'.repeat(63)}`);
      for (const r of objects) expect(r.obj.metadata.name.length).toBeLessThanOrEqual(63);
      expect(find(objects, 'Deployment').map((r) => r.obj.metadata.name.split('-').at(-1))).toEqual([
        'api',
        'web',
      ]);
    });
  });
});
