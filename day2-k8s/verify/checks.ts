import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configSpec } from '@taskboard/api/src/config';
import { defineCheck, type Check, type Violation } from '@taskboard/verify/src/check';
import { copyParts, instructionsOf, stagesOf } from '@taskboard/verify/src/dockerfile';
import { readDockerfile, readText } from '@taskboard/verify/src/files';
import { gatewayCrdsBeforeTraefikCheck } from '@taskboard/verify/src/install-scripts';
import {
  asArray,
  asStringMap,
  containersOf,
  courseKubernetesRules,
  finding,
  kubernetesSchemas,
  parseManifests,
  podTemplates,
  renderKustomize,
  RenderError,
  toViolation,
  validateSchema,
  withCourseCrds,
  type Endpoint,
  type Finding,
  type Flow,
  type Rendered,
} from '@taskboard/verify/src/k8s';

/*
 * Every day 2 check, as a function of the repository root, so the fixture tests can run the same checks on the
 * broken scenarios under day2-k8s/tests/. The expectations about the app (its env vars, routes, migrate script)
 * are read from shared/app/api, never copied here.
 */

export const DAY = 'day2-k8s';
export const NAMESPACE = 'taskboard';
const docs = (section: string) => `${DAY}/README.md#${section}`;

/** The API's config spec, exported by shared/app/api/src/config.ts. */
export const apiConfigSpec = configSpec;

/** What the manifests must set for the API to use the in-cluster PostgreSQL rather than embedded PGlite. */
export const POSTGRES_SETTINGS = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'] as const;

/** Endpoints outside the namespace that the NetworkPolicy check reasons about. */
export const EXTERNAL_ENDPOINTS: Endpoint[] = [
  {
    id: 'traefik',
    namespace: 'traefik',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'traefik' },
    labels: { 'app.kubernetes.io/name': 'traefik' },
    ports: [
      { name: 'web', port: 8000, protocol: 'TCP' },
      { name: 'websecure', port: 8443, protocol: 'TCP' },
    ],
  },
  {
    id: 'kube-dns',
    namespace: 'kube-system',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
    labels: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
    ],
  },
  {
    id: 'other-namespace-pod',
    namespace: 'default',
    namespaceLabels: { 'kubernetes.io/metadata.name': 'default' },
    labels: { app: 'anything' },
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  },
  // A documentation address (RFC 5737) standing in for the internet.
  { id: 'internet', ip: '203.0.113.10', labels: {}, ports: [{ port: 443, protocol: 'TCP' }] },
];

const dns = (from: string): Flow[] => [
  { from, to: 'kube-dns', port: 53, protocol: 'UDP', why: 'service discovery' },
  { from, to: 'kube-dns', port: 53, protocol: 'TCP', why: 'service discovery (large answers)' },
];

/** Exactly the flows Taskboard needs; everything else must be blocked. */
export const REQUIRED_FLOWS: Flow[] = [
  { from: 'traefik', to: 'web', port: 8080, why: 'the Ingress serves the SPA' },
  { from: 'traefik', to: 'api', port: 3000, why: 'the Ingress routes /api to the API' },
  { from: 'api', to: 'postgres', port: 5432, why: 'the API stores tasks in PostgreSQL' },
  { from: 'migrate', to: 'postgres', port: 5432, why: 'the migrate Job applies the schema' },
  ...['api', 'web', 'postgres', 'migrate'].flatMap(dns),
];

export interface RenderedTarget {
  objects: Rendered[];
  substituted: string[];
}

const cache = new Map<string, RenderedTarget | RenderError>();

/** Renders `<root>/<target>` once per run; git-ignored secret files are taken from their `.example`. */
export function render(kubectl: string, root: string, target: string): RenderedTarget {
  const key = `${root}|${target}`;
  let result = cache.get(key);
  if (!result) {
    try {
      result = renderKustomize({
        kubectl,
        root,
        dir: path.join(root, target),
        fillFromExamplesUnder: path.join(root, DAY),
      });
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      result = error;
    }
    cache.set(key, result);
  }
  if (result instanceof RenderError) throw result;
  return result;
}

function violations(findings: Finding[], section: string): Violation[] {
  return findings.map((f) => toViolation(f, docs(section)));
}

/** A check over the rendered objects of `target`. A render failure is reported by the render check alone. */
function objectCheck(
  kubectl: () => string,
  target: string,
  title: string,
  section: string,
  rule: (objects: Rendered[], root: string) => Finding[],
): Check {
  return defineCheck(title, (root) => {
    let objects: Rendered[];
    try {
      objects = render(kubectl(), root, target).objects;
    } catch (error) {
      return [
        {
          file: target,
          object: 'kustomization',
          expected: 'a kustomization that renders (see the render check)',
          actual: (error as Error).message.split('\n').slice(0, 3).join(' '),
          fix: `run kubectl kustomize ${target} and fix the first error`,
          docs: docs(section),
        },
      ];
    }
    return violations(rule(objects, root), section);
  });
}

function configValue(objects: Rendered[], name: string): string | undefined {
  for (const r of objects) {
    if (r.obj.kind === 'ConfigMap' && r.obj.metadata.name.startsWith('api-config')) {
      const value = asStringMap(r.obj.data)[name];
      if (value !== undefined) return value;
    }
  }
  return configSpec.find((v) => v.env === name)?.default;
}

function packageJson(root: string, workspace: string): { version: string; scripts?: Record<string, string> } {
  return JSON.parse(readFileSync(path.join(root, workspace, 'package.json'), 'utf8')) as {
    version: string;
    scripts?: Record<string, string>;
  };
}

const apiPackage = (root: string) => packageJson(root, 'shared/app/api');

/** The file the migrate script runs, from the API's package.json (`node dist/cli/migrate.js`). */
export function migrateScript(root: string): string | undefined {
  return apiPackage(root)
    .scripts?.migrate?.split(/\s+/)
    .find((part) => part.endsWith('.js'));
}

const API_DOCKERFILE = 'day1-containers/api.Dockerfile';

/**
 * The Job's relative script path must land, from the image's WORKDIR, on the file the API build produces:
 * `COPY ... shared/app/api/dist <dest>` in the final stage of day 1's Dockerfile, plus the package script's
 * path inside dist/.
 */
function migrateScriptInImage(objects: Rendered[], root: string): Finding[] {
  const script = migrateScript(root);
  const job = objects.find((r) => r.obj.kind === 'Job' && r.obj.metadata.name === 'migrate');
  if (!script || !job) return []; // reported by the migrate-script checks
  const container = podTemplates([job])
    .flatMap((p) => containersOf(p, false))
    .at(0);
  const argv = container
    ? [...asArray(container.container.command), ...asArray(container.container.args)].map(String)
    : [];
  const scriptArg = argv.find((arg) => arg.endsWith('.js'));
  const runtime = stagesOf(readDockerfile(root, API_DOCKERFILE)).at(-1);
  if (!runtime || !scriptArg) return [];
  let workdir = '/';
  for (const instruction of instructionsOf(runtime, 'WORKDIR')) {
    workdir = path.posix.resolve(workdir, instruction.getArgumentsContent() ?? '/');
  }
  const distCopy = instructionsOf(runtime, 'COPY')
    .map(copyParts)
    .find((copy) => copy.sources.some((source) => source.replace(/\/$/, '').endsWith('shared/app/api/dist')));
  const expected =
    distCopy &&
    path.posix.join(path.posix.resolve(workdir, distCopy.destination), script.replace(/^dist\//, ''));
  const actual = path.posix.resolve(workdir, scriptArg);
  if (expected === actual) return [];
  return [
    finding(job, 'job-command-in-image', `${container?.path ?? 'spec.template.spec.containers[0]'}.command`, {
      expected: expected
        ? `${expected} (WORKDIR ${workdir} and the dist COPY of ${API_DOCKERFILE}, plus ${script} from the migrate script)`
        : `${API_DOCKERFILE} to COPY shared/app/api/dist into its final stage`,
      actual: `${scriptArg}, which resolves to ${actual}`,
      fix: expected
        ? `run node ${path.posix.relative(workdir, expected)}`
        : 'restore the dist COPY in the Dockerfile',
    }),
  ];
}

/** The checks of one kustomization (the base, or a broken scenario built on it). */
export function manifestChecks(kubectl: () => string, target: string): Check[] {
  const check = (title: string, section: string, rule: (objects: Rendered[], root: string) => Finding[]) =>
    objectCheck(kubectl, target, title, section, rule);
  const schemas = () => withCourseCrds(kubernetesSchemas());
  const rules = courseKubernetesRules({
    namespace: NAMESPACE,
    api: 'api',
    migrate: { name: 'migrate', noun: 'Job' },
    labels: ['app.kubernetes.io/name', 'app.kubernetes.io/part-of'],
    configSpec,
    postgresSettings: POSTGRES_SETTINGS,
    imageTags: (root) => [
      {
        repository: 'taskboard-api',
        tag: apiPackage(root).version,
        why: 'the version in shared/app/api/package.json',
      },
      {
        repository: 'taskboard-web',
        tag: packageJson(root, 'shared/app/web').version,
        why: 'the version in shared/app/web/package.json',
      },
    ],
    // An unset variable means the app's own default (config.ts), not zero.
    shutdownMs: (objects) =>
      ['SHUTDOWN_DELAY_MS', 'SHUTDOWN_TIMEOUT_MS']
        .map((name) => Number(configValue(objects, name) ?? 0))
        .reduce((a, b) => a + b, 0),
    migrateScript,
    networkPolicyFile: `${DAY}/base/networkpolicies.yaml`,
    flowsInWords: 'Traefik -> web/api, api/migrate -> postgres:5432 and DNS',
    flows: () => ({ endpoints: EXTERNAL_ENDPOINTS, flows: REQUIRED_FLOWS }),
    sections: {
      imageTags: 'step-3-load-the-images',
      rollout: 'step-9-a-rolling-update-with-zero-failed-requests',
      serviceSelectors: 'break-it-fix-it',
      targetPorts: 'break-it-fix-it',
      ingressBackends: 'step-6-port-forward-versus-ingress',
      httpRouteBackends: 'gateway-api-variant',
      tlsSources: 'step-7-curl-over-tls',
      probeTargets: 'break-it-fix-it',
      defaultDeny: 'break-it-fix-it',
      networkFlows: 'break-it-fix-it',
    },
  });
  // Day 2's own: the Job's script path inside day 1's image, next to the check that the Job runs the script.
  rules.splice(
    rules.findIndex((r) => r.title.startsWith("migrate Job runs the API's migrate script")) + 1,
    0,
    {
      title: "migrate Job's script path exists in day 1's API image layout",
      section: 'verify',
      rule: migrateScriptInImage,
    },
  );
  return [
    defineCheck(`kubectl kustomize ${target} renders`, (root) => {
      try {
        const { objects } = render(kubectl(), root, target);
        return objects.length > 0
          ? []
          : [
              {
                file: `${target}/kustomization.yaml`,
                object: 'kustomization',
                expected: 'at least one object',
                actual: 'empty output',
                fix: 'list the manifests under resources:',
                docs: docs('step-4-apply-the-manifests'),
              },
            ];
      } catch (error) {
        return [
          {
            file: `${target}/kustomization.yaml`,
            object: 'kustomization',
            expected: 'kubectl kustomize to succeed',
            actual: (error as Error).message,
            fix: 'fix the error kustomize reports (a missing file, a bad patch target, YAML syntax)',
            docs: docs('step-4-apply-the-manifests'),
          },
        ];
      }
    }),
    check(
      `every object validates strictly against the Kubernetes ${kubernetesSchemas().source.split(' ')[1]} schema (unknown fields, types, required fields)`,
      'verify',
      (objects) => validateSchema(objects, schemas()),
    ),
    ...rules.map((r) => check(r.title, r.section, r.rule)),
  ];
}

/** Checks of files around the manifests: the kind cluster, the add-on install, the secret handling, the API's migrate CLI. */
export function repositoryChecks(): Check[] {
  return [
    gatewayCrdsBeforeTraefikCheck(
      `${DAY}/cluster/up.sh`,
      docs('step-2-install-the-gateway-api-crds-cert-manager-and-traefik'),
    ),
    defineCheck('kind cluster maps host ports 80 and 443 to the node labelled ingress-ready=true', (root) => {
      const file = `${DAY}/kind-cluster.yaml`;
      const [config] = parseManifests(readText(root, file, { kind: 'kind cluster config' }), file);
      const nodes = (config?.obj as unknown as { nodes?: unknown[] } | undefined)?.nodes ?? [];
      const ingressNode = nodes.find((node) => {
        const n = node as { labels?: Record<string, string>; kubeadmConfigPatches?: string[] };
        return (
          n.labels?.['ingress-ready'] === 'true' ||
          (n.kubeadmConfigPatches ?? []).some((p) => p.includes('ingress-ready=true'))
        );
      }) as { extraPortMappings?: { containerPort?: number; hostPort?: number }[] } | undefined;
      const out: Violation[] = [];
      if (!ingressNode) {
        out.push({
          file,
          object: 'nodes',
          expected: 'a node with labels: { ingress-ready: "true" } (Traefik is pinned to it)',
          actual: 'no node carries the label',
          fix: 'add labels: { ingress-ready: "true" } to the control-plane node',
          docs: docs('step-1-create-the-cluster'),
        });
        return out;
      }
      for (const port of [80, 443]) {
        const mapped = ingressNode.extraPortMappings?.some(
          (m) => m.containerPort === port && m.hostPort === port,
        );
        if (!mapped) {
          out.push({
            file,
            object: 'ingress-ready node extraPortMappings',
            expected: `containerPort ${port} -> hostPort ${port}`,
            actual: JSON.stringify(ingressNode.extraPortMappings ?? []),
            fix: `add { containerPort: ${port}, hostPort: ${port}, protocol: TCP } (without it https://taskboard.localtest.me never answers)`,
            docs: docs('step-1-create-the-cluster'),
          });
        }
      }
      return out;
    }),
    defineCheck('the PostgreSQL secret file is git-ignored and only its .example is committed', (root) => {
      const file = `${DAY}/base/secrets/postgres.env`;
      const out: Violation[] = [];
      const ignored = (() => {
        try {
          execFileSync('git', ['check-ignore', '-q', file], { cwd: root, stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      })();
      if (!ignored) {
        out.push({
          file: '.gitignore',
          object: file,
          expected: `${file} ignored by git`,
          actual: 'not ignored: a real password could be committed',
          fix: 'keep the **/secrets/*.env rule in .gitignore',
          docs: docs('step-4-apply-the-manifests'),
        });
      }
      if (!existsSync(path.join(root, `${file}.example`))) {
        out.push({
          file: `${file}.example`,
          object: 'example secret',
          expected: 'a committed example showing the keys',
          actual: 'missing',
          fix: 'restore the .example file with a placeholder value',
          docs: docs('step-4-apply-the-manifests'),
        });
      }
      return out;
    }),
    defineCheck("the API's migrate script has a source file that builds it", (root) => {
      const script = migrateScript(root);
      const source =
        script && path.join('shared/app/api', script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'));
      if (source && existsSync(path.join(root, source))) return [];
      return [
        {
          file: 'shared/app/api/package.json',
          object: 'scripts.migrate',
          expected: 'node dist/<path>.js with a matching src/<path>.ts',
          actual: script ? `${script}, but ${source} does not exist` : 'no migrate script',
          fix: 'restore the migrate CLI in shared/app/api (the Job runs it)',
          docs: docs('verify'),
        },
      ];
    }),
  ];
}
