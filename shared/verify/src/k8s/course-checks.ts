import path from 'node:path';
import { expressGetRoutes } from './app-routes';
import { checkDefaultDeny, checkNetworkFlows, type Endpoint, type Flow } from './netpol';
import {
  checkAutomountOff,
  checkHostAccess,
  checkImageTagAfterRegistryPort,
  checkImageTags,
  checkLabels,
  checkPdbAllowsEviction,
  checkProbes,
  checkSecurityContext,
  checkTerminationGrace,
  checkTopologySpread,
  checkZeroDowntimeRollout,
} from './policy';
import type { Finding, Rendered } from './types';
import {
  checkAppConfigEnv,
  checkEnvReferences,
  checkHttpRouteBackends,
  checkIngressBackends,
  checkProbeTargets,
  checkRunsScript,
  checkServiceSelectors,
  checkTargetPorts,
  checkTlsSources,
  type AppConfigVar,
  type EnvReferenceOptions,
} from './xref';

/*
 * The Kubernetes check list days 2, 3 and 7 share: the course's own policy rules (what kube-score does not cover,
 * docs/decisions/0013-kube-score-replaces-policy-rules.md) and the cross-references between the app, its
 * manifests and its NetworkPolicies. A day renders the objects (kustomize, helm template) and adds what is
 * particular to it; this list only needs the names and expectations that differ between days.
 */

/** One check of the list, before a day binds it to how it renders its objects. */
export interface ObjectRule {
  title: string;
  /** The section of the day's README a failure points at. */
  section: string;
  rule: (objects: Rendered[], root: string) => Finding[];
}

/** The checks of the list, by key, so a day can point one at its own README section. */
export type CourseRuleKey =
  | 'probes'
  | 'securityContext'
  | 'hostAccess'
  | 'imageTagAfterRegistryPort'
  | 'imageTags'
  | 'automount'
  | 'labels'
  | 'pdbAllowsEviction'
  | 'rollout'
  | 'topologySpread'
  | 'terminationGrace'
  | 'serviceSelectors'
  | 'targetPorts'
  | 'ingressBackends'
  | 'httpRouteBackends'
  | 'tlsSources'
  | 'envReferences'
  | 'apiConfigEnv'
  | 'migrateConfigEnv'
  | 'probeTargets'
  | 'migrateScript'
  | 'defaultDeny'
  | 'networkFlows';

export interface CourseChecksOptions {
  namespace: string;
  /** Object names: the API Deployment (and its container "api") and the migrate Job. */
  api: string;
  migrate: { name: string; container?: string; /** "Job" or "hook", as the day calls it. */ noun: string };
  labels: readonly string[];
  /** The API's config schema (shared/app/api/src/config.ts) and the PostgreSQL settings both pods must set. */
  configSpec: readonly AppConfigVar[];
  postgresSettings: readonly string[];
  /** The images our build produces, with the tag each must carry. */
  imageTags: (root: string) => { repository: string; tag: string; why: string }[];
  /** The app's graceful shutdown (delay + timeout, ms) as the rendered config sets it. */
  shutdownMs: (objects: Rendered[]) => number;
  /** The file the API's migrate script runs (`dist/cli/migrate.js`). */
  migrateScript: (root: string) => string | undefined;
  /** The file holding the NetworkPolicies, and the flows the scenario needs. */
  networkPolicyFile: string;
  flows: (objects: Rendered[], root: string) => { endpoints: Endpoint[]; flows: Flow[] };
  /** What the flows check allows, in words: "Traefik -> web/api, ... and DNS". */
  flowsInWords: string;
  /** Objects that need probes (day 3 leaves out the helm test Pod). */
  probed?: (objects: Rendered[]) => Rendered[];
  envReferences?: (root: string) => EnvReferenceOptions;
  /** Drops TLS findings the day knows to be someone else's (an issuer the cluster operator creates). */
  tlsFilter?: (findings: Finding[], root: string) => Finding[];
  /** README sections, by key; the rest point at "verify". */
  sections?: Partial<Record<CourseRuleKey, string>>;
}

export function courseKubernetesRules(o: CourseChecksOptions): ObjectRule[] {
  const rule = (key: CourseRuleKey, title: string, check: ObjectRule['rule']): ObjectRule => ({
    title,
    section: o.sections?.[key] ?? 'verify',
    rule: check,
  });
  const routes = (root: string) =>
    expressGetRoutes(
      path.join(root, 'shared/app/api/src/app.ts'),
      path.join(root, 'shared/app/api/src/routes'),
    );
  const migrate = `migrate ${o.migrate.noun}`;
  return [
    rule('probes', 'long-running containers have readiness and liveness probes', (objects) =>
      checkProbes(o.probed ? o.probed(objects) : objects),
    ),
    rule(
      'securityContext',
      'every container runs as non-root, without privilege escalation, with ALL capabilities dropped and the RuntimeDefault seccomp profile',
      (objects) => checkSecurityContext(objects),
    ),
    rule(
      'hostAccess',
      'no pod uses the host: no host network/PID/IPC, hostPath volumes or hostPorts',
      (objects) => checkHostAccess(objects),
    ),
    rule(
      'imageTagAfterRegistryPort',
      'every image behind a registry host:port still names a tag',
      (objects) => checkImageTagAfterRegistryPort(objects),
    ),
    rule(
      'imageTags',
      "the api, migrate and web containers run day 1's images tagged with the app's version",
      (objects, root) => checkImageTags(objects, o.imageTags(root)),
    ),
    rule('automount', 'ServiceAccounts and pods do not mount Kubernetes API tokens', (objects) =>
      checkAutomountOff(objects),
    ),
    rule(
      'labels',
      `every object and pod template carries the app.kubernetes.io labels ${o.labels.map((l) => l.replace('app.kubernetes.io/', '')).join(', ')}`,
      (objects) => checkLabels(objects, o.labels),
    ),
    rule('pdbAllowsEviction', 'api PodDisruptionBudgets still allow one eviction', (objects) =>
      checkPdbAllowsEviction(objects, 'Deployment', o.api),
    ),
    rule('rollout', 'api rolls out with maxUnavailable: 0', (objects) =>
      checkZeroDowntimeRollout(objects, o.api),
    ),
    rule('topologySpread', 'api spreads its replicas across nodes', (objects) =>
      checkTopologySpread(objects, 'Deployment', o.api),
    ),
    rule(
      'terminationGrace',
      "api terminationGracePeriodSeconds outlasts the app's graceful shutdown",
      (objects) => checkTerminationGrace(objects, o.api, o.shutdownMs(objects)),
    ),
    rule('serviceSelectors', 'every Service selector matches a pod template', (objects) =>
      checkServiceSelectors(objects),
    ),
    rule('targetPorts', 'every Service targetPort exists on the selected containers', (objects) =>
      checkTargetPorts(objects),
    ),
    rule('ingressBackends', 'Ingress backends point at existing Services and ports', (objects) =>
      checkIngressBackends(objects),
    ),
    rule('httpRouteBackends', 'HTTPRoute backends point at existing Services and ports', (objects) =>
      checkHttpRouteBackends(objects),
    ),
    rule(
      'tlsSources',
      'TLS secrets come from a cert-manager Certificate whose issuer exists',
      (objects, root) =>
        o.tlsFilter ? o.tlsFilter(checkTlsSources(objects), root) : checkTlsSources(objects),
    ),
    rule(
      'envReferences',
      o.envReferences
        ? 'every ConfigMap and Secret key an env var references exists (rendered, written by CNPG, or existingSecret)'
        : 'every ConfigMap and Secret key an env var references exists',
      (objects, root) => checkEnvReferences(objects, o.envReferences?.(root)),
    ),
    rule(
      'apiConfigEnv',
      `api container sets the PostgreSQL settings of the API config schema (${o.postgresSettings.join(', ')}) and no variable the API does not read`,
      (objects) =>
        checkAppConfigEnv(objects, {
          kind: 'Deployment',
          name: o.api,
          container: 'api',
          spec: o.configSpec,
          mustSet: o.postgresSettings,
        }),
    ),
    rule('migrateConfigEnv', `${migrate} sets the same PostgreSQL settings`, (objects) =>
      checkAppConfigEnv(objects, {
        kind: 'Job',
        name: o.migrate.name,
        container: o.migrate.container,
        spec: o.configSpec,
        mustSet: o.postgresSettings,
      }),
    ),
    rule('probeTargets', 'api probes target routes the API serves, on a declared port', (objects, root) =>
      checkProbeTargets(objects, { kind: 'Deployment', name: o.api, container: 'api', routes: routes(root) }),
    ),
    rule('migrateScript', `${migrate} runs the API's migrate script`, (objects, root) =>
      checkRunsScript(objects, {
        kind: 'Job',
        name: o.migrate.name,
        container: o.migrate.container,
        script: o.migrateScript(root) ?? 'dist/cli/migrate.js',
        why: 'the "migrate" script of shared/app/api/package.json',
      }),
    ),
    rule('defaultDeny', 'a default-deny NetworkPolicy covers ingress and egress', (objects) =>
      checkDefaultDeny(objects, { namespace: o.namespace, file: o.networkPolicyFile }),
    ),
    rule(
      'networkFlows',
      `NetworkPolicies allow exactly ${o.flowsInWords}, and nothing else`,
      (objects, root) => {
        const { endpoints, flows } = o.flows(objects, root);
        return checkNetworkFlows(objects, {
          namespace: o.namespace,
          extraEndpoints: endpoints,
          flows,
          file: o.networkPolicyFile,
        });
      },
    ),
  ];
}
