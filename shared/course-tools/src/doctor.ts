// `npm run doctor [--day N]`: checks the learner's machine against what each day of the course needs, and
// says how to install whatever is missing. Tools are looked up on PATH first, then in the repository's
// .tools/ folder, where scripts/bootstrap-tools.sh installs Node 24, helm, kubectl and a terraform engine, then
// in the system folders a tool lives in outside PATH (nginx in /usr/sbin, PostgreSQL in /usr/lib/postgresql).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubernetesMinorRange, loadInventory } from './pins/inventory.ts';

export type ToolName =
  | 'node'
  | 'docker'
  | 'kind'
  | 'kubectl'
  | 'helm'
  | 'terraform'
  | 'az'
  | 'gh'
  | 'nginx'
  | 'postgres'
  | 'chromium'
  | 'promtool'
  | 'actionlint'
  | 'zizmor'
  | 'checkov'
  | 'kube-score'
  | 'kubernetes-validate'
  | 'terraform-schema-provider';
export type DayNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const DAYS: readonly DayNumber[] = [1, 2, 3, 4, 5, 6, 7];

/** [major, minor] */
type Version = readonly [number, number];

interface ToolSpec {
  versionArgs: readonly string[];
  /** What the course expects, as shown to the learner. */
  expected: string;
  /** Inclusive bounds on [major, minor]; absent means any version works. */
  min?: Version;
  max?: Version;
  installHint: string;
  /**
   * Further commands that must succeed: a plugin (docker compose, docker buildx) or a daemon (docker info).
   * Every failing one is named; the first one's status is the row's status.
   */
  companions?: readonly Companion[];
  /**
   * Compatible engines that answer `versionArgs` with their own name, each with its own minimum (OpenTofu
   * numbers its releases apart from Terraform). The first whose pattern matches decides.
   */
  engines?: readonly { name: string; pattern: RegExp; min: Version }[];
  /** Folders outside PATH where the tool is normally installed (see systemDirs). */
  systemDirs?: (env: NodeJS.ProcessEnv) => string[];
  /** Only the system folders count, because the course runs the tool from one fixed path (Chromium). */
  systemOnly?: boolean;
}

interface Companion {
  args: readonly string[];
  status: 'plugin missing' | 'daemon down';
  installHint: string;
}

/** Debian's PostgreSQL server binaries live in /usr/lib/postgresql/<major>/bin; the newest major first. */
function postgresDirs(env: NodeJS.ProcessEnv): string[] {
  const debianRoot = '/usr/lib/postgresql';
  let majors: string[] = [];
  try {
    majors = fs.readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a));
  } catch {
    // Not Debian, or no server installed.
  }
  return [env.PG_BIN ?? '', ...majors.map((major) => path.join(debianRoot, major, 'bin'))].filter(Boolean);
}

const BOOTSTRAP_HINT = 'source scripts/bootstrap-tools.sh';

// The expectations match the prerequisites table of the root README and the versions in docs/decisions/.
export const TOOLS: Record<ToolName, ToolSpec> = {
  node: {
    versionArgs: ['--version'],
    // 24 is the target (docs/decisions/0001); 22.18 is the oldest that runs the .ts course tools without a flag.
    expected: '24.x LTS (22.18 minimum)',
    min: [22, 18],
    installHint: `nvm install 24, or ${BOOTSTRAP_HINT} (puts Node 24 in .tools/node)`,
  },
  docker: {
    versionArgs: ['--version'],
    expected: '27 or later, with Compose v2 and Buildx, daemon running',
    min: [27, 0],
    installHint: 'Docker Desktop, or Docker Engine + compose plugin: https://docs.docker.com/engine/install/',
    companions: [
      {
        args: ['compose', 'version'],
        status: 'plugin missing',
        installHint: '`docker compose` v2 plugin missing: https://docs.docker.com/compose/install/linux/',
      },
      {
        // Day 1 builds with BuildKit and inspects image indexes with `docker buildx imagetools`.
        args: ['buildx', 'version'],
        status: 'plugin missing',
        installHint:
          '`docker buildx` plugin missing: Docker Desktop has it; on Linux install the docker-buildx-plugin package',
      },
      {
        args: ['info', '--format', '{{.ServerVersion}}'],
        status: 'daemon down',
        installHint:
          'the Docker daemon does not answer `docker info`: start Docker Desktop, or `sudo systemctl start docker`',
      },
    ],
  },
  kind: {
    versionArgs: ['version'],
    // day2-k8s/kind-cluster.yaml runs kindest/node:v1.36.4 as built for kind v0.33.0 (its release notes).
    expected: '0.33 or later',
    min: [0, 33],
    installHint: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  },
  // The bounds come from pins.yaml (kubernetesSpec): the Kubernetes minors the course targets.
  kubectl: {
    versionArgs: ['version', '--client'],
    expected: "the course's Kubernetes minors (pins.yaml)",
    installHint: `${BOOTSTRAP_HINT} (installs kubectl 1.36 into .tools/bin)`,
  },
  helm: {
    versionArgs: ['version', '--short'],
    expected: '4.x',
    min: [4, 0],
    max: [4, Number.MAX_SAFE_INTEGER],
    installHint: `${BOOTSTRAP_HINT} (installs helm 4 into .tools/bin)`,
  },
  terraform: {
    versionArgs: ['version'],
    expected: 'Terraform 1.14+ (or OpenTofu 1.12+)',
    min: [1, 14],
    // scripts/bootstrap-tools.sh builds OpenTofu where no Terraform 1.14+ can be downloaded; it runs the same
    // fmt, validate and test on the course's HCL.
    engines: [
      { name: 'OpenTofu', pattern: /OpenTofu v(\d+\.\d+\.\d+)/, min: [1, 12] },
      { name: 'Terraform', pattern: /Terraform v(\d+\.\d+\.\d+)/, min: [1, 14] },
    ],
    installHint: `https://developer.hashicorp.com/terraform/install, or ${BOOTSTRAP_HINT} (puts a terraform engine at .tools/bin/terraform)`,
  },
  az: {
    versionArgs: ['--version'],
    expected: '2.60 or later',
    min: [2, 60],
    max: [2, Number.MAX_SAFE_INTEGER],
    installHint: 'https://learn.microsoft.com/cli/azure/install-azure-cli',
  },
  gh: {
    versionArgs: ['--version'],
    expected: '2.80 or later',
    min: [2, 80],
    installHint: 'https://cli.github.com/',
  },
  nginx: {
    // `nginx -v` prints to stderr; run() reads both streams.
    versionArgs: ['-v'],
    expected: '1.22 or later',
    min: [1, 22],
    installHint: 'sudo apt-get install nginx (day 1 verify: local-runtime tier)',
    systemDirs: () => ['/usr/local/sbin', '/usr/sbin', '/sbin'],
  },
  postgres: {
    versionArgs: ['--version'],
    expected: '15 or later (server binaries)',
    min: [15, 0],
    installHint: 'sudo apt-get install postgresql, or set PG_BIN to the folder holding postgres and initdb',
    systemDirs: postgresDirs,
  },
  chromium: {
    versionArgs: ['--version'],
    expected: 'any, at /usr/bin/chromium',
    installHint: 'sudo apt-get install chromium (the browser tests of npm test run /usr/bin/chromium)',
    systemDirs: () => ['/usr/bin'],
    systemOnly: true,
  },
  promtool: {
    versionArgs: ['--version'],
    expected: '2.x or later',
    min: [2, 0],
    installHint: 'sudo apt-get install prometheus (day 4 verify checks the alert rules with promtool)',
  },
  // Day 6 verify lints the workflows with both; scripts/bootstrap-tools.sh pins the exact releases.
  actionlint: {
    versionArgs: ['-version'],
    expected: '1.7.x (the bootstrap installs 1.7.12)',
    min: [1, 7],
    max: [1, 7],
    installHint: `${BOOTSTRAP_HINT} (builds actionlint 1.7.12 from its Go module into .tools/bin)`,
  },
  zizmor: {
    versionArgs: ['--version'],
    expected: '1.32.x (the bootstrap installs 1.32.0)',
    min: [1, 32],
    max: [1, 32],
    installHint: `${BOOTSTRAP_HINT} (installs zizmor 1.32.0 from PyPI into .tools/bin)`,
  },
  checkov: {
    versionArgs: ['--version'],
    // The exact version scripts/bootstrap-tools.sh pins (ensure_pip_tool checkov); verify fails on another one.
    expected: '3.3.30 (the pin in scripts/bootstrap-tools.sh)',
    min: [3, 3],
    max: [3, 3],
    installHint: `${BOOTSTRAP_HINT} (installs checkov from PyPI into .tools/bin), or pip install checkov==3.3.30`,
  },
  // Pinned in scripts/bootstrap-tools.sh; verify checks the exact version (shared/verify/src/k8s/kube-score.ts).
  'kube-score': {
    versionArgs: ['version'],
    expected: '1.20 (verify runs it over every rendered object)',
    min: [1, 20],
    max: [1, 20],
    installHint: `${BOOTSTRAP_HINT} (builds kube-score 1.20.0 from its Go module into .tools/bin; needs Go)`,
  },
  'kubernetes-validate': {
    versionArgs: ['--version'],
    expected: '1.37 (the Kubernetes OpenAPI of 1.35 to 1.37, offline)',
    min: [1, 37],
    max: [1, 37],
    installHint: `${BOOTSTRAP_HINT} (installs kubernetes-validate 1.37.0 from PyPI into .tools/bin; needs python3)`,
  },
  // The stand-in that serves azurerm's and random's real schemas to the provider tier of days 5 and 7 (ADR 0012).
  // The course builds it from shared/verify/terraform-schema/provider; no other copy exists.
  'terraform-schema-provider': {
    versionArgs: ['--version'],
    expected: '1.0 (built from shared/verify/terraform-schema/provider)',
    min: [1, 0],
    max: [1, 0],
    installHint: `${BOOTSTRAP_HINT} (builds it with Go from shared/verify/terraform-schema/provider into .tools/bin)`,
  },
};

/**
 * kubectl must fit a Kubernetes minor the course targets: pins.yaml's `kubernetes.minors` is the one place that
 * says which, and its `tool kubectl` entry is the version scripts/bootstrap-tools.sh installs.
 */
export function kubectlSpec(root: string): ToolSpec {
  const inventory = loadInventory(root);
  const { min, max } = kubernetesMinorRange(inventory.kubernetes);
  const pinned = inventory.pins.find((pin) => pin.kind === 'tool' && pin.name === 'kubectl')?.version;
  return {
    ...TOOLS.kubectl,
    expected: `${min.join('.')} to ${max.join('.')}`,
    min,
    max,
    installHint: `${BOOTSTRAP_HINT} (installs kubectl${pinned ? ` ${pinned}` : ''} into .tools/bin)`,
  };
}

export interface DayRequirement {
  title: string;
  required: readonly ToolName[];
  optional: readonly ToolName[];
  /** Planning figures for a laptop running that day's stack; docs/troubleshooting.md explains them. */
  memoryGiB: number;
  diskGiB: number;
}

export const DAY_REQUIREMENTS: Record<DayNumber, DayRequirement> = {
  1: {
    title: 'Containers',
    required: ['node', 'docker'],
    // The verify suite's local-runtime tier and the browser tests skip (outside CI) without these.
    optional: ['nginx', 'postgres', 'chromium', 'checkov'],
    memoryGiB: 4,
    diskGiB: 10,
  },
  2: {
    title: 'Kubernetes',
    required: ['node', 'docker', 'kind', 'kubectl'],
    optional: ['checkov', 'kube-score', 'kubernetes-validate'],
    memoryGiB: 8,
    diskGiB: 15,
  },
  3: {
    title: 'Helm',
    required: ['node', 'docker', 'kind', 'kubectl', 'helm'],
    optional: ['checkov', 'kube-score', 'kubernetes-validate'],
    memoryGiB: 8,
    diskGiB: 15,
  },
  4: {
    title: 'Observability',
    required: ['node', 'docker', 'kind', 'kubectl', 'helm'],
    optional: ['promtool', 'chromium', 'kube-score', 'kubernetes-validate'],
    memoryGiB: 12,
    diskGiB: 20,
  },
  5: {
    title: 'Terraform',
    required: ['terraform', 'az'],
    // The provider tier (init, validate, test against azurerm's real schema) skips (outside CI) without it.
    optional: ['checkov', 'terraform-schema-provider'],
    memoryGiB: 4,
    diskGiB: 5,
  },
  6: {
    title: 'CI/CD',
    required: ['node'],
    // Day 6 verify's workflow linters and checkov skip (outside CI) without these.
    optional: ['gh', 'actionlint', 'zizmor', 'checkov'],
    memoryGiB: 4,
    diskGiB: 5,
  },
  7: {
    title: 'Key Vault and AKS',
    required: ['az', 'terraform', 'kubectl', 'helm'],
    optional: ['checkov', 'kube-score', 'kubernetes-validate', 'terraform-schema-provider'],
    memoryGiB: 4,
    diskGiB: 5,
  },
};

export type ToolStatus =
  'ok' | 'missing' | 'unsupported version' | 'plugin missing' | 'daemon down' | 'optional, missing';

export interface ToolRow {
  tool: ToolName;
  required: boolean;
  found: string;
  expected: string;
  status: ToolStatus;
  hint: string;
}

export interface ResourceRow {
  resource: 'memory' | 'disk';
  found: string;
  expected: string;
  status: 'ok' | 'low';
  hint: string;
}

export interface DoctorReport {
  days: readonly DayNumber[];
  tools: ToolRow[];
  resources: ResourceRow[];
  exitCode: 0 | 1;
}

export function parseVersion(output: string): { version: Version; text: string } | null {
  const match = /(\d+)\.(\d+)(?:\.\d+)?/.exec(output);
  return match ? { version: [Number(match[1]), Number(match[2])], text: match[0] } : null;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1];
}

export function satisfies(spec: ToolSpec, version: Version): boolean {
  return (!spec.min || compare(version, spec.min) >= 0) && (!spec.max || compare(version, spec.max) <= 0);
}

interface Candidate {
  file: string;
  onPath: boolean;
}

function executableCandidates(
  name: string,
  pathDirs: readonly string[],
  toolDirs: readonly string[],
): Candidate[] {
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const [dirs, onPath] of [
    [pathDirs, true],
    [toolDirs, false],
  ] as const) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (seen.has(file)) continue;
      seen.add(file);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) candidates.push({ file, onPath });
      } catch {
        // Not here; try the next folder.
      }
    }
  }
  return candidates;
}

function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv): { ok: boolean; output: string } {
  const result = spawnSync(file, args, { encoding: 'utf8', env, timeout: 20_000 });
  return {
    ok: !result.error && result.status === 0,
    output: `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim(),
  };
}

export interface DoctorOptions {
  /** Days to check; all seven when empty. */
  days: readonly DayNumber[];
  /** Repository root; its .tools/ is searched after PATH. */
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides <root>/.tools, so tests can point at an empty folder. */
  toolsDir?: string;
  /** Replaces every tool's system folders (/usr/sbin, /usr/lib/postgresql, ...), so tests see only stand-ins. */
  systemDirs?: readonly string[];
  /** Overrides os.totalmem() and the free space of `root`, so tests control the machine. */
  system?: { memoryBytes: number; freeDiskBytes: number };
}

function checkTool(
  tool: ToolName,
  required: boolean,
  options: DoctorOptions,
  env: NodeJS.ProcessEnv,
): ToolRow {
  const spec = tool === 'kubectl' ? kubectlSpec(options.root) : TOOLS[tool];
  const toolsDir = options.toolsDir ?? path.join(options.root, '.tools');
  const pathDirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const systemDirs = options.systemDirs ?? spec.systemDirs?.(env) ?? [];
  const candidates = spec.systemOnly
    ? executableCandidates(tool, [], systemDirs)
    : executableCandidates(tool, pathDirs, [
        path.join(toolsDir, 'bin'),
        path.join(toolsDir, 'node', 'bin'),
        ...systemDirs,
      ]);
  const base = { tool, required, expected: spec.expected };

  if (candidates.length === 0) {
    return {
      ...base,
      found: '-',
      status: required ? 'missing' : 'optional, missing',
      hint: spec.installHint,
    };
  }
  // The first candidate that fits wins, so a Node 24 in .tools/ counts even where PATH has an older one.
  let firstSeen: { candidate: Candidate; shown: string } | undefined;
  for (const candidate of candidates) {
    const output = run(candidate.file, spec.versionArgs, env).output;
    const engine = spec.engines?.find((e) => e.pattern.test(output));
    const parsed = parseVersion(engine ? (engine.pattern.exec(output)?.[1] ?? '') : output);
    const where = candidate.onPath ? '' : ` (${shortPath(options.root, candidate.file)})`;
    const found = `${engine ? `${engine.name} ` : ''}${parsed?.text ?? 'unknown'}${where}`;
    firstSeen ??= { candidate, shown: found };
    if (parsed && satisfies(engine ? { ...spec, min: engine.min } : spec, parsed.version)) {
      const failing = (spec.companions ?? []).filter((c) => !run(candidate.file, c.args, env).ok);
      const [first] = failing;
      if (first) {
        return { ...base, found, status: first.status, hint: failing.map((c) => c.installHint).join('; ') };
      }
      const inCourseTools = candidate.file.startsWith(toolsDir + path.sep);
      const hint = candidate.onPath || !inCourseTools ? '' : `not on PATH: ${BOOTSTRAP_HINT}`;
      return { ...base, found, status: 'ok', hint };
    }
  }
  return {
    ...base,
    found: firstSeen?.shown ?? 'unknown',
    status: 'unsupported version',
    hint: spec.installHint,
  };
}

/** Repository-relative inside the repository (.tools/bin/helm), absolute elsewhere (/usr/sbin/nginx). */
function shortPath(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith('..') ? file : relative;
}

const GiB = 1024 ** 3;

export function runDoctor(options: DoctorOptions): DoctorReport {
  const env = options.env ?? process.env;
  const days = options.days.length ? options.days : DAYS;
  const required = new Set(days.flatMap((day) => DAY_REQUIREMENTS[day].required));
  const optional = new Set(
    days.flatMap((day) => DAY_REQUIREMENTS[day].optional).filter((t) => !required.has(t)),
  );
  const ordered = (Object.keys(TOOLS) as ToolName[]).filter(
    (tool) => required.has(tool) || optional.has(tool),
  );
  const tools = ordered.map((tool) => checkTool(tool, required.has(tool), options, env));

  const system = options.system ?? {
    memoryBytes: os.totalmem(),
    freeDiskBytes: (() => {
      const stats = fs.statfsSync(options.root);
      return stats.bavail * stats.bsize;
    })(),
  };
  const neededMemory = Math.max(...days.map((day) => DAY_REQUIREMENTS[day].memoryGiB));
  const neededDisk = Math.max(...days.map((day) => DAY_REQUIREMENTS[day].diskGiB));
  const memory = system.memoryBytes / GiB;
  const disk = system.freeDiskBytes / GiB;
  const resources: ResourceRow[] = [
    {
      resource: 'memory',
      found: `${memory.toFixed(1)} GiB total`,
      expected: `${neededMemory} GiB`,
      status: memory >= neededMemory ? 'ok' : 'low',
      hint:
        memory >= neededMemory
          ? ''
          : 'close other apps; give Docker Desktop more memory (docs/troubleshooting.md)',
    },
    {
      resource: 'disk',
      found: `${disk.toFixed(1)} GiB free`,
      expected: `${neededDisk} GiB free`,
      status: disk >= neededDisk ? 'ok' : 'low',
      hint: disk >= neededDisk ? '' : 'free space: docker system prune, kind delete cluster',
    },
  ];

  // Low memory or disk slows a lab down but does not stop it, so only tools decide the exit code.
  const failed = tools.some((row) => row.required && row.status !== 'ok');
  return { days, tools, resources, exitCode: failed ? 1 : 0 };
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatReport(report: DoctorReport): string {
  const scope =
    report.days.length === DAYS.length ? 'all days' : report.days.map((day) => `day ${day}`).join(', ');
  const toolRows = report.tools.map((row) => [
    row.tool,
    row.found,
    row.expected,
    row.required ? row.status : row.status === 'ok' ? 'ok (optional)' : row.status,
    row.hint,
  ]);
  const resourceRows = report.resources.map((row) => [
    row.resource,
    row.found,
    row.expected,
    row.status,
    row.hint,
  ]);
  const problems = report.tools.filter((row) => row.required && row.status !== 'ok');
  const verdict = problems.length
    ? `NOT READY for ${scope}: ${problems.map((row) => `${row.tool} (${row.status})`).join(', ')}. Install what is missing, then run npm run doctor again.`
    : `Ready for ${scope}.`;
  return [
    `Course prerequisites for ${scope}`,
    '',
    table(['tool', 'found', 'expected', 'status', 'install hint'], [...toolRows, ...resourceRows]),
    '',
    verdict,
  ].join('\n');
}

export function parseDays(argv: readonly string[]): DayNumber[] {
  const days: DayNumber[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    let value: string | undefined;
    // A bare number is accepted because `npm run doctor --day 3` (no `--`) hands the script just "3".
    if (/^\d+$/.test(arg)) value = arg;
    else if (arg === '--day') value = argv[(i += 1)];
    else if (arg.startsWith('--day=')) value = arg.slice('--day='.length);
    else throw new Error(`unknown argument "${arg}"; usage: npm run doctor [-- --day N] (N = 1 to 7)`);
    const day = Number(value);
    if (!DAYS.includes(day as DayNumber)) {
      throw new Error(`--day must be a day number from 1 to 7, got "${value ?? ''}"`);
    }
    days.push(day as DayNumber);
  }
  return days;
}
