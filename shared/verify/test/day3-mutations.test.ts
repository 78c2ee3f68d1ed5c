import { CheckFailedError, repoRoot, type Check } from '../src/check';
import { copyToTemp, mutateFile, removeTemp, replaceOrThrow } from '../src/fixtures';
import { kubeScoreCheck } from '../src/k8s/tool-tiers';
import { localRuntimeTier, type Tools } from '../src/tiers';
import { chartChecks, environmentChecks } from '../../../day3-helm/verify/checks';
import { helmTemplate, RELEASE } from '../../../day3-helm/verify/helm';
import { repositoryChecks } from '../../../day3-helm/verify/repo-checks';

// Each acceptance variant of day 3 breaks a copy of the repository in one way; the check guarding against it
// must fail with a precise message there, and pass on the unbroken repository.

const CHART = 'day3-helm/charts/taskboard';
const fixturePaths = [
  'day3-helm',
  'day2-k8s/cluster',
  'shared/app/api/package.json',
  'shared/app/api/src',
  'shared/app/web/package.json',
  // Read by the kube-score check: the tests left off, and the lowest targeted Kubernetes minor.
  'shared/verify/kube-score.yaml',
  'pins.yaml',
];

interface Mutation {
  name: string;
  /**
   * The check (title prefix) that must catch it, from the scenario's checks or the repository checks; with
   * `kubeScore: true`, the kube-score test ID that must fail on the scenario's or environment's render.
   */
  check: string;
  kubeScore?: true;
  scenario?: string;
  /** Or the environment (day3-helm/environments/<name>.yaml) whose render must catch it. */
  environment?: string;
  edits: { file: string; edit: (content: string) => string }[];
  contains: string[];
  /** None of these may appear: a file wrongly blamed, a harmful fix. */
  absent?: string[];
}

const PROD = 'day3-helm/environments/prod.yaml';

const mutations: Mutation[] = [
  // Issue 19: the environment files are what a learner deploys; the policy checks must see them, naming the file.
  {
    name: 'prod.yaml lets the API run as root (podSecurityContext.runAsNonRoot: false)',
    check: 'every container runs as non-root',
    environment: 'prod',
    edits: [
      {
        file: PROD,
        edit: (s) => replaceOrThrow(s, /^api:\n/m, 'api:\n  podSecurityContext:\n    runAsNonRoot: false\n'),
      },
    ],
    contains: [
      `where:    ${PROD} (${CHART}/templates/api.yaml:`,
      'runAsNonRoot',
      `value to restore is in ${PROD}`,
    ],
  },
  {
    name: 'prod.yaml scales the API HPA down to one replica (minReplicas: 1)',
    check: 'horizontalpodautoscaler-replicas',
    kubeScore: true,
    environment: 'prod',
    edits: [{ file: PROD, edit: (s) => replaceOrThrow(s, /minReplicas: \d+/, 'minReplicas: 1') }],
    contains: [
      `${CHART}/templates/api.yaml`,
      'taskboard/HorizontalPodAutoscaler/taskboard-api',
      'found:    WARNING: HPA few replicas',
    ],
  },
  {
    // Issue 19: this was blamed on networkpolicies.yaml with the advice to open port 3000.
    name: 'the API containerPort changed to 8000 (the app listens on 3000)',
    check: 'NetworkPolicies allow exactly the flows',
    scenario: 'minimal',
    edits: [
      {
        file: `${CHART}/templates/api.yaml`,
        edit: (s) => replaceOrThrow(s, 'containerPort: 3000', 'containerPort: 8000'),
      },
    ],
    contains: [
      `where:    ${CHART}/templates/api.yaml (taskboard/Deployment/taskboard-api at spec.template.spec.containers[].ports)`,
      'found:    containerPorts: 8000/TCP (http)',
      'set the containerPort back to 3000',
    ],
    absent: ['networkpolicies.yaml', 'add an ingress rule'],
  },
  {
    name: 'a required value removed (api.image.tag)',
    check: 'helm lint --strict passes',
    scenario: 'minimal',
    edits: [
      {
        file: `${CHART}/values.yaml`,
        edit: (s) =>
          replaceOrThrow(
            s,
            /\n {4}# -- Exact tag; it follows shared\/app\/api\/package\.json.*\n {4}tag: .*/,
            '',
          ),
      },
    ],
    contains: ["at '/api/image': missing property 'tag'", `where:    ${CHART}/ci/minimal-values.yaml`],
  },
  {
    name: 'a misspelled field in a template (readynessProbe)',
    check: 'every rendered object validates strictly',
    scenario: 'minimal',
    edits: [
      {
        file: `${CHART}/templates/api.yaml`,
        edit: (s) => replaceOrThrow(s, 'readinessProbe:', 'readynessProbe:'),
      },
    ],
    contains: [`${CHART}/templates/api.yaml`, 'readynessProbe', 'readinessProbe'],
  },
  {
    name: 'the selector-labels helper changed for the Deployment but not for the Service',
    check: 'every Service selector matches a pod template',
    scenario: 'minimal',
    edits: [
      {
        file: `${CHART}/templates/_helpers.tpl`,
        edit: (s) =>
          `${s}\n{{/* A "new" selector helper the Deployment moved to. */}}\n{{- define "taskboard.selectorLabelsV2" -}}\napp.kubernetes.io/name: {{ include "taskboard.name" .ctx }}-{{ .component }}\napp.kubernetes.io/instance: {{ .ctx.Release.Name }}\n{{- end }}\n`,
      },
      {
        file: `${CHART}/templates/api.yaml`,
        edit: (s) => {
          const [deployment, ...rest] = s.split('\n---\n');
          const changed = replaceOrThrow(
            deployment!,
            /taskboard\.selectorLabels"/g,
            'taskboard.selectorLabelsV2"',
          );
          return [changed, ...rest].join('\n---\n');
        },
      },
    ],
    contains: [
      `${CHART}/templates/api.yaml (taskboard/Service/taskboard-api at spec.selector)`,
      'matches no pod',
      'taskboard-api',
    ],
  },
  {
    name: 'a community chart pinned with a range (^1.2)',
    check: 'every platform chart is installed as its own release, pinned to an exact version',
    edits: [
      {
        file: 'day3-helm/platform/install.sh',
        edit: (s) =>
          replaceOrThrow(
            s,
            /^readonly CLOUDNATIVE_PG_CHART_VERSION=.*$/m,
            'readonly CLOUDNATIVE_PG_CHART_VERSION=^1.2',
          ),
      },
    ],
    contains: [
      'day3-helm/platform/install.sh',
      'release cnpg (cnpg/cloudnative-pg)',
      '= ^1.2',
      'an exact chart version',
    ],
  },
  {
    name: "one of day 2's policy violations through values (api.securityContext: {})",
    check: 'every container runs as non-root, without privilege escalation',
    scenario: 'minimal',
    edits: [
      {
        file: `${CHART}/values.yaml`,
        edit: (s) =>
          replaceOrThrow(
            s,
            /( {2}# -- Container securityContext\.\n {2}securityContext:)\n {4}allowPrivilegeEscalation: false\n {4}readOnlyRootFilesystem: true\n {4}capabilities:\n {6}drop: \[ALL\]/,
            '$1 {}',
          ),
      },
    ],
    contains: [
      `${CHART}/templates/api.yaml (taskboard/Deployment/taskboard-api at spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation)`,
      'container "api": allowPrivilegeEscalation: false',
    ],
  },
  {
    name: "kube-score's part of the same values mistake (api.securityContext: {}): a writable root filesystem",
    check: 'container-security-context-readonlyrootfilesystem',
    kubeScore: true,
    scenario: 'minimal',
    edits: [
      {
        file: `${CHART}/values.yaml`,
        edit: (s) =>
          replaceOrThrow(
            s,
            /( {2}# -- Container securityContext\.\n {2}securityContext:)\n {4}allowPrivilegeEscalation: false\n {4}readOnlyRootFilesystem: true\n {4}capabilities:\n {6}drop: \[ALL\]/,
            '$1 {}',
          ),
      },
    ],
    contains: [
      `where:    ${CHART}/templates/api.yaml`,
      'taskboard/Deployment/taskboard-api, container "api"',
      'found:    CRITICAL: The pod has a container with a writable root filesystem',
    ],
  },
  {
    name: 'the ServiceMonitor toggle on without the port name the Service uses',
    check: 'ServiceMonitors select the API Service and scrape a port name it declares',
    scenario: 'production',
    edits: [
      {
        file: `${CHART}/ci/production-values.yaml`,
        edit: (s) =>
          replaceOrThrow(
            s,
            'serviceMonitor:\n  enabled: true\n',
            'serviceMonitor:\n  enabled: true\n  port: metrics\n',
          ),
      },
    ],
    contains: [
      `${CHART}/templates/servicemonitor.yaml (taskboard/ServiceMonitor/taskboard-api at spec.endpoints[0].port)`,
      'the name of a port of Service/taskboard-api: http',
      'found:    "metrics"',
    ],
  },
  {
    name: "the database PodMonitor selecting the Cluster's name as app label (the operator's pods have none)",
    check: "PodMonitors select the CNPG Cluster's instance pods",
    scenario: 'production',
    edits: [
      {
        file: `${CHART}/templates/podmonitor.yaml`,
        edit: (s) =>
          replaceOrThrow(s, 'cnpg.io/cluster: {{ $cluster }}', 'app.kubernetes.io/name: {{ $cluster }}'),
      },
    ],
    contains: [
      `${CHART}/templates/podmonitor.yaml (taskboard/PodMonitor/taskboard-db at spec.selector)`,
      '"cnpg.io/cluster":"taskboard-db","cnpg.io/podRole":"instance"',
      'matches none of them',
    ],
  },
  {
    name: 'the database PodMonitor scraping a port name the CNPG pods do not declare',
    check: "PodMonitors select the CNPG Cluster's instance pods",
    scenario: 'production',
    edits: [
      {
        file: `${CHART}/templates/podmonitor.yaml`,
        edit: (s) => replaceOrThrow(s, '- port: metrics', '- port: exporter'),
      },
    ],
    contains: [
      `${CHART}/templates/podmonitor.yaml (taskboard/PodMonitor/taskboard-db at spec.podMetricsEndpoints[0].port)`,
      'found:    "exporter"',
    ],
  },
];

localRuntimeTier('day 3 broken variants', ['helm'], repoRoot, (tools) => {
  const pick = (m: Mutation): Check => {
    const checks = m.scenario
      ? chartChecks(() => tools.helm, { valuesFiles: [`${CHART}/ci/${m.scenario}-values.yaml`] })
      : m.environment
        ? environmentChecks(() => tools.helm, `day3-helm/environments/${m.environment}.yaml`)
        : repositoryChecks(() => tools.helm);
    const check = checks.find((c) => c.title.startsWith(m.check));
    if (!check) throw new Error(`no check title starts with "${m.check}"`);
    return check;
  };
  const failureMessage = async (check: Check, root: string) => {
    const violations = await check.run(root);
    return violations.length > 0 ? new CheckFailedError(check.title, violations).message : undefined;
  };

  for (const m of mutations.filter((x) => !x.kubeScore)) {
    it(`${m.name}: "${m.check}…" fails with a precise message`, async () => {
      const root = copyToTemp(repoRoot, fixturePaths);
      try {
        for (const { file, edit } of m.edits) mutateFile(root, file, edit);
        const message = await failureMessage(pick(m), root);
        expect(message).toBeDefined();
        for (const fragment of m.contains) expect(message).toContain(fragment);
        for (const fragment of m.absent ?? []) expect(message).not.toContain(fragment);
      } finally {
        removeTemp(root);
      }
    });

    it(`${m.name}: the same check passes on the unbroken repository`, async () => {
      expect(await failureMessage(pick(m), repoRoot)).toBeUndefined();
    });
  }
});

/** kube-score over the scenario's or environment's render, as day3-helm/verify/k8s-tools.test.ts runs it. */
function kubeScoreOn(tools: Tools, m: Mutation): Check {
  const file = m.scenario
    ? `${CHART}/ci/${m.scenario}-values.yaml`
    : `day3-helm/environments/${m.environment}.yaml`;
  return kubeScoreCheck(tools, {
    label: `helm template ${RELEASE} ${CHART} -f ${file}`,
    docs: 'day3-helm/README.md#verify',
    needs: ['helm'],
    render: (root, t) => helmTemplate(t.helm, root, { valuesFiles: [file] }),
  });
}

// Variants whose rule the real kube-score checks (docs/decisions/0013-kube-score-replaces-policy-rules.md).
localRuntimeTier('day 3 broken variants caught by kube-score', ['helm', 'kube-score'], repoRoot, (tools) => {
  const failureMessage = async (check: Check, root: string) => {
    const violations = await check.run(root);
    return violations.length > 0 ? new CheckFailedError(check.title, violations).message : undefined;
  };

  for (const m of mutations.filter((x) => x.kubeScore)) {
    it(`${m.name}: kube-score ${m.check} fails with a precise message`, async () => {
      const root = copyToTemp(repoRoot, fixturePaths);
      try {
        for (const { file, edit } of m.edits) mutateFile(root, file, edit);
        const message = await failureMessage(kubeScoreOn(tools, m), root);
        expect(message).toBeDefined();
        expect(message).toContain(`expected: kube-score ${m.check} (`);
        for (const fragment of m.contains) expect(message).toContain(fragment);
      } finally {
        removeTemp(root);
      }
    });

    it(`${m.name}: kube-score passes on the unbroken repository`, async () => {
      expect(await failureMessage(kubeScoreOn(tools, m), repoRoot)).toBeUndefined();
    });
  }
});
