// Day 6 checks: the GitHub workflows are linted by actionlint and audited by zizmor (the field's own tools, run as
// programs), held to the course's own policy and cross-referenced with the rest of the repository. Each check takes
// the repository root, so the fixture tests run it on a mutated copy.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  defineCheck,
  fileExists,
  isDirectory,
  readJson,
  readText,
  readWorkflow,
  readYaml,
  violationsFor,
  type Violation,
  type Workflow,
  type WorkflowJob,
  type WorkflowStep,
} from '@taskboard/verify';

export const DAY = 'day6-cicd';
const WORKFLOWS = '.github/workflows';
const README = `${DAY}/README.md`;

/** What the fixture tests copy into a temp dir: everything these checks read. */
export const fixturePaths = [
  '.github',
  '.ci',
  'scripts',
  'package.json',
  'shared/verify/days.json',
  'shared/app/api/package.json',
  'shared/app/web/package.json',
  'day1-containers',
  'day2-k8s/kind-cluster.yaml',
  'day2-k8s/cluster',
  'day2-k8s/base',
  'day3-helm/charts',
  'day3-helm/environments',
  'day3-helm/platform',
  'day4-observability/stack',
  'day4-observability/manifests',
  'day4-observability/taskboard-values.yaml',
  'day5-terraform',
  'day7-keyvault-aks/values-aks.yaml',
  'day7-keyvault-aks/terraform',
  DAY,
];

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function workflowFiles(root: string): string[] {
  return readdirSync(path.join(root, WORKFLOWS))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => `${WORKFLOWS}/${f}`);
}

function eachWorkflow(root: string): { file: string; workflow: Workflow }[] {
  return workflowFiles(root).map((file) => ({ file, workflow: readWorkflow(root, file) }));
}

function eachJob(root: string) {
  return eachWorkflow(root).flatMap(({ file, workflow }) =>
    Object.entries(workflow.jobs).map(([id, job]) => ({ file, workflow, id, job })),
  );
}

const stepsOf = (job: WorkflowJob) => (Array.isArray(job.steps) ? job.steps : []);
const actionOf = (uses: string | undefined) => uses?.split('@')[0]?.toLowerCase();

/** A job logs in to Azure with OIDC: an azure/login step, or the azurerm provider/backend's ARM_USE_OIDC. */
function logsInToAzure(workflow: Workflow, job: WorkflowJob): boolean {
  const envOf = (v: unknown) => (isMapping(v) ? v : {});
  const armOidc = (env: Record<string, unknown>) => String(env.ARM_USE_OIDC) === 'true';
  return (
    stepsOf(job).some((s) => actionOf(s.uses) === 'azure/login') ||
    armOidc(envOf(workflow.env)) ||
    armOidc(envOf(job.env)) ||
    stepsOf(job).some((s) => armOidc(envOf(s.env)))
  );
}

function environmentName(job: WorkflowJob): string | undefined {
  const env = job.environment;
  if (typeof env === 'string') return env;
  if (isMapping(env) && typeof env.name === 'string') return env.name;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Lint and security audit: actionlint and zizmor, run as the programs scripts/bootstrap-tools.sh installs

const lintDocs = `${WORKFLOWS}/README.md#how-they-are-checked`;

/** The version a tool prints (`actionlint -version`, `zizmor --version`), shown in the test titles. */
export function toolVersion(tool: string, args: string[]): string {
  const output = execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return /\d+\.\d+\.\d+/.exec(output)?.[0] ?? `unknown (${output.trim().split('\n')[0] ?? ''})`;
}

/** Runs a linter that exits non-zero when it has findings; returns its stdout in both cases. */
function runLinter(tool: string, args: string[], root: string, findingsExit: (status: number) => boolean) {
  try {
    return execFileSync(tool, args, {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { status, stdout, stderr } = error as { status?: number; stdout?: string; stderr?: string };
    if (status !== undefined && findingsExit(status) && stdout) return stdout;
    throw new Error(`${path.basename(tool)} ${args.join(' ')} failed (exit ${status}): ${stderr ?? ''}`, {
      cause: error,
    });
  }
}

/** One problem of `actionlint -format '{{json .}}'` (its ErrorTemplateFields, error.go at v1.7.12). */
interface ActionlintFinding {
  message: string;
  filepath: string;
  line: number;
  column: number;
  kind: string;
}

/** The section of actionlint's docs/checks.md (tag v1.7.12) that explains each rule, by the rule's kind. */
const ACTIONLINT_CHECKS = 'https://github.com/rhysd/actionlint/blob/v1.7.12/docs/checks.md';
const ACTIONLINT_SECTIONS: Record<string, string> = {
  'syntax-check': 'unexpected-keys',
  action: 'popular-action-inputs-validation-at-with',
  credentials: 'hardcoded-credentials',
  'deprecated-commands': 'check-deprecated-workflow-commands',
  'env-var': 'environment-variable-names',
  events: 'webhook-events-validation',
  glob: 'glob-filter-pattern-syntax-validation',
  id: 'id-naming-convention',
  'if-cond': 'constant-conditions-at-if',
  'job-needs': 'job-dependencies-validation',
  matrix: 'matrix-values',
  permissions: 'permissions',
  'runner-label': 'runner-labels',
  'shell-name': 'shell-name-validation-at-shell',
  'workflow-call': 'reusable-workflows',
};

function actionlintDocs(finding: ActionlintFinding): string {
  const code = /\bSC(\d{4})\b/.exec(finding.message)?.[1];
  if (finding.kind === 'shellcheck' && code) return `https://www.shellcheck.net/wiki/SC${code}`;
  if (finding.kind === 'expression' && /potentially untrusted/.test(finding.message))
    return `${ACTIONLINT_CHECKS}#script-injection-by-potentially-untrusted-inputs`;
  const section = ACTIONLINT_SECTIONS[finding.kind];
  return section ? `${ACTIONLINT_CHECKS}#${section}` : ACTIONLINT_CHECKS;
}

/**
 * actionlint over every workflow: syntax and keys, expressions and their types, action inputs, job needs, runner
 * labels, permissions, untrusted input in scripts, and shellcheck on every run: block (given its path, so it never
 * silently skips). Exit 1 means "problems found" (docs/usage.md).
 */
export function actionlintCheck(actionlint: string, shellcheck: string) {
  return defineCheck(
    'actionlint finds no problem in any workflow (shellcheck on every run: block)',
    (root) => {
      // A located error for a file that is not a workflow at all, as every other day 6 check gives.
      for (const file of workflowFiles(root)) readWorkflow(root, file);
      const args = ['-format', '{{json .}}', '-no-color', '-shellcheck', shellcheck, '-pyflakes', ''];
      const output = runLinter(actionlint, [...args, ...workflowFiles(root)], root, (status) => status === 1);
      return (JSON.parse(output) as ActionlintFinding[]).map((f) => ({
        file: f.filepath,
        object: `line ${f.line}, column ${f.column}`,
        expected: 'no actionlint finding',
        actual: `actionlint [${f.kind}]: ${f.message}`,
        fix: `fix the workflow at that line as the [${f.kind}] rule explains (docs below); ${WORKFLOWS}/README.md#how-they-are-checked says how the course runs it`,
        docs: actionlintDocs(f),
      }));
    },
  );
}

/** The course's accepted zizmor findings, each with its reason. */
export const ZIZMOR_CONFIG = '.github/zizmor.yml';

/** One finding of `zizmor --format json` (format v1). */
interface ZizmorFinding {
  ident: string;
  desc: string;
  url: string;
  determinations: { confidence: string; severity: string };
  locations: {
    symbolic: {
      key: { Local?: { verbatim_path: string } };
      annotation: string;
      route: { route: Record<string, string | number>[] };
      kind: string;
    };
    concrete: { location: { start_point: { row: number; column: number } } };
  }[];
}

/**
 * zizmor's security audit of every workflow and dependabot.yml, offline (no call to GitHub), at its default
 * "regular" persona, with .github/zizmor.yml: unpinned or impostor actions, template injection, credentials left
 * in .git/config, excessive or default permissions, dangerous triggers, cache poisoning and more. It exits with
 * 11 to 14 by the highest severity found (docs.zizmor.sh/usage, exit codes).
 */
export function zizmorCheck(zizmor: string) {
  return defineCheck('zizmor finds no security problem in any workflow (offline audits)', (root) => {
    for (const file of workflowFiles(root)) readWorkflow(root, file);
    const inputs = [
      ...workflowFiles(root),
      ...(fileExists(root, '.github/dependabot.yml') ? ['.github/dependabot.yml'] : []),
    ];
    const args = ['--offline', '--no-progress', '--format', 'json', '--config', ZIZMOR_CONFIG, ...inputs];
    const output = runLinter(zizmor, args, root, (status) => status >= 10 && status <= 14);
    return (JSON.parse(output) as ZizmorFinding[]).map((f) => {
      const primary = f.locations.find((l) => l.symbolic.kind === 'Primary') ?? f.locations[0];
      const route = (primary?.symbolic.route.route ?? []).map((step) => Object.values(step)[0]).join('.');
      const row = (primary?.concrete.location.start_point.row ?? 0) + 1;
      return {
        file: primary?.symbolic.key.Local?.verbatim_path ?? '(unknown file)',
        object: `line ${row}${route ? `, ${route}` : ''}`,
        expected: 'no zizmor finding',
        actual: `zizmor [${f.ident}] (${f.determinations.severity.toLowerCase()} severity): ${f.desc}: ${primary?.symbolic.annotation ?? ''}`,
        fix: `fix it as the ${f.ident} audit's documentation says (docs below); only a finding the course accepts on purpose goes into ${ZIZMOR_CONFIG}, with its reason`,
        docs: f.url,
      };
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Policy

const policy = violationsFor(`${WORKFLOWS}/README.md#security-policy`);

export const idTokenCheck = defineCheck('id-token: write appears only in jobs that log in to Azure', (root) =>
  eachJob(root).flatMap(({ file, workflow, id, job }) => {
    const perms = job.permissions;
    const wantsToken = perms === 'write-all' || (isMapping(perms) && perms['id-token'] === 'write');
    if (!wantsToken || logsInToAzure(workflow, job)) return [];
    return [
      policy(file, `job "${id}"`, {
        expected: 'id-token: write only where azure/login (or ARM_USE_OIDC) uses the OIDC token',
        actual: 'id-token: write on a job that never logs in to Azure',
        fix: `remove id-token: write from job "${id}": any step of it could mint a token for your cloud identity`,
      }),
    ];
  }),
);

/** The level a job's token has for `scope`: the job's permissions, else the workflow's (GitHub's own resolution). */
function permissionOf(workflow: Workflow, job: WorkflowJob, scope: string): 'none' | 'read' | 'write' {
  const perms = job.permissions !== undefined ? job.permissions : workflow.permissions;
  if (perms === 'write-all') return 'write';
  if (perms === 'read-all') return scope === 'id-token' ? 'none' : 'read';
  const level = isMapping(perms) ? perms[scope] : undefined;
  return level === 'write' || level === 'read' ? level : 'none';
}

export const permissionsNeededCheck = defineCheck(
  'every job has the permissions its steps need (contents: read to check out, id-token: write to log in to Azure)',
  (root) =>
    eachJob(root).flatMap(({ file, workflow, id, job }) => {
      const found: Violation[] = [];
      const checksOut = stepsOf(job).some((s) => actionOf(s.uses) === 'actions/checkout');
      if (checksOut && permissionOf(workflow, job, 'contents') === 'none')
        found.push(
          policy(file, `job "${id}"`, {
            expected:
              'permissions: contents: read (actions/checkout fetches the repository with the job token)',
            actual: 'a job that checks out the repository with no contents permission',
            fix: `add contents: read to the permissions of job "${id}"`,
          }),
        );
      if (logsInToAzure(workflow, job) && permissionOf(workflow, job, 'id-token') !== 'write')
        found.push(
          policy(file, `job "${id}"`, {
            expected:
              'permissions: id-token: write (the Azure login exchanges the OIDC token for an access token)',
            actual: 'a job that logs in to Azure without id-token: write',
            fix: `add id-token: write to the permissions of job "${id}"`,
          }),
        );
      return found;
    }),
);

export const workflowRunCheck = defineCheck(
  'every workflow_run trigger names a workflow of this repository',
  (root) => {
    const workflows = eachWorkflow(root);
    const names = new Set(
      workflows.map(({ workflow }) => workflow.name).filter((n) => typeof n === 'string'),
    );
    return workflows.flatMap(({ file, workflow }) => {
      const trigger = isMapping(workflow.on) ? workflow.on.workflow_run : undefined;
      const listed = isMapping(trigger) && Array.isArray(trigger.workflows) ? trigger.workflows : [];
      return listed
        .filter((name) => !names.has(name as string))
        .map((name) =>
          xref(file, 'on.workflow_run.workflows', {
            expected: `a name: of a workflow in ${WORKFLOWS} (workflow_run matches the name, not the file)`,
            actual: `${String(name)}, which no workflow is named: this workflow never triggers`,
            fix: `use one of ${[...names].join(', ')}, or rename the workflow back`,
          }),
        );
    });
  },
);

export const checkoutCredentialsCheck = defineCheck(
  'every actions/checkout step sets persist-credentials: false',
  (root) =>
    eachJob(root).flatMap(({ file, id, job }) =>
      stepsOf(job)
        .map((step, index) => ({ step, index }))
        .filter(({ step }) => actionOf(step.uses) === 'actions/checkout')
        .filter(({ step }) => !isMapping(step.with) || step.with['persist-credentials'] !== false)
        .map(({ index }) =>
          policy(file, `job "${id}", step ${index + 1} (actions/checkout)`, {
            expected: 'with: persist-credentials: false',
            actual:
              'the job token stays in .git/config, where every later step (and any artifact of .git) can read it',
            fix: "add persist-credentials: false under the checkout step's with:",
          }),
        ),
    ),
);

/** azure/login's OIDC inputs and the azurerm provider's, each from its repository variable (ids, never secrets). */
const AZURE_LOGIN_INPUTS: Record<string, string> = {
  'client-id': 'AZURE_CLIENT_ID',
  'tenant-id': 'AZURE_TENANT_ID',
  'subscription-id': 'AZURE_SUBSCRIPTION_ID',
};

export const azureLoginCheck = defineCheck(
  'every azure/login step logs in with OIDC from the AZURE_* repository variables',
  (root) =>
    eachJob(root).flatMap(({ file, id, job }) =>
      stepsOf(job).flatMap((step, index) => {
        if (actionOf(step.uses) !== 'azure/login') return [];
        const inputs = isMapping(step.with) ? step.with : {};
        return Object.entries(AZURE_LOGIN_INPUTS)
          .filter(([input, variable]) => inputs[input] !== `\${{ vars.${variable} }}`)
          .map(([input, variable]) =>
            policy(file, `job "${id}", step ${index + 1} (azure/login)`, {
              expected: `${input}: \${{ vars.${variable} }} (OIDC: the identity's ids, no stored secret)`,
              actual: inputs[input] === undefined ? `no ${input}` : `${input}: ${String(inputs[input])}`,
              fix: `set ${input}: \${{ vars.${variable} }} (day6-cicd/README.md, step 1, creates the variable)`,
            }),
          );
      }),
    ),
);

/** Rows of the "Pinned actions" table in .github/workflows/README.md: action -> { version, commit }. */
export function pinTable(root: string): Map<string, { version: string; commit: string }> {
  const rows = readText(root, `${WORKFLOWS}/README.md`).matchAll(
    /^\| `([\w.-]+\/[\w./-]+)` \| (v?\d+\.\d+\.\d+) \| `([0-9a-f]{40})` \|$/gm,
  );
  return new Map(
    [...rows].map(([, action, version, commit]) => [
      action ?? '',
      { version: version ?? '', commit: commit ?? '' },
    ]),
  );
}

/**
 * zizmor's unpinned-uses audit holds every uses: to a commit SHA; this holds each SHA to the table's row, and asks
 * for the `# vX.Y.Z` comment that names the release (Dependabot updates it with the SHA).
 */
export const pinTableCheck = defineCheck(
  'every pinned action matches its row in the Pinned actions table (one commit per action, # vX.Y.Z comment)',
  (root) => {
    const table = pinTable(root);
    const v = violationsFor(`${WORKFLOWS}/README.md#pinned-actions`);
    return workflowFiles(root).flatMap((file) =>
      readText(root, file)
        .split('\n')
        .flatMap((line, index) => {
          const m =
            /^\s*(?:-\s+)?uses:\s*['"]?([\w.-]+\/[\w./-]+)@([0-9a-f]{40})['"]?\s*(?:#\s*(v?\d+\.\d+\.\d+))?/.exec(
              line,
            );
          if (!m) return [];
          const [, action = '', commit = '', version] = m;
          const row = table.get(action);
          if (row?.commit === commit && row.version === version) return [];
          return [
            v(file, `line ${index + 1}`, {
              expected: row
                ? `${action}@${row.commit} # ${row.version} (the table's pin)`
                : `a row for ${action} in the Pinned actions table, with where its commit was confirmed`,
              actual: `${action}@${commit}${version ? ` # ${version}` : ' (no # vX.Y.Z comment: which release is it?)'}`,
              fix: row
                ? 'use the same commit and # version comment as the table everywhere, or update the table and every use together'
                : 'confirm the release commit (git ls-remote) and add the row',
            }),
          ];
        }),
    );
  },
);

/**
 * The first release of each action whose `runs.using` is node24 (or, for a composite action, whose inner actions all
 * are), read from `action.yml` at each tag of the action's repository. GitHub removed Node 20 from its runners on
 * 2026-09-16: an older release no longer starts. trivy-action is composite: v0.35.0 still called actions/cache
 * v4.2.4 (node20).
 */
export const FIRST_NODE24_RELEASE: Record<string, string> = {
  'actions/checkout': 'v5.0.0',
  'actions/setup-node': 'v5.0.0',
  // v6.0.0 and v6.1.0 are node20 (action.yml at each tag of actions/setup-go, read 2026-12-03).
  'actions/setup-go': 'v6.2.0',
  'actions/upload-artifact': 'v6.0.0',
  'actions/github-script': 'v8.0.0',
  'azure/login': 'v3.0.0',
  'azure/setup-helm': 'v5.0.0',
  'docker/setup-qemu-action': 'v4.0.0',
  'docker/setup-buildx-action': 'v4.0.0',
  'docker/metadata-action': 'v6.0.0',
  'docker/build-push-action': 'v7.0.0',
  'hashicorp/setup-terraform': 'v4.0.0',
  'helm/kind-action': 'v1.13.0',
  'aquasecurity/trivy-action': 'v0.36.0',
};

const semver = (v: string) => v.replace(/^v/, '').split('.').map(Number);
const atLeast = (version: string, floor: string) => {
  const [a, b] = [semver(version), semver(floor)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

export const node24ActionsCheck = defineCheck(
  'every pinned action is a release that runs on Node 24 (GitHub removed Node 20 on 2026-09-16)',
  (root) =>
    [...pinTable(root)].flatMap(([action, { version }]) => {
      const floor = FIRST_NODE24_RELEASE[action.toLowerCase()];
      if (floor && atLeast(version, floor)) return [];
      return [
        violationsFor(`${WORKFLOWS}/README.md#pinned-actions`)(
          `${WORKFLOWS}/README.md`,
          `Pinned actions, ${action}`,
          {
            expected: floor
              ? `${action} ${floor} or later (its first release with runs.using: node24)`
              : `${action} in FIRST_NODE24_RELEASE (day6-cicd/verify/checks.ts), with the first release whose action.yml says node24`,
            actual: floor
              ? `${version}, which runs on Node 20 or older: the step fails on GitHub's runners`
              : `${version}: its runtime was never checked`,
            fix: floor
              ? `move ${action} to ${floor} or later (git rev-parse <tag>^{commit} in its repository) in the table and every uses:`
              : "read runs.using in that release's action.yml (and its inner actions for a composite one), then add the entry",
          },
        ),
      ];
    }),
);

export const timeoutCheck = defineCheck('every job has timeout-minutes', (root) =>
  eachJob(root).flatMap(({ file, id, job }) =>
    // A job that calls a reusable workflow cannot set timeout-minutes; the called workflow's jobs are checked.
    job.uses !== undefined || typeof job['timeout-minutes'] === 'number'
      ? []
      : [
          policy(file, `job "${id}"`, {
            expected: 'timeout-minutes: <a few times its usual duration>',
            actual: "no timeout-minutes: a hung step runs for GitHub's default of 360 minutes",
            fix: `add timeout-minutes to job "${id}"`,
          }),
        ],
  ),
);

/** A job that creates its own kind cluster (kind.yml) installs into that throwaway cluster, not a shared target. */
const createsOwnCluster = (job: WorkflowJob) =>
  stepsOf(job).some((s) => actionOf(s.uses) === 'helm/kind-action');

const deploysSomething = (job: WorkflowJob) =>
  !createsOwnCluster(job) &&
  stepsOf(job).some((s) =>
    /\bhelm upgrade\b|\bterraform\b[^\n]*\bapply\b|day6-cicd\/scripts\/deploy\.sh/.test(s.run ?? ''),
  );

export const deployGuardsCheck = defineCheck(
  'deploy workflows have concurrency and every deploying job an environment',
  (root) =>
    eachWorkflow(root).flatMap(({ file, workflow }) => {
      const deploying = Object.entries(workflow.jobs).filter(([, job]) => deploysSomething(job));
      if (deploying.length === 0) return [];
      const found: Violation[] = [];
      if (workflow.concurrency === undefined && deploying.some(([, j]) => j.concurrency === undefined))
        found.push(
          policy(file, 'concurrency', {
            expected: 'a concurrency group, so two deploys never run against the same target at once',
            actual: 'no concurrency:',
            fix: 'add concurrency: { group: deploy-${{ github.repository }}, cancel-in-progress: false }',
          }),
        );
      const cancels = [workflow.concurrency, ...deploying.map(([, j]) => j.concurrency)].some(
        (c) => isMapping(c) && c['cancel-in-progress'] === true,
      );
      if (cancels)
        found.push(
          policy(file, 'concurrency', {
            expected:
              'cancel-in-progress: false, so the next deploy waits instead of stopping this one halfway',
            actual: 'cancel-in-progress: true on a workflow that deploys',
            fix: 'set cancel-in-progress: false (or an expression that is true only for pull requests)',
          }),
        );
      for (const [id, job] of deploying)
        if (environmentName(job) === undefined)
          found.push(
            policy(file, `job "${id}"`, {
              expected:
                'environment: <dev|prod|infra> (protection rules, approvals and an exact OIDC subject)',
              actual: 'a deploying job without an environment',
              fix: `add environment: to job "${id}"`,
            }),
          );
      return found;
    }),
);

export const concurrencyCheck = defineCheck('every triggered workflow has a concurrency group', (root) =>
  eachWorkflow(root)
    .filter(
      ({ workflow }) =>
        !(isMapping(workflow.on) && Object.keys(workflow.on).every((t) => t === 'workflow_call')),
    )
    .flatMap(({ file, workflow }) => {
      const concurrency = workflow.concurrency;
      const group = isMapping(concurrency) ? concurrency.group : undefined;
      const hasGroup = typeof group === 'string' && group.trim() !== '';
      if (hasGroup && isMapping(concurrency) && 'cancel-in-progress' in concurrency) return [];
      return [
        policy(file, 'concurrency', {
          expected: 'concurrency: { group: <workflow>-${{ github.ref }}, cancel-in-progress: ... }',
          actual:
            concurrency === undefined
              ? 'no concurrency:'
              : !hasGroup
                ? 'concurrency without a group (GitHub rejects it; runs would not queue or cancel)'
                : 'concurrency without cancel-in-progress',
          fix: 'add a concurrency group; cancel-in-progress: true where a newer run makes the old one pointless',
        }),
      ];
    }),
);

export const pathsFilterCheck = defineCheck('every paths: filter includes the workflow file itself', (root) =>
  eachWorkflow(root).flatMap(({ file, workflow }) => {
    if (!isMapping(workflow.on)) return [];
    return Object.entries(workflow.on).flatMap(([trigger, config]) => {
      const paths = isMapping(config) && Array.isArray(config.paths) ? (config.paths as string[]) : undefined;
      if (!paths || paths.includes(file)) return [];
      return [
        policy(file, `on.${trigger}.paths`, {
          expected: `'${file}' in the list`,
          actual: 'a change to the workflow itself would not run it',
          fix: `add '${file}' to on.${trigger}.paths`,
        }),
      ];
    });
  }),
);

/** A GitHub paths: pattern as a RegExp: `**` crosses folders, `*` and `?` stay inside one. */
export function pathFilterRegExp(pattern: string): RegExp {
  const body = pattern
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${body}$`);
}

export const pathsCoverScriptsCheck = defineCheck(
  'every paths: filter includes the scripts and reusable workflows its jobs run',
  (root) =>
    eachWorkflow(root).flatMap(({ file, workflow }) => {
      const runs = Object.values(workflow.jobs).flatMap((job) => [
        ...stepsOf(job).flatMap((s) =>
          [...(s.run ?? '').matchAll(/\bbash\s+([\w./-]+\.sh)\b/g)].map((m) => m[1] ?? ''),
        ),
        ...(job.uses?.startsWith('./') ? [job.uses.slice(2)] : []),
      ]);
      return Object.entries(triggersOf(workflow)).flatMap(([trigger, config]) => {
        const paths =
          isMapping(config) && Array.isArray(config.paths) ? (config.paths as string[]) : undefined;
        if (!paths) return [];
        const patterns = paths.filter((p) => !p.startsWith('!')).map(pathFilterRegExp);
        return [...new Set(runs)]
          .filter((script) => !patterns.some((re) => re.test(script)))
          .map((script) =>
            policy(file, `on.${trigger}.paths`, {
              expected: `a pattern matching ${script} (a job of this workflow runs it)`,
              actual: `a change to ${script} alone would not run the workflow that runs it`,
              fix: `add '${script}' to on.${trigger}.paths`,
            }),
          );
      });
    }),
);

// ---------------------------------------------------------------------------------------------------------------
// Cross-references

const xref = violationsFor(`${WORKFLOWS}/README.md#cross-references`);

const runScripts = (root: string) =>
  eachJob(root).flatMap(({ file, id, job }) => stepsOf(job).map((s) => ({ file, id, run: s.run ?? '' })));

export const npmScriptsCheck = defineCheck(
  'every npm run <script> a workflow uses exists in package.json',
  (root) => {
    const scripts = Object.keys(
      (readJson(root, 'package.json') as { scripts?: Record<string, string> }).scripts ?? {},
    );
    return runScripts(root).flatMap(({ file, id, run }) =>
      [...run.matchAll(/\bnpm run\s+(?:-{1,2}[\w-]+\s+)*["']?([^\s"'|;&]+)/g)].flatMap(([, name]) => {
        if (!name) return [];
        // "verify:day${DAY}" stands for every value of the variable: at least one script must match the pattern.
        const pattern = new RegExp(
          `^${name.replace(/[.+?^()|[\]\\]/g, '\\$&').replace(/\$\{\{[^}]*\}\}|\$\{?\w+\}?/g, '.+')}$`,
        );
        if (scripts.some((s) => pattern.test(s))) return [];
        return [
          xref(file, `job "${id}"`, {
            expected: `a script "${name}" in package.json`,
            actual: `npm run ${name}: no such script (package.json has ${scripts.filter((s) => !s.startsWith('verify:day')).join(', ')}, verify:day1..7)`,
            fix: 'correct the script name in the workflow, or add the script to package.json',
          }),
        ];
      }),
    );
  },
);

/** Repository paths a workflow names: Dockerfiles, charts, Terraform dirs, scripts, values and kind configs. */
const PATH_PATTERN = /(?<![\w./-])((?:day\d-[\w-]+|shared|scripts|\.github)\/[\w./*-]+)/g;

export const referencedPathsCheck = defineCheck('every file and folder a workflow names exists', (root) =>
  eachJob(root).flatMap(({ file, id, job }) => {
    const texts = [
      JSON.stringify(job.env ?? {}),
      // `[ -f path ]` is the workflow asking whether a path exists (a day not started yet), not naming one it needs.
      ...stepsOf(job).flatMap((s) => [
        (s.run ?? '').replace(/\[\s+-[fd]\s+\S+\s+\]/g, ''),
        JSON.stringify(s.with ?? {}),
        JSON.stringify(s.env ?? {}),
      ]),
      JSON.stringify(job.strategy ?? {}),
    ];
    const named = new Set(
      texts.flatMap((t) => [...t.matchAll(PATH_PATTERN)].map((m) => (m[1] ?? '').replace(/[.]$/, ''))),
    );
    return [...named]
      .filter((p) => !p.includes('*') && !p.includes('$') && p !== '')
      .filter((p) => !fileExists(root, p) && !isDirectory(root, p))
      .map((p) =>
        xref(file, `job "${id}"`, {
          expected: `${p} to exist`,
          actual: `${p} is missing`,
          fix: 'correct the path in the workflow, or restore the file it points at',
        }),
      );
  }),
);

// ---------------------------------------------------------------------------------------------------------------
// deploy.sh against its target, day 7's AKS (docs/decisions/0011-day6-deploy-target.md)

export const DEPLOY_SCRIPT = `${DAY}/scripts/deploy.sh`;
/** Day 7's chart overlay: Key Vault mode, the external PostgreSQL, no Ingress, Certificate or CNPG Cluster. */
export const AKS_OVERLAY = 'day7-keyvault-aks/values-aks.yaml';
/** Where deploy.sh writes the HELM_VALUES variable (the JSON of `terraform output -json helm_values`). */
export const TERRAFORM_VALUES = '<the file deploy.sh writes $HELM_VALUES to>';
const deployDocs = violationsFor(`${README}#6-deploy-the-target-arrives-on-day-7`);

/** The `helm upgrade` command of a shell script, continuation lines joined, split into words (quotes dropped). */
function helmUpgradeWords(script: string): string[] | undefined {
  const joined = script.replace(/\\\n/g, ' ');
  const line = joined.split('\n').find((l) => /^\s*helm upgrade\b/.test(l));
  return line
    ?.trim()
    .split(/\s+/)
    .map((w) => w.replace(/^["']|["']$/g, ''));
}

/** Plain assignments of a script (`NAME=value`, also several after `readonly`), for resolving `$NAME` words. */
function shellAssignments(script: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of script.matchAll(/^(?:readonly\s+|declare\s+-r\s+)?((?:[A-Za-z_]\w*=[^\s;#]*\s*)+)$/gm))
    for (const a of (m[1] ?? '').trim().split(/\s+/)) {
      const [name = '', ...rest] = a.split('=');
      found.set(name, rest.join('=').replace(/^["']|["']$/g, ''));
    }
  return found;
}

/** The `-f`/`--values` arguments of deploy.sh's helm upgrade, each resolved as far as the script says. */
export function deployValuesFiles(script: string): string[] {
  const words = helmUpgradeWords(script) ?? [];
  const vars = shellAssignments(script);
  const fromHelmValues = new Set(
    [...script.matchAll(/\$\{?HELM_VALUES\}?["']?\s*>\s*["']?\$\{?(\w+)/g)].map((m) => m[1] ?? ''),
  );
  const resolve = (word: string) =>
    word.replace(/\$\{?(\w+)\}?/g, (all, name: string) =>
      fromHelmValues.has(name) ? TERRAFORM_VALUES : (vars.get(name) ?? all),
    );
  return words.flatMap((w, i) =>
    (w === '-f' || w === '--values') && words[i + 1] ? [resolve(words[i + 1]!)] : [],
  );
}

export const deployValuesCheck = defineCheck(
  "deploy.sh layers day 7's values-aks.yaml, then the Terraform helm_values, over the chart (no day 3 environment file)",
  (root) => {
    const script = readText(root, DEPLOY_SCRIPT);
    const expected = [AKS_OVERLAY, TERRAFORM_VALUES];
    const found = deployValuesFiles(script);
    if (found.join('\n') === expected.join('\n') && fileExists(root, AKS_OVERLAY)) return [];
    const day3 = found.filter((f) => f.startsWith('day3-helm/environments/'));
    return [
      deployDocs(DEPLOY_SCRIPT, 'helm upgrade --install -f ...', {
        expected: `-f ${expected.join(' -f ')} (${AKS_OVERLAY} must exist), in that order: the Terraform values win`,
        actual: `${found.length ? found.map((f) => `-f ${f}`).join(' ') : 'no values file'}${
          day3.length
            ? ": day 3's environments render a CNPG Cluster, a Certificate, a ClusterIssuer and an Ingress, which no operator or controller on day 7's AKS serves, and leave Key Vault mode off"
            : ''
        }${fileExists(root, AKS_OVERLAY) ? '' : `; ${AKS_OVERLAY} is missing`}`,
        fix: `pass -f "$AKS_VALUES" (${AKS_OVERLAY}) -f "$terraform_values" (printf '%s\\n' "$HELM_VALUES" >"$terraform_values") and nothing else`,
      }),
    ];
  },
);

export const deployRegistryCheck = defineCheck(
  "deploy.sh pulls from the registry day 7's kubelet has AcrPull on (the Terraform values' repositories, never overridden)",
  (root) => {
    const words = helmUpgradeWords(readText(root, DEPLOY_SCRIPT)) ?? [];
    const overrides = words.filter(
      (w, i) => /^--set/.test(words[i - 1] ?? '') && /image\.repository=/.test(w),
    );
    return overrides.map((o) =>
      deployDocs(DEPLOY_SCRIPT, 'helm upgrade --install --set', {
        expected:
          "api.image.repository and web.image.repository from the Terraform helm_values (day 7's registry, where azurerm_role_assignment.kubelet_acr_pull gives the kubelet AcrPull)",
        actual: `--set ${o}: REGISTRY is vars.ACR_LOGIN_SERVER, which points at day 5's registry until day 7; day 7's kubelet cannot pull from it (ImagePullBackOff, 401)`,
        fix: "drop the repository --set; compare $REGISTRY with the Terraform values' registry and stop when they differ",
      }),
    );
  },
);

export interface DayEntry {
  day: number;
  folder: string;
}

/**
 * The verify matrix lists every course day of shared/verify/days.json, not only the started ones: a day whose
 * folder has no suite yet runs as a loud "not started" warning (verify-day.yml), and joins CI by itself the moment
 * its verify/jest.config.js lands. So the list must equal the course days, which always covers every day folder.
 */
export const verifyMatrixCheck = defineCheck(
  'the ci.yml verify matrix covers every course day and every day folder that exists',
  (root) => {
    const file = `${WORKFLOWS}/ci.yml`;
    const days = readJson(root, 'shared/verify/days.json') as DayEntry[];
    const job = readWorkflow(root, file).jobs.verify;
    const matrix =
      isMapping(job?.strategy) && isMapping(job.strategy.matrix) ? job.strategy.matrix.day : undefined;
    const listed = Array.isArray(matrix) ? matrix.map(Number) : [];
    const v = violationsFor(`${WORKFLOWS}/README.md#ciyml`);
    const found: Violation[] = [];
    for (const { day, folder } of days)
      if (!listed.includes(day))
        found.push(
          v(file, 'jobs.verify.strategy.matrix.day', {
            expected: `day ${day} in the matrix${isDirectory(root, folder) ? ` (${folder}/ exists)` : ''}`,
            actual: `[${listed.join(', ')}]: day ${day} is missing, so npm run verify:day${day} never runs in CI`,
            fix: `add ${day} to jobs.verify.strategy.matrix.day`,
          }),
        );
    for (const n of listed)
      if (!days.some((d) => d.day === n))
        found.push(
          v(file, 'jobs.verify.strategy.matrix.day', {
            expected: `only course days (${days.map((d) => d.day).join(', ')})`,
            actual: `day ${n}, which shared/verify/days.json does not know`,
            fix: `remove ${n} from the matrix`,
          }),
        );
    // A folder that exists must have a course day listing it (a renamed folder would silently drop out).
    const folders = readdirSync(root).filter((f) => /^day\d-/.test(f) && isDirectory(root, f));
    for (const folder of folders)
      if (!days.some((d) => d.folder === folder))
        found.push(
          v('shared/verify/days.json', folder, {
            expected: `${folder} to be a course day`,
            actual: 'a day folder no course day names, so no matrix entry verifies it',
            fix: 'rename the folder to the one days.json lists',
          }),
        );
    return found;
  },
);

export const imageNamesCheck = defineCheck(
  "release.yml pushes the image names the chart's values deploy",
  (root) => {
    const file = `${WORKFLOWS}/release.yml`;
    const values = readYaml(root, 'day3-helm/charts/taskboard/values.yaml') as {
      api?: { image?: { repository?: string } };
      web?: { image?: { repository?: string } };
    };
    const chart = [values.api?.image?.repository, values.web?.image?.repository].filter(Boolean) as string[];
    const job = readWorkflow(root, file).jobs.image;
    const matrix =
      isMapping(job?.strategy) && isMapping(job.strategy.matrix) ? job.strategy.matrix.include : [];
    const released = (Array.isArray(matrix) ? matrix : []).map((e) => (isMapping(e) ? String(e.image) : ''));
    const v = violationsFor(`${WORKFLOWS}/README.md#releaseyml`);
    return [
      ...chart
        .filter((name) => !released.includes(name))
        .map((name) =>
          v(file, 'jobs.image.strategy.matrix.include[].image', {
            expected: `${name} (day3-helm/charts/taskboard/values.yaml)`,
            actual: `released images: ${released.join(', ') || 'none'}`,
            fix: 'release exactly the repositories the chart deploys, or the deploy pulls an image nobody pushed',
          }),
        ),
      ...released
        .filter((name) => !chart.includes(name))
        .map((name) =>
          v(file, 'jobs.image.strategy.matrix.include[].image', {
            expected: `one of the chart's repositories: ${chart.join(', ')}`,
            actual: `${name}, which the chart never deploys`,
            fix: 'rename the image to the chart value, or change both',
          }),
        ),
    ];
  },
);

/** Environments of the jobs that log in to Azure: each needs a federated credential with exactly that subject. */
export function azureEnvironments(root: string): Set<string> {
  return new Set(
    eachJob(root)
      .filter(({ workflow, job }) => logsInToAzure(workflow, job))
      .map(({ job }) => environmentName(job))
      .filter((e): e is string => e !== undefined),
  );
}

/**
 * Jobs that log in to Azure without an environment, other than pull-request ones (their subject is the documented
 * `repo:<owner>/<repo>:pull_request`). Their token's subject names the ref instead (GitHub's OIDC reference:
 * https://docs.github.com/en/actions/reference/security/oidc), so no environment subject matches it.
 */
function azureJobsWithoutEnvironment(root: string) {
  return eachJob(root).filter(
    ({ workflow, job }) =>
      logsInToAzure(workflow, job) &&
      environmentName(job) === undefined &&
      !String(job.if ?? '').includes("github.event_name == 'pull_request'"),
  );
}

/** The "## 1. OIDC" section only: the break/fix drills quote wrong subjects on purpose. */
const oidcSection = (text: string) => /^## 1\. OIDC$([\s\S]*?)(?=^## )/m.exec(text)?.[1] ?? '';

export const oidcSubjectsCheck = defineCheck(
  'the OIDC subjects in the day 6 README match the environments the workflows log in from',
  (root) => {
    const documented = new Set(
      [...oidcSection(readText(root, README)).matchAll(/repo:[^\s:`]+:environment:([\w-]+)/g)].map(
        (m) => m[1] ?? '',
      ),
    );
    const used = azureEnvironments(root);
    const v = violationsFor(`${README}#1-oidc`);
    return [
      ...[...used]
        .filter((e) => !documented.has(e))
        .map((e) =>
          v(README, 'federated credential subjects', {
            expected: `repo:<owner>/<repo>:environment:${e} (a workflow job logs in to Azure from environment "${e}")`,
            actual: `documented environments: ${[...documented].join(', ') || 'none'}`,
            fix: `add the subject for "${e}"; without it azure/login fails with AADSTS700213`,
          }),
        ),
      ...[...documented]
        .filter((e) => !used.has(e))
        .flatMap((e) => {
          // A job that lost its environment: the workflow is wrong, and removing the subject would not help.
          const bare = azureJobsWithoutEnvironment(root);
          const suspects = bare.some((j) => j.id === e) ? bare.filter((j) => j.id === e) : bare;
          if (suspects.length > 0)
            return suspects.map(({ file, id }) =>
              v(file, `job "${id}"`, {
                expected: `environment: ${e} (the README's federated credential trusts repo:<owner>/<repo>:environment:${e})`,
                actual:
                  'a job that logs in to Azure without an environment: its token names the ref, not an environment',
                fix: `restore environment: ${e} on job "${id}"; without it azure/login fails with AADSTS700213 and the environment's protection rules are skipped`,
              }),
            );
          return [
            v(README, 'federated credential subjects', {
              expected: `only environments a workflow logs in from (${[...used].join(', ')})`,
              actual: `environment:${e}, which no workflow job uses`,
              fix: 'remove the subject, or correct the environment name to the workflow one',
            }),
          ];
        }),
    ];
  },
);

export const workflowReadmeCheck = defineCheck(
  '.github/workflows/README.md describes every workflow',
  (root) => {
    const text = readText(root, `${WORKFLOWS}/README.md`);
    return workflowFiles(root)
      .map((f) => path.basename(f))
      .filter((name) => !new RegExp(`^#+ .*\`?${name.replace('.', '\\.')}\`?`, 'm').test(text))
      .map((name) =>
        violationsFor(`${WORKFLOWS}/README.md`)(`${WORKFLOWS}/README.md`, 'headings', {
          expected: `a section headed ${name}`,
          actual: 'no heading names it',
          fix: `add "## ${name}" with its triggers, jobs, permissions and what it needs`,
        }),
      );
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Parity

/** npm entry points a script runs: `npm ci`, `npm test`, `npm run <name>` (arguments after them ignored). */
export function npmEntryPoints(text: string): Set<string> {
  return new Set(
    [...text.matchAll(/^[^#\n]*?\bnpm (ci|test|run [\w:.-]+)/gm)].map((m) => `npm ${m[1] ?? ''}`),
  );
}

export const parityCheck = defineCheck('ci.yml runs the same npm entry points as .ci/run', (root) => {
  const file = `${WORKFLOWS}/ci.yml`;
  const local = npmEntryPoints(readText(root, '.ci/run'));
  const workflow = readWorkflow(root, file);
  const inCi = npmEntryPoints(
    Object.values(workflow.jobs)
      .flatMap((job) => stepsOf(job).map((s) => s.run ?? ''))
      .join('\n'),
  );
  const v = violationsFor(`${WORKFLOWS}/README.md#ciyml`);
  return [
    ...[...local]
      .filter((e) => !inCi.has(e))
      .map((e) =>
        v(file, 'steps', {
          expected: `${e} (.ci/run runs it)`,
          actual: `ci.yml runs ${[...inCi].join(', ')}`,
          fix: `add a step that runs ${e}, so GitHub and .ci/run test the same thing`,
        }),
      ),
    ...[...inCi]
      .filter((e) => !local.has(e))
      .map((e) =>
        v(file, 'steps', {
          expected: `only what .ci/run runs (${[...local].join(', ')})`,
          actual: `${e}, which .ci/run never runs`,
          fix: 'run the same entry point in .ci/run too, or drop it from ci.yml',
        }),
      ),
  ];
});

/** Packages named by `apt-get install` commands (line continuations joined, options dropped). */
export function aptPackages(text: string): Set<string> {
  const joined = text.replace(/\\\n/g, ' ');
  return new Set(
    [...joined.matchAll(/apt-get install([^\n>|;&]*)/g)].flatMap((m) =>
      (m[1] ?? '').split(/\s+/).filter((t) => t !== '' && !t.startsWith('-') && !t.startsWith('"')),
    ),
  );
}

export const aptParityCheck = defineCheck(
  'workflow jobs that run npm test or verify install the Debian packages .ci/run installs',
  (root) => {
    const list = /^apt_packages=\(([^)]*)\)/m.exec(readText(root, '.ci/run'))?.[1] ?? '';
    const wanted = list.split(/\s+/).filter(Boolean);
    const v = violationsFor(`${WORKFLOWS}/README.md#ciyml`);
    return eachJob(root)
      .filter(({ job }) => job.container !== undefined)
      .flatMap(({ file, id, job }) => {
        const installed = aptPackages(
          stepsOf(job)
            .map((s) => s.run ?? '')
            .join('\n'),
        );
        const missing = wanted.filter((p) => !installed.has(p));
        return missing.length === 0
          ? []
          : [
              v(file, `job "${id}"`, {
                expected: `apt-get install of ${wanted.join(' ')} (apt_packages in .ci/run)`,
                actual: `missing: ${missing.join(', ')}; with CI=true a runtime check whose tool is missing fails`,
                fix: 'install the same Debian packages in the workflow as .ci/run does',
              }),
            ];
      });
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Runners, tools and triggers: what GitHub itself would reject or silently skip

const triggersOf = (workflow: Workflow): Record<string, unknown> => {
  const on = workflow.on;
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((t) => [String(t), null]));
  return isMapping(on) ? on : {};
};

export const ciUnfilteredCheck = defineCheck(
  'ci.yml runs on every change (no paths: or paths-ignore: filter)',
  (root) => {
    const file = `${WORKFLOWS}/ci.yml`;
    return Object.entries(triggersOf(readWorkflow(root, file))).flatMap(([trigger, config]) =>
      ['paths', 'paths-ignore']
        .filter((key) => isMapping(config) && key in config)
        .map((key) =>
          violationsFor(`${WORKFLOWS}/README.md#ciyml`)(file, `on.${trigger}.${key}`, {
            expected:
              'no path filter: npm run lint reads every file, and the verify suites read workflows, scripts and docs',
            actual: `on.${trigger}.${key}: a change outside the list (a workflow, a script, a doc, a lint config) gets no lint and no tests`,
            fix: `remove on.${trigger}.${key}`,
          }),
        ),
    );
  },
);

/**
 * Whether a job can run on `event` at all. A job's `if:` that compares github.event_name only with other events
 * never runs on it; a job that needs such a job never runs either.
 */
function runsOn(workflow: Workflow, id: string, event: string, seen = new Set<string>()): boolean {
  const job = workflow.jobs[id];
  if (!job || seen.has(id)) return false;
  seen.add(id);
  const condition = typeof job.if === 'string' ? job.if : '';
  const names = [...condition.matchAll(/github\.event_name\s*==\s*'([\w-]+)'/g)].map((m) => m[1]);
  if (names.length > 0 && !names.includes(event)) return false;
  const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs : [];
  return needs.every((n) => runsOn(workflow, String(n), event, seen));
}

export const dispatchRunsAJobCheck = defineCheck(
  'every workflow_dispatch trigger runs at least one job',
  (root) =>
    eachWorkflow(root)
      .filter(({ workflow }) => 'workflow_dispatch' in triggersOf(workflow))
      .filter(
        ({ workflow }) => !Object.keys(workflow.jobs).some((id) => runsOn(workflow, id, 'workflow_dispatch')),
      )
      .map(({ file, workflow }) =>
        policy(file, 'on.workflow_dispatch', {
          expected: "a job whose if: admits github.event_name == 'workflow_dispatch'",
          actual: `every job (${Object.keys(workflow.jobs).join(', ')}) is limited to other events: "Run workflow" starts a run that does nothing`,
          fix: "let the job a manual run is for admit 'workflow_dispatch' in its if:, or remove the trigger",
        }),
      ),
);

const pushesImages = (job: WorkflowJob) =>
  stepsOf(job).some(
    (s) => actionOf(s.uses) === 'docker/build-push-action' && String(s.with?.push) === 'true',
  );

/** What a release's gate and build must hold: the scan fails the job, the build ships its SBOM and provenance. */
function releaseStepProblems(step: WorkflowStep): { expected: string; actual: string; fix: string }[] {
  const inputs = isMapping(step.with) ? step.with : {};
  const problems = [];
  if (actionOf(step.uses) === 'aquasecurity/trivy-action') {
    if (String(inputs['exit-code']) !== '1')
      problems.push({
        expected: "exit-code: '1' (trivy's default, 0, reports findings and lets the release through)",
        actual: `exit-code: ${String(inputs['exit-code'] ?? '(unset: 0)')}`,
        fix: "set exit-code: '1'",
      });
    const severity = inputs.severity;
    if (severity !== undefined && !['HIGH', 'CRITICAL'].every((l) => String(severity).split(',').includes(l)))
      problems.push({
        expected: 'severity: HIGH,CRITICAL (or unset: every level)',
        actual: `severity: ${String(severity)}`,
        fix: 'set severity: HIGH,CRITICAL',
      });
    if (!/^v\d+\.\d+\.\d+$/.test(String(inputs.version ?? '')))
      problems.push({
        expected: 'version: vX.Y.Z (the trivy release the action installs, pinned like every tool)',
        actual: `version: ${String(inputs.version ?? '(unset: whatever the action defaults to)')}`,
        fix: 'set version: to the trivy release the Pinned actions table names',
      });
  }
  if (actionOf(step.uses) === 'docker/build-push-action' && String(inputs.push) === 'true') {
    if (inputs.sbom !== true)
      problems.push({
        expected: 'sbom: true',
        actual: `sbom: ${String(inputs.sbom)}`,
        fix: 'set sbom: true',
      });
    if (inputs.provenance !== 'mode=max')
      problems.push({
        expected: 'provenance: mode=max (the full SLSA build record next to the image)',
        actual: `provenance: ${String(inputs.provenance)}`,
        fix: 'set provenance: mode=max',
      });
  }
  return problems;
}

export const releaseGateCheck = defineCheck(
  'release images pass a failing vulnerability gate and ship an SBOM and provenance',
  (root) =>
    eachJob(root).flatMap(({ file, id, job }) =>
      stepsOf(job).flatMap((step, index) =>
        releaseStepProblems(step).map((problem) =>
          policy(file, `job "${id}", step ${index + 1} (${actionOf(step.uses) ?? 'run'})`, problem),
        ),
      ),
    ),
);

export const releaseRefCheck = defineCheck(
  'jobs that push images run only from main or a release tag',
  (root) =>
    eachJob(root)
      .filter(({ job }) => pushesImages(job))
      .filter(
        ({ job }) => !/github\.ref\s*==\s*'refs\/heads\/main'/.test(typeof job.if === 'string' ? job.if : ''),
      )
      .map(({ file, id, job }) =>
        policy(file, `job "${id}"`, {
          expected: "if: github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/v')",
          actual:
            typeof job.if === 'string'
              ? `if: ${job.if}`
              : 'no if: a manual run from any branch pushes that branch, under a SHA tag deploy.yml accepts',
          fix: `add that if: to job "${id}"`,
        }),
      ),
);

// Terraform on the runners: the node images and Ubuntu runners have none, and day 5 needs 1.14 or later.
const MIN_TERRAFORM = [1, 14] as const;
const needsTerraform = (run: string) =>
  /\bnpm test\b|\bnpm run "?verify(?::day(?:[57]\b|\$)|["\s]|$)|^\s*terraform\s/m.test(run);
const tools = violationsFor(`${WORKFLOWS}/README.md#pinned-actions`);

export const terraformInstalledCheck = defineCheck(
  'every job that runs Terraform or day 5/7 suites installs a pinned Terraform 1.14 or later first',
  (root) =>
    eachJob(root).flatMap(({ file, id, job }) => {
      const steps = stepsOf(job);
      const first = steps.findIndex((s) => needsTerraform(s.run ?? ''));
      if (first === -1) return [];
      const setup = steps.findIndex((s) => actionOf(s.uses) === 'hashicorp/setup-terraform');
      const version = setup === -1 ? undefined : String(steps[setup]?.with?.terraform_version ?? '');
      const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
      const recent = major > MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor >= MIN_TERRAFORM[1]);
      if (setup !== -1 && setup < first && /^\d+\.\d+\.\d+$/.test(version ?? '') && recent) return [];
      return [
        tools(file, `job "${id}"`, {
          expected: `a hashicorp/setup-terraform step with terraform_version: <exact ${MIN_TERRAFORM.join('.')}.x or later> before step ${first + 1}`,
          actual:
            setup === -1
              ? 'no setup-terraform step: terraform is not on the runner, so the suite fails (or the command is not found)'
              : setup > first
                ? `setup-terraform comes after step ${first + 1}, which needs it`
                : `terraform_version: ${version || '(none: the action installs "latest")'}`,
          fix: 'add hashicorp/setup-terraform (pinned as in the table) with terraform_version: 1.15.9 and terraform_wrapper: false',
        }),
      ];
    }),
);

// Days 5 and 7 run terraform init, validate and test against azurerm's real schema through a stand-in provider,
// terraform-schema-provider, which scripts/bootstrap-tools.sh builds with Go. The node images have no Go, and with
// CI=true a missing stand-in fails the provider tier, so Go has to be set up before the bootstrap runs.
const sourcesBootstrap = (run: string) => /scripts\/bootstrap-tools\.sh/.test(run);
const runsProviderTier = (run: string) =>
  /\bnpm test\b|\bnpm run "?verify(?::day(?:[57]\b|\$)|["\s]|$)/m.test(run);

export const providerTierCheck = defineCheck(
  "a job that runs day 5's or day 7's suite sets up Go before scripts/bootstrap-tools.sh (it builds the schema provider)",
  (root) =>
    eachJob(root).flatMap(({ file, id, job }) => {
      const steps = stepsOf(job);
      if (!steps.some((s) => runsProviderTier(s.run ?? ''))) return [];
      const bootstrap = steps.findIndex((s) => sourcesBootstrap(s.run ?? ''));
      const setupGo = steps.findIndex((s) => actionOf(s.uses) === 'actions/setup-go');
      if (bootstrap !== -1 && setupGo !== -1 && setupGo < bootstrap) return [];
      return [
        tools(file, `job "${id}"`, {
          expected: `an actions/setup-go step, then a step that sources scripts/bootstrap-tools.sh (it builds terraform-schema-provider for the provider tier)`,
          actual:
            bootstrap === -1
              ? 'no step sources scripts/bootstrap-tools.sh: the provider tier has no terraform-schema-provider and fails with CI=true'
              : setupGo === -1
                ? 'no actions/setup-go step: the bootstrap cannot build terraform-schema-provider, so the provider tier fails with CI=true'
                : `actions/setup-go (step ${setupGo + 1}) comes after the bootstrap (step ${bootstrap + 1})`,
          fix: 'add actions/setup-go (pinned as in the table, go-version: 1.26.8) before the bootstrap step',
        }),
      ];
    }),
);

const KIND = `${WORKFLOWS}/kind.yml`;
const KIND_CONFIG = 'day2-k8s/kind-cluster.yaml';
const kindDocs = violationsFor(`${WORKFLOWS}/README.md#kindyml`);

/** The Kubernetes version of the kind node image, e.g. v1.34.0 from kindest/node:v1.34.0@sha256:... */
export function kindNodeVersion(root: string): string | undefined {
  const config = readYaml(root, KIND_CONFIG) as { nodes?: { image?: string }[] };
  const image = (config.nodes ?? []).map((n) => n.image).find((i) => typeof i === 'string');
  return /^kindest\/node:(v\d+\.\d+\.\d+)/.exec(image ?? '')?.[1];
}

export const kindKubectlCheck = defineCheck(
  "kind.yml's kubectl is the kind node's Kubernetes version",
  (root) => {
    const steps = stepsOf(readWorkflow(root, KIND).jobs['cluster-tier'] ?? {});
    const kindStep = steps.findIndex((s) => actionOf(s.uses) === 'helm/kind-action');
    if (kindStep === -1) return [];
    const node = kindNodeVersion(root);
    const minor = (v: string) => /^v?(\d+\.\d+)\./.exec(v)?.[1];
    const value = String(steps[kindStep]?.with?.kubectl_version ?? '');
    const output = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.[\w-]+\s*\}\}$/.exec(value);
    const source = output ? steps.slice(0, kindStep).find((s) => s.id === output[1]) : undefined;
    const readsNodeImage = source !== undefined && (source.run ?? '').includes(KIND_CONFIG);
    const literalMatches =
      node !== undefined && /^v\d+\.\d+\.\d+$/.test(value) && minor(value) === minor(node);
    if (readsNodeImage || literalMatches) return [];
    return [
      kindDocs(KIND, 'helm/kind-action with.kubectl_version', {
        expected: `kubectl ${node ?? '(the node image version)'} (the node image of ${KIND_CONFIG}), or a step output that reads it from that file`,
        actual: value
          ? `kubectl_version: ${value}`
          : "no kubectl_version: kind-action's default kubectl, whatever the node runs",
        fix: `set kubectl_version to the node's version (${node ?? 'vX.Y.Z'}), or read it from ${KIND_CONFIG} in an earlier step`,
      }),
    ];
  },
);

/** Steps of kind.yml before the one that runs `npm run verify:day4` (none when day 4 is not run there). */
function stepsBeforeDay4(root: string) {
  const steps = stepsOf(readWorkflow(root, KIND).jobs['cluster-tier'] ?? {});
  const day4 = steps.findIndex((s) => /\bnpm run verify:day4\b/.test(s.run ?? ''));
  return day4 === -1 ? undefined : { before: steps.slice(0, day4), at: day4 + 1 };
}

export const kindDay4StackCheck = defineCheck(
  'kind.yml installs the day 4 observability stack before npm run verify:day4',
  (root) => {
    const day4 = stepsBeforeDay4(root);
    if (!day4 || day4.before.some((s) => (s.run ?? '').includes('day4-observability/stack/install.sh')))
      return [];
    return [
      kindDocs(KIND, `step ${day4.at} (npm run verify:day4)`, {
        expected: 'an earlier step that runs bash day4-observability/stack/install.sh (day 4 README, step 1)',
        actual:
          "no Prometheus, Loki or Alloy in the cluster: the day 4 cluster tier's queries cannot succeed",
        fix: 'add a step before it: bash day4-observability/stack/install.sh, then the helm upgrade with day 4 values',
      }),
    ];
  },
);

export const kindDay4PromtoolCheck = defineCheck(
  'kind.yml puts promtool and Prometheus on the runner before npm run verify:day4',
  (root) => {
    const day4 = stepsBeforeDay4(root);
    if (!day4 || day4.before.some((s) => aptPackages(s.run ?? '').has('prometheus'))) return [];
    return [
      kindDocs(KIND, `step ${day4.at} (npm run verify:day4)`, {
        expected: 'an earlier step that runs apt-get install prometheus (promtool and the server)',
        actual: "the runner has no promtool: with CI=true day 4's promtool and Prometheus checks fail",
        fix: 'add a step before it: sudo apt-get install -y --no-install-recommends prometheus',
      }),
    ];
  },
);

// ---------------------------------------------------------------------------------------------------------------
// Dependabot: it claims only what it updates

const DEPENDABOT = '.github/dependabot.yml';
const dependabotDocs = violationsFor(`${WORKFLOWS}/README.md#dependabot`);
interface DependabotUpdate {
  'package-ecosystem'?: string;
  directory?: string;
  directories?: string[];
  schedule?: { interval?: unknown };
}
const dependabotUpdates = (root: string) =>
  ((readYaml(root, DEPENDABOT) as { updates?: DependabotUpdate[] }).updates ?? []).map((u) => ({
    ecosystem: u['package-ecosystem'] ?? '',
    directories: [...(u.directory ? [u.directory] : []), ...(u.directories ?? [])],
  }));

/** Repository folders a Dependabot directory names; a trailing /* stands for each folder under it. */
function expandDirectory(root: string, directory: string): string[] {
  const relative = directory.replace(/^\/+/, '').replace(/\/+$/, '') || '.';
  if (!relative.endsWith('/*')) return [relative];
  const parent = relative.slice(0, -2);
  if (!isDirectory(root, parent)) return [relative];
  return readdirSync(path.join(root, parent))
    .filter((f) => isDirectory(root, `${parent}/${f}`))
    .map((f) => `${parent}/${f}`);
}

const filesIn = (root: string, dir: string) =>
  isDirectory(root, dir)
    ? readdirSync(path.join(root, dir)).filter((f) => fileExists(root, `${dir}/${f}`))
    : [];

/** What each ecosystem updates in a folder, and whether the folder has any of it. */
const ECOSYSTEM_TARGETS: Record<string, { what: string; has: (root: string, dir: string) => boolean }> = {
  'github-actions': {
    what: 'workflows under .github/workflows',
    has: (root, dir) => dir === '.' && workflowFiles(root).length > 0,
  },
  npm: { what: 'a package.json', has: (root, dir) => fileExists(root, `${dir}/package.json`) },
  docker: {
    what: 'a Dockerfile or a Kubernetes manifest with an image: name:tag',
    has: (root, dir) =>
      filesIn(root, dir).some(
        (f) =>
          /dockerfile|containerfile/i.test(f) ||
          (/\.ya?ml$/.test(f) && /^\s*image:\s*['"]?[\w./-]+:[\w.-]+/m.test(readText(root, `${dir}/${f}`))),
      ),
  },
  helm: {
    what: 'a Chart.yaml with dependencies',
    has: (root, dir) => {
      if (!fileExists(root, `${dir}/Chart.yaml`)) return false;
      const chart = readYaml(root, `${dir}/Chart.yaml`) as { dependencies?: unknown[] };
      return Array.isArray(chart.dependencies) && chart.dependencies.length > 0;
    },
  },
  terraform: {
    what: 'a .tf file with required_providers or a versioned module',
    has: (root, dir) =>
      filesIn(root, dir)
        .filter((f) => f.endsWith('.tf'))
        .some((f) => /required_providers|^\s*version\s*=/m.test(readText(root, `${dir}/${f}`))),
  },
};

/** The intervals GitHub's dependabot.yml reference accepts for schedule.interval. */
const DEPENDABOT_INTERVALS = ['daily', 'weekly', 'monthly', 'quarterly', 'semiannually', 'yearly', 'cron'];

export const dependabotScheduleCheck = defineCheck(
  'every Dependabot entry has a schedule.interval GitHub accepts',
  (root) =>
    ((readYaml(root, DEPENDABOT) as { updates?: DependabotUpdate[] }).updates ?? []).flatMap((u, i) => {
      const interval = u.schedule?.interval;
      if (typeof interval === 'string' && DEPENDABOT_INTERVALS.includes(interval)) return [];
      return [
        dependabotDocs(DEPENDABOT, `updates[${i}] (${u['package-ecosystem'] ?? '?'})`, {
          expected: `schedule.interval: one of ${DEPENDABOT_INTERVALS.join(', ')}`,
          actual: interval === undefined ? 'no schedule.interval' : `schedule.interval: ${String(interval)}`,
          fix: 'add schedule: { interval: weekly }: GitHub rejects the whole file without it, so nothing updates',
        }),
      ];
    }),
);

export const dependabotCheck = defineCheck(
  'dependabot updates actions, npm, Docker and Terraform',
  (root) => {
    const have = new Set(dependabotUpdates(root).map((u) => u.ecosystem));
    return ['github-actions', 'npm', 'docker', 'terraform']
      .filter((e) => !have.has(e))
      .map((e) =>
        dependabotDocs(DEPENDABOT, 'updates', {
          expected: `an update entry for package-ecosystem: ${e}`,
          actual: `ecosystems: ${[...have].join(', ')}`,
          fix: `add an updates entry for ${e}`,
        }),
      );
  },
);

export const dependabotTargetsCheck = defineCheck(
  'every Dependabot entry watches folders that hold what its ecosystem updates',
  (root) =>
    dependabotUpdates(root).flatMap(({ ecosystem, directories }) => {
      const target = ECOSYSTEM_TARGETS[ecosystem];
      if (!target) return [];
      return directories
        .flatMap((d) => expandDirectory(root, d).map((dir) => ({ d, dir })))
        .filter(({ dir }) => !target.has(root, dir))
        .map(({ d, dir }) =>
          dependabotDocs(DEPENDABOT, `${ecosystem} ${d}`, {
            expected: `${dir}/ to hold ${target.what}`,
            actual: `nothing there for ${ecosystem} to update: the entry claims coverage it cannot give`,
            fix: 'point the entry at the folder that has it, or remove the entry (and say in the comment what covers it)',
          }),
        );
    }),
);

/** Folders (outside verify/ and tests/) whose .tf files declare required_providers. */
function terraformRoots(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir))) {
      const rel = `${dir}/${entry}`;
      if (isDirectory(root, rel)) {
        if (!['verify', 'tests', '.terraform', 'node_modules'].includes(entry)) walk(rel);
      } else if (
        entry.endsWith('.tf') &&
        /required_providers/.test(readText(root, rel)) &&
        !found.includes(dir)
      )
        found.push(dir);
    }
  };
  for (const day of readdirSync(root).filter((f) => /^day\d-/.test(f) && isDirectory(root, f))) walk(day);
  return found.sort();
}

export const dependabotTerraformCoverageCheck = defineCheck(
  "Dependabot's terraform entry covers every Terraform root and module",
  (root) => {
    const covered = new Set(
      dependabotUpdates(root)
        .filter((u) => u.ecosystem === 'terraform')
        .flatMap((u) => u.directories.flatMap((d) => expandDirectory(root, d))),
    );
    return terraformRoots(root)
      .filter((dir) => !covered.has(dir))
      .map((dir) =>
        dependabotDocs(DEPENDABOT, 'terraform directories', {
          expected: `/${dir} in the terraform entry (its .tf files declare required_providers)`,
          actual: `covered: ${[...covered].join(', ') || 'nothing'}`,
          fix: `add /${dir} to the terraform entry's directories`,
        }),
      );
  },
);

/** Set by the runner or by the actions the workflows use, not by the workflow's env: (runner docs, "Variables"). */
const RUNNER_VARIABLES =
  /^(GITHUB_\w+|RUNNER_\w+|ACTIONS_\w+|CI|HOME|PATH|PWD|USER|TMPDIR|ImageOS|ImageVersion)$/;

/** The variables a shell script reads: `$NAME` and `${NAME...}`, upper case (the convention for the environment). */
function variablesRead(script: string): Set<string> {
  const read = new Set<string>();
  for (const match of script.matchAll(/\$\{?([A-Z][A-Z0-9_]*)(:?[-=?+])?/g))
    if (!match[2]?.match(/^:?[-=+]$/)) read.add(match[1]!); // `${X:-default}` has its own fallback
  return read;
}

/** The variables a script sets for itself or for the later steps of its job (`NAME=`, `read NAME`, `for NAME in`). */
function variablesSet(script: string): Set<string> {
  const set = new Set<string>();
  for (const match of script.matchAll(/\b([A-Z][A-Z0-9_]*)=|\b(?:read(?: -\w+)*|for) ([A-Z][A-Z0-9_]*)\b/g))
    set.add((match[1] ?? match[2])!);
  return set;
}

/** The variables a repository script requires with `${NAME:?message}`: the caller must set them. */
function variablesRequired(script: string): Set<string> {
  return new Set([...script.matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map((m) => m[1]!));
}

export const jobEnvCheck = defineCheck(
  'every variable a run: step reads is set by env:, by an earlier step or by the runner',
  (root) =>
    eachJob(root).flatMap(({ file, workflow, id, job }) => {
      const keys = (v: unknown) => (isMapping(v) ? Object.keys(v) : []);
      const available = new Set([...keys(workflow.env), ...keys(job.env)]);
      const found: Violation[] = [];
      for (const [index, step] of stepsOf(job).entries()) {
        const run = typeof step.run === 'string' ? step.run : '';
        const own = new Set([...available, ...keys(step.env), ...variablesSet(run)]);
        const called = [...run.matchAll(/\bbash ((?:day\d-[\w-]+|scripts)\/[\w/.-]+\.sh)\b/g)].map(
          (m) => m[1]!,
        );
        const needed = new Map([...variablesRead(run)].map((name) => [name, `the step reads $${name}`]));
        for (const script of called)
          if (fileExists(root, script))
            for (const name of variablesRequired(readText(root, script)))
              needed.set(name, `the step runs ${script}, which requires $${name}`);
        for (const [name, how] of needed)
          if (!own.has(name) && !RUNNER_VARIABLES.test(name))
            found.push(
              xref(file, `job "${id}", step ${index + 1}${step.name ? ` (${step.name})` : ''}`, {
                expected: `${name} set in the workflow's, the job's or the step's env: (or by an earlier step)`,
                actual: `${how}, and nothing sets it before the step runs`,
                fix: `add ${name}: \${{ vars.${name} }} (or its value) to the env: of job "${id}"`,
              }),
            );
        for (const name of variablesSet(run)) available.add(name);
      }
      return found;
    }),
);

export const staticChecks = [
  idTokenCheck,
  permissionsNeededCheck,
  checkoutCredentialsCheck,
  azureLoginCheck,
  pinTableCheck,
  node24ActionsCheck,
  timeoutCheck,
  deployGuardsCheck,
  concurrencyCheck,
  pathsFilterCheck,
  pathsCoverScriptsCheck,
  npmScriptsCheck,
  referencedPathsCheck,
  jobEnvCheck,
  workflowRunCheck,
  verifyMatrixCheck,
  imageNamesCheck,
  deployValuesCheck,
  deployRegistryCheck,
  oidcSubjectsCheck,
  dependabotCheck,
  dependabotScheduleCheck,
  dependabotTargetsCheck,
  dependabotTerraformCoverageCheck,
  workflowReadmeCheck,
  parityCheck,
  aptParityCheck,
  ciUnfilteredCheck,
  dispatchRunsAJobCheck,
  releaseRefCheck,
  releaseGateCheck,
  terraformInstalledCheck,
  providerTierCheck,
  kindKubectlCheck,
  kindDay4StackCheck,
  kindDay4PromtoolCheck,
];

// ---------------------------------------------------------------------------------------------------------------
// Local runtime: shellcheck on the scripts the workflows call

interface ShellcheckFinding {
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

function shellcheck(shellcheckPath: string, script: string): ShellcheckFinding[] {
  try {
    execFileSync(shellcheckPath, ['--shell=bash', '--format=json1', '-'], {
      input: script,
      encoding: 'utf8',
    });
    return [];
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? '';
    if (!stdout.startsWith('{')) throw error;
    return (JSON.parse(stdout) as { comments: ShellcheckFinding[] }).comments;
  }
}

/** The shell scripts the workflows call (day6-cicd/scripts); actionlint runs shellcheck on the run: blocks. */
export function shellcheckCheck(shellcheckPath: string) {
  return defineCheck('shellcheck finds nothing in day6-cicd/scripts', (root) => {
    const v = violationsFor(lintDocs);
    const scripts = readdirSync(path.join(root, DAY, 'scripts'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => `${DAY}/scripts/${f}`);
    return scripts.flatMap((file) =>
      shellcheck(shellcheckPath, readText(root, file)).map((f) =>
        v(file, `line ${f.line}, column ${f.column}`, {
          expected: 'no shellcheck finding',
          actual: `SC${f.code} (${f.level}): ${f.message}`,
          fix: `see https://www.shellcheck.net/wiki/SC${f.code}`,
        }),
      ),
    );
  });
}
