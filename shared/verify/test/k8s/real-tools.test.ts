import { CheckFailedError, repoRoot } from '../../src/check';
import {
  checkAutomountOff,
  checkHostAccess,
  checkImageTagAfterRegistryPort,
  checkPdbAllowsEviction,
  checkProbes,
  checkSecurityContext,
  checkTopologySpread,
  checkZeroDowntimeRollout,
  get,
  isRecord,
  type Finding,
  type Rendered,
} from '../../src/k8s';
import { kubernetesMinors, loadKubeScoreConfig, runKubeScore } from '../../src/k8s/kube-score';
import { runKubernetesValidate } from '../../src/k8s/kubernetes-validate';
import { localRuntimeTier } from '../../src/tiers';
import { render } from '../../../../day2-k8s/verify/checks';

// Mutation tests for the real tools: a copy of day 2's rendered base, broken one way per rule the course relies
// on, must fail with a violation that names the file the learner edits; the unbroken copy must pass.

const BASE = 'day2-k8s/base';

function copyOf(objects: Rendered[]): Rendered[] {
  return objects.map((r) => ({ file: r.file, obj: structuredClone(r.obj) }));
}

function find(objects: Rendered[], kind: string, name: string): Rendered {
  const found = objects.find((r) => r.obj.kind === kind && r.obj.metadata.name === name);
  if (!found) throw new Error(`${BASE} renders no ${kind}/${name}`);
  return found;
}

/** The first container of a workload's pod template, as a mutable record. */
function container(r: Rendered): Record<string, unknown> {
  const first = get(r.obj, 'spec', 'template', 'spec', 'containers', 0);
  if (!isRecord(first)) throw new Error(`${r.file}: no container`);
  return first;
}

function podSpec(r: Rendered): Record<string, unknown> {
  const spec = get(r.obj, 'spec', 'template', 'spec');
  if (!isRecord(spec)) throw new Error(`${r.file}: no pod spec`);
  return spec;
}

interface Mutation {
  name: string;
  /** The kube-score test ID that must fail. */
  check: string;
  file: string;
  object: string;
  mutate: (objects: Rendered[]) => Rendered[];
}

const kubeScoreMutations: Mutation[] = [
  {
    name: 'a Deployment without probes',
    check: 'pod-probes',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/Deployment/api',
    mutate: (objects) => {
      const c = container(find(objects, 'Deployment', 'api'));
      delete c.readinessProbe;
      delete c.livenessProbe;
      return objects;
    },
  },
  {
    name: 'a privileged container',
    check: 'container-security-context-privileged',
    file: 'day2-k8s/base/web.yaml',
    object: 'taskboard/Deployment/web',
    mutate: (objects) => {
      const c = container(find(objects, 'Deployment', 'web'));
      c.securityContext = {
        ...(c.securityContext as object),
        privileged: true,
        allowPrivilegeEscalation: true,
      };
      return objects;
    },
  },
  {
    name: 'a container without resources',
    check: 'container-resources',
    file: 'day2-k8s/base/web.yaml',
    object: 'taskboard/Deployment/web',
    mutate: (objects) => {
      delete container(find(objects, 'Deployment', 'web')).resources;
      return objects;
    },
  },
  {
    name: 'an image on :latest',
    check: 'container-image-tag',
    file: 'day2-k8s/base/web.yaml',
    object: 'taskboard/Deployment/web',
    mutate: (objects) => {
      container(find(objects, 'Deployment', 'web')).image = 'taskboard-web:latest';
      return objects;
    },
  },
  {
    name: 'a writable root filesystem',
    check: 'container-security-context-readonlyrootfilesystem',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/Deployment/api',
    mutate: (objects) => {
      const c = container(find(objects, 'Deployment', 'api'));
      c.securityContext = { ...(c.securityContext as object), readOnlyRootFilesystem: false };
      return objects;
    },
  },
  {
    name: 'no seccomp profile',
    check: 'container-seccomp-profile',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/Deployment/api',
    mutate: (objects) => {
      const spec = podSpec(find(objects, 'Deployment', 'api'));
      spec.securityContext = { ...(spec.securityContext as object), seccompProfile: undefined };
      return objects;
    },
  },
  {
    name: "the api's PodDisruptionBudget removed",
    check: 'deployment-has-poddisruptionbudget',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/Deployment/api',
    mutate: (objects) => objects.filter((r) => r.obj.kind !== 'PodDisruptionBudget'),
  },
  {
    name: 'a Service selector that matches no pod',
    check: 'service-targets-pod',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/Service/api',
    mutate: (objects) => {
      find(objects, 'Service', 'api').obj.spec = {
        ...(find(objects, 'Service', 'api').obj.spec as object),
        selector: { 'app.kubernetes.io/name': 'apii' },
      };
      return objects;
    },
  },
  {
    name: 'one api replica',
    check: 'deployment-replicas',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/Deployment/api',
    mutate: (objects) => {
      (find(objects, 'Deployment', 'api').obj.spec as Record<string, unknown>).replicas = 1;
      return objects;
    },
  },
  {
    name: 'api replicas left out (the Deployment defaults to 1)',
    check: 'deployment-replicas',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/Deployment/api',
    mutate: (objects) => {
      delete (find(objects, 'Deployment', 'api').obj.spec as Record<string, unknown>).replicas;
      return objects;
    },
  },
  {
    name: 'an HPA that lets the api scale down to one replica (minReplicas: 1)',
    check: 'horizontalpodautoscaler-replicas',
    file: 'day2-k8s/base/api.yaml',
    object: 'taskboard/HorizontalPodAutoscaler/api',
    mutate: (objects) => {
      const api = find(objects, 'Deployment', 'api');
      delete (api.obj.spec as Record<string, unknown>).replicas;
      objects.push({
        file: api.file,
        obj: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'api', namespace: 'taskboard' },
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
            minReplicas: 1,
            maxReplicas: 4,
          },
        },
      });
      return objects;
    },
  },
];

/**
 * Why a course rule stays (docs/decisions/0013-kube-score-replaces-policy-rules.md): broken this way, the real
 * kube-score 1.20.0 reports nothing but `kubeScoreReports` (tests about something else), and the course's rule
 * fails with `rule`.
 */
interface GapMutation {
  name: string;
  kubeScoreReports: string[];
  ours: (objects: Rendered[]) => Finding[];
  rule: string;
  /** Further course rules the same mistake breaks. */
  alsoRules?: string[];
  mutate: (objects: Rendered[]) => Rendered[];
}

const securityContextOf = (c: Record<string, unknown>) => c.securityContext as Record<string, unknown>;

const gapMutations: GapMutation[] = [
  {
    name: 'the web Service removed along with the web probes (pod-probes skips pods no Service selects)',
    // The Ingress now points at a missing Service; nothing about the probes.
    kubeScoreReports: ['ingress-targets-service'],
    ours: (objects) => checkProbes(objects),
    rule: 'container-probes',
    mutate: (objects) => {
      const c = container(find(objects, 'Deployment', 'web'));
      delete c.readinessProbe;
      delete c.livenessProbe;
      return objects.filter((r) => !(r.obj.kind === 'Service' && r.obj.metadata.name === 'web'));
    },
  },
  {
    name: 'runAsNonRoot: false, allowPrivilegeEscalation: true and no dropped capabilities on the api',
    kubeScoreReports: [],
    ours: (objects) => checkSecurityContext(objects),
    rule: 'run-as-non-root',
    alsoRules: ['no-privilege-escalation', 'drop-all-capabilities'],
    mutate: (objects) => {
      const api = find(objects, 'Deployment', 'api');
      const c = container(api);
      c.securityContext = {
        ...securityContextOf(c),
        runAsNonRoot: false,
        allowPrivilegeEscalation: true,
        capabilities: {},
      };
      const spec = podSpec(api);
      spec.securityContext = { ...(spec.securityContext as object), runAsNonRoot: false };
      return objects;
    },
  },
  {
    name: 'a seccomp profile of type Unconfined on the api pod (container-seccomp-profile accepts any profile)',
    kubeScoreReports: [],
    ours: (objects) => checkSecurityContext(objects),
    rule: 'seccomp-runtime-default',
    mutate: (objects) => {
      const api = find(objects, 'Deployment', 'api');
      const spec = podSpec(api);
      spec.securityContext = { ...(spec.securityContext as object), seccompProfile: { type: 'Unconfined' } };
      const c = container(api);
      c.securityContext = { ...securityContextOf(c), seccompProfile: undefined };
      return objects;
    },
  },
  {
    name: 'an image behind a registry port without a tag (localhost:5000/taskboard-web)',
    kubeScoreReports: [],
    ours: (objects) => checkImageTagAfterRegistryPort(objects),
    rule: 'image-tag-after-registry-port',
    mutate: (objects) => {
      container(find(objects, 'Deployment', 'web')).image = 'localhost:5000/taskboard-web';
      return objects;
    },
  },
  {
    name: 'an api PodDisruptionBudget with minAvailable equal to the replicas',
    kubeScoreReports: [],
    ours: (objects) => checkPdbAllowsEviction(objects, 'Deployment', 'api'),
    rule: 'pdb-blocks-eviction',
    mutate: (objects) => {
      const pdb = objects.find(
        (r) => r.obj.kind === 'PodDisruptionBudget' && r.obj.metadata.name === 'api',
      ) as Rendered;
      const spec = pdb.obj.spec as Record<string, unknown>;
      delete spec.maxUnavailable;
      spec.minAvailable = (find(objects, 'Deployment', 'api').obj.spec as { replicas: number }).replicas;
      return objects;
    },
  },
  {
    name: 'hostNetwork: true on the web pod',
    kubeScoreReports: [],
    ours: (objects) => checkHostAccess(objects),
    rule: 'pod-host-namespace',
    mutate: (objects) => {
      podSpec(find(objects, 'Deployment', 'web')).hostNetwork = true;
      return objects;
    },
  },
  {
    name: 'the api ServiceAccount token mounted (automountServiceAccountToken: true on the pod)',
    kubeScoreReports: [],
    ours: (objects) => checkAutomountOff(objects),
    rule: 'pod-automount',
    mutate: (objects) => {
      podSpec(find(objects, 'Deployment', 'api')).automountServiceAccountToken = true;
      return objects;
    },
  },
  {
    name: 'the api rolling out with maxUnavailable: 25% (deployment-strategy accepts any RollingUpdate)',
    kubeScoreReports: [],
    ours: (objects) => checkZeroDowntimeRollout(objects, 'api'),
    rule: 'deployment-rollout',
    mutate: (objects) => {
      const spec = find(objects, 'Deployment', 'api').obj.spec as Record<string, unknown>;
      spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } };
      return objects;
    },
  },
  {
    name: 'the api topologySpreadConstraints removed (pod-topology-spread-constraints passes a pod without any)',
    kubeScoreReports: [],
    ours: (objects) => checkTopologySpread(objects, 'Deployment', 'api'),
    rule: 'pod-topology-spread',
    mutate: (objects) => {
      delete podSpec(find(objects, 'Deployment', 'api')).topologySpreadConstraints;
      return objects;
    },
  },
];

interface SchemaMutation {
  name: string;
  contains: string;
  mutate: (objects: Rendered[]) => Rendered[];
}

const schemaMutations: SchemaMutation[] = [
  {
    name: 'an unknown field containerPorts in a Deployment',
    contains: "'containerPorts' was unexpected",
    mutate: (objects) => {
      container(find(objects, 'Deployment', 'api')).containerPorts = [{ containerPort: 3000 }];
      return objects;
    },
  },
  {
    name: 'replicas: "2" (a string)',
    contains: "'2' is not of type 'integer'",
    mutate: (objects) => {
      (find(objects, 'Deployment', 'api').obj.spec as Record<string, unknown>).replicas = '2';
      return objects;
    },
  },
  {
    name: 'a Deployment under apps/v2, which no targeted minor serves',
    contains: 'apps/v2',
    mutate: (objects) => {
      find(objects, 'Deployment', 'api').obj.apiVersion = 'apps/v2';
      return objects;
    },
  },
];

localRuntimeTier(
  'real tools: kube-score mutations of day 2',
  ['kube-score', 'kubectl'],
  repoRoot,
  (tools) => {
    const lowest = () => kubernetesMinors(repoRoot)[0] as string;
    const score = (objects: Rendered[]) =>
      runKubeScore(
        tools['kube-score'],
        objects,
        loadKubeScoreConfig(repoRoot),
        lowest(),
        `kubectl kustomize ${BASE}`,
      ).violations;
    const base = () => render(tools.kubectl, repoRoot, BASE).objects;

    it(`passes on the unbroken ${BASE}`, () => {
      const violations = score(base());
      if (violations.length > 0) throw new CheckFailedError('kube-score on the base', violations);
    });

    for (const m of kubeScoreMutations) {
      it(`${m.name} fails ${m.check}, naming ${m.file}`, () => {
        const violations = score(m.mutate(copyOf(base())));
        const hit = violations.find((v) => v.expected.startsWith(`kube-score ${m.check} `));
        expect(hit).toBeDefined();
        expect(hit?.file).toBe(m.file);
        expect(hit?.object).toContain(m.object);
        expect(hit?.docs).toMatch(/^https:\/\/github\.com\/zegl\/kube-score\/blob\/v1\.20\.0\//);
      });
    }

    for (const m of gapMutations) {
      it(`${m.name}: kube-score does not see it, the course's ${m.rule} does`, () => {
        const broken = m.mutate(copyOf(base()));
        const violations = score(broken);
        const reported = violations.map((v) => /^kube-score (\S+) /.exec(v.expected)?.[1]);
        expect([...new Set(reported)]).toEqual(m.kubeScoreReports);
        const rules = [m.rule, ...(m.alsoRules ?? [])];
        expect(m.ours(broken).map((f) => f.rule)).toEqual(expect.arrayContaining(rules));
        expect(m.ours(base()).filter((f) => rules.includes(f.rule))).toEqual([]);
      });
    }

    it("a scoped ignore drops only its objects: web's missing PDB is left off, the api's is not", () => {
      const violations = score(copyOf(base()).filter((r) => r.obj.kind !== 'PodDisruptionBudget'));
      const pdb = violations.filter((v) =>
        v.expected.startsWith('kube-score deployment-has-poddisruptionbudget '),
      );
      expect(pdb.map((v) => v.object)).toEqual(['taskboard/Deployment/api']);
    });
  },
);

localRuntimeTier(
  'real tools: kubernetes-validate mutations of day 2',
  ['kubernetes-validate', 'kubectl'],
  repoRoot,
  (tools) => {
    const minors = () => kubernetesMinors(repoRoot);
    const base = () => render(tools.kubectl, repoRoot, BASE).objects;

    it(`passes on the unbroken ${BASE} and lists the custom resources it skips`, () => {
      const result = runKubernetesValidate(tools['kubernetes-validate'], base(), minors());
      if (result.violations.length > 0) throw new CheckFailedError('kubernetes-validate', result.violations);
      expect(result.skippedKinds).toEqual([
        'Certificate (cert-manager.io/v1)',
        'ClusterIssuer (cert-manager.io/v1)',
      ]);
    });

    for (const m of schemaMutations) {
      it(`${m.name} fails, naming day2-k8s/base/api.yaml and every targeted minor`, () => {
        const result = runKubernetesValidate(
          tools['kubernetes-validate'],
          m.mutate(copyOf(base())),
          minors(),
        );
        expect(result.violations).toHaveLength(1);
        const [v] = result.violations;
        expect(v?.file).toBe('day2-k8s/base/api.yaml');
        expect(v?.object).toContain('taskboard/Deployment/api');
        expect(v?.actual).toContain(m.contains);
        expect(v?.expected).toContain(minors().join(', '));
      });
    }
  },
);
