// `npm run pins:check`: resolves every pins.yaml entry against its upstream (GitHub tags and action.yml, Helm
// chart indexes, OCI registries, npm, the Go proxy, Node's release index, the Terraform registry, endoflife.date)
// and reports per pin: missing, moved, stale, end of life, outside the course's Kubernetes minors, and for
// actions the runtime. Where no upstream answers it says so and resolves nothing (exit 0).
import YAML from 'yaml';
import { kubernetesMinorRange, type Inventory, type InventoryPin, type PinSource } from './inventory.ts';

export interface HttpResponse {
  status: number;
  header(name: string): string | null;
  text(): Promise<string>;
}
export interface HttpRequest {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  timeoutMs: number;
}
export type Http = (url: string, request: HttpRequest) => Promise<HttpResponse>;

export const fetchHttp: Http = async (url, request) => {
  const response = await fetch(url, {
    method: request.method ?? 'GET',
    headers: request.headers,
    signal: AbortSignal.timeout(request.timeoutMs),
    redirect: 'follow',
  });
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    text: () => response.text(),
  };
};

export type Finding =
  'missing' | 'moved' | 'stale' | 'security' | 'end-of-life' | 'outside-target' | 'runtime';

export interface PinReport {
  kind: string;
  name: string;
  version: string;
  /** resolved: upstream answered; unreachable: its host did not answer the probe; error: it answered oddly. */
  state: 'resolved' | 'unreachable' | 'error';
  findings: { finding: Finding; detail: string }[];
  /** Facts worth showing that are not problems: the newest release, the action runtime, inner actions. */
  notes: string[];
}

export interface Resolution {
  offline: boolean;
  unreachableHosts: string[];
  reports: PinReport[];
}

export interface ResolveOptions {
  now: Date;
  http?: Http;
  /** A GitHub token raises the API's rate limit (the workflow passes its read-only GITHUB_TOKEN). */
  token?: string | undefined;
  probeTimeoutMs?: number;
  requestTimeoutMs?: number;
}

// ---------------------------------------------------------------- versions

interface Parsed {
  prefix: string;
  numbers: number[];
  suffix: string;
}

/** `v1.34.0` -> v [1,34,0] ''; `24.18.0-bookworm-slim` -> '' [24,18,0] -bookworm-slim. */
export function parseVersion(version: string): Parsed | undefined {
  const match = /^(v?)(\d+(?:\.\d+)*)(.*)$/.exec(version);
  if (!match) return undefined;
  return { prefix: match[1] ?? '', numbers: (match[2] ?? '').split('.').map(Number), suffix: match[3] ?? '' };
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

const isPrerelease = (parsed: Parsed): boolean => /^-?(alpha|beta|rc|pre|dev)/i.test(parsed.suffix);

/** The newest upstream version in the same line (same major, or same major.minor) and the same variant. */
export function newerInLine(
  current: string,
  upstream: readonly string[],
  line: 'major' | 'minor',
): string | undefined {
  const mine = parseVersion(current);
  if (!mine) return undefined;
  const width = line === 'major' ? 1 : 2;
  let best: { version: string; parsed: Parsed } | undefined;
  for (const version of upstream) {
    const parsed = parseVersion(version);
    if (!parsed || parsed.prefix !== mine.prefix || parsed.suffix !== mine.suffix || isPrerelease(parsed))
      continue;
    if (parsed.numbers.length !== mine.numbers.length) continue;
    if (compareNumbers(parsed.numbers.slice(0, width), mine.numbers.slice(0, width)) !== 0) continue;
    if (compareNumbers(parsed.numbers, mine.numbers) <= 0) continue;
    if (!best || compareNumbers(parsed.numbers, best.parsed.numbers) > 0) best = { version, parsed };
  }
  return best?.version;
}

/** The newest stable version of any line, same variant. */
export function newest(upstream: readonly string[], like: string): string | undefined {
  const mine = parseVersion(like);
  let best: { version: string; parsed: Parsed } | undefined;
  for (const version of upstream) {
    const parsed = parseVersion(version);
    if (
      !parsed ||
      isPrerelease(parsed) ||
      (mine && (parsed.suffix !== mine.suffix || parsed.prefix !== mine.prefix))
    ) {
      continue;
    }
    if (!best || compareNumbers(parsed.numbers, best.parsed.numbers) > 0) best = { version, parsed };
  }
  return best?.version;
}

const stripV = (version: string): string => version.replace(/^v(?=\d)/, '');

// ---------------------------------------------------------------- upstream answers (parsers)

/** GitHub's git/matching-refs answer: tag name -> the object it points to (a commit, or an annotated tag). */
export function parseMatchingRefs(json: string): Map<string, { sha: string; type: string }> {
  const refs = JSON.parse(json) as { ref: string; object: { sha: string; type: string } }[];
  return new Map(refs.map((ref) => [ref.ref.replace(/^refs\/tags\//, ''), ref.object]));
}

/** An action.yml's `runs.using` (node24, composite, docker) and, for a composite action, the actions it calls. */
export function parseActionYaml(text: string): { using: string; inner: string[] } {
  const action = YAML.parse(text) as { runs?: { using?: string; steps?: { uses?: string }[] } } | null;
  const using = String(action?.runs?.using ?? 'unknown');
  const inner = (action?.runs?.steps ?? []).flatMap((step) =>
    typeof step.uses === 'string' ? [step.uses] : [],
  );
  return { using, inner };
}

/** A Helm repository's index.yaml: the versions it lists for one chart. */
export function parseHelmIndex(text: string, chart: string): string[] {
  const index = YAML.parse(text) as { entries?: Record<string, { version: string }[]> } | null;
  return (index?.entries?.[chart] ?? []).map((entry) => String(entry.version));
}

export function parseRegistryTags(json: string): string[] {
  return ((JSON.parse(json) as { tags?: string[] | null }).tags ?? []).map(String);
}

export function parseNpmVersions(json: string): string[] {
  return Object.keys((JSON.parse(json) as { versions?: Record<string, unknown> }).versions ?? {});
}

export function parseNodeIndex(json: string): { version: string; security: boolean }[] {
  return (JSON.parse(json) as { version: string; security?: boolean }[]).map((release) => ({
    version: stripV(release.version),
    security: release.security === true,
  }));
}

export function parseTerraformVersions(json: string): string[] {
  return ((JSON.parse(json) as { versions?: { version: string }[] }).versions ?? []).map((v) => v.version);
}

/** endoflife.date's cycles: cycle -> end-of-life date (or true/false). */
export function parseEndOfLife(json: string): Map<string, string | boolean> {
  const cycles = JSON.parse(json) as { cycle: string | number; eol: string | boolean }[];
  return new Map(cycles.map((cycle) => [String(cycle.cycle), cycle.eol]));
}

/** The parameters of a `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge. */
export function parseBearerChallenge(header: string): Record<string, string> | undefined {
  if (!/^Bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) if (match[1]) params[match[1]] = match[2] ?? '';
  return params;
}

// ---------------------------------------------------------------- hosts and requests

const GITHUB_API = 'api.github.com';
const GITHUB_RAW = 'raw.githubusercontent.com';

function registryOf(repository: string): { host: string; path: string } {
  const [first = '', ...rest] = repository.split('/');
  if (first === 'docker.io') return { host: 'registry-1.docker.io', path: rest.join('/') };
  return { host: first, path: rest.join('/') };
}

function hostsOf(source: PinSource): string[] {
  switch (source.type) {
    case 'github-tags':
      return [GITHUB_API];
    case 'helm-index':
      return [new URL(source.repository).host];
    case 'oci-chart':
    case 'registry':
      return [registryOf(source.repository).host];
    case 'npm':
      return ['registry.npmjs.org'];
    case 'go-proxy':
      return ['proxy.golang.org'];
    case 'pypi':
      return ['pypi.org'];
    case 'node-dist':
      return ['nodejs.org'];
    case 'terraform-registry':
      return ['registry.terraform.io'];
  }
}

class Upstream {
  private readonly tokens = new Map<string, string>();
  private readonly http: Http;
  private readonly options: ResolveOptions;
  constructor(http: Http, options: ResolveOptions) {
    this.http = http;
    this.options = options;
  }

  private get timeoutMs(): number {
    return this.options.requestTimeoutMs ?? 20_000;
  }

  async get(
    url: string,
    headers: Record<string, string> = {},
    method: 'GET' | 'HEAD' = 'GET',
  ): Promise<HttpResponse> {
    const host = new URL(url).host;
    const auth: Record<string, string> = {};
    if (host === GITHUB_API && this.options.token) auth.Authorization = `Bearer ${this.options.token}`;
    const token = this.tokens.get(host);
    if (token) auth.Authorization = `Bearer ${token}`;
    let response = await this.http(url, {
      method,
      headers: { ...headers, ...auth },
      timeoutMs: this.timeoutMs,
    });
    // Container registries answer 401 with a challenge; an anonymous pull token from its realm opens public repositories.
    const challenge =
      response.status === 401 ? parseBearerChallenge(response.header('www-authenticate') ?? '') : undefined;
    if (challenge?.realm) {
      const realm = new URL(challenge.realm);
      if (challenge.service) realm.searchParams.set('service', challenge.service);
      if (challenge.scope) realm.searchParams.set('scope', challenge.scope);
      const answer = await this.http(realm.toString(), { timeoutMs: this.timeoutMs });
      const body = JSON.parse(await answer.text()) as { token?: string; access_token?: string };
      const fresh = body.token ?? body.access_token;
      if (fresh) {
        this.tokens.set(host, fresh);
        response = await this.http(url, {
          method,
          headers: { ...headers, Authorization: `Bearer ${fresh}` },
          timeoutMs: this.timeoutMs,
        });
      }
    }
    return response;
  }

  async json(url: string): Promise<string | undefined> {
    const response = await this.get(url, { Accept: 'application/json' });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
    return response.text();
  }
}

// ---------------------------------------------------------------- resolvers per source type

type Report = Pick<PinReport, 'findings' | 'notes'>;

function lineOf(pin: InventoryPin): 'major' | 'minor' {
  return pin.source.line ?? 'minor';
}

function versionsReport(pin: InventoryPin, upstream: readonly string[], written = pin.version): Report {
  const report: Report = { findings: [], notes: [] };
  if (!upstream.some((version) => stripV(version) === stripV(written))) {
    report.findings.push({ finding: 'missing', detail: `${written} is not released upstream` });
    return report;
  }
  const newer = newerInLine(written, upstream, lineOf(pin));
  if (newer)
    report.findings.push({ finding: 'stale', detail: `${newer} is out in the same ${lineOf(pin)} line` });
  const latest = newest(upstream, written);
  if (latest && latest !== written && latest !== newer) report.notes.push(`newest ${latest}`);
  return report;
}

async function resolveGithub(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  const repository = pin.source.repository;
  const prefix = pin.source.prefix ?? '';
  const parsed = parseVersion(pin.version);
  const lineWidth = lineOf(pin) === 'major' ? 1 : 2;
  const lineStart = parsed ? `${parsed.prefix}${parsed.numbers.slice(0, lineWidth).join('.')}.` : pin.version;
  const refsJson = await upstream.json(
    `https://${GITHUB_API}/repos/${repository}/git/matching-refs/tags/${prefix}${lineStart}`,
  );
  const refs = refsJson ? parseMatchingRefs(refsJson) : new Map<string, { sha: string; type: string }>();
  const tags = [...refs.keys()].map((tag) => tag.slice(prefix.length));
  const report = versionsReport(pin, tags);
  const latestJson = await upstream.json(`https://${GITHUB_API}/repos/${repository}/releases/latest`);
  const latest = latestJson ? (JSON.parse(latestJson) as { tag_name?: string }).tag_name : undefined;
  if (latest && stripV(latest.slice(prefix.length)) !== stripV(pin.version))
    report.notes.push(`latest release ${latest}`);

  if (pin.kind !== 'action') return report;
  const ref = refs.get(`${prefix}${pin.version}`);
  if (ref) {
    let commit = ref.sha;
    if (ref.type === 'tag') {
      const tagJson = await upstream.json(`https://${GITHUB_API}/repos/${repository}/git/tags/${ref.sha}`);
      commit = tagJson ? (JSON.parse(tagJson) as { object: { sha: string } }).object.sha : commit;
    }
    if (pin.sha && commit !== pin.sha) {
      report.findings.push({
        finding: 'moved',
        detail: `tag ${pin.version} points at ${commit}, pins.yaml says ${pin.sha}`,
      });
    }
  }
  if (pin.sha) {
    const subpath = pin.name.split('/').slice(2).join('/');
    const base = `https://${GITHUB_RAW}/${repository}/${pin.sha}/${subpath ? `${subpath}/` : ''}`;
    let actionYaml: string | undefined;
    for (const file of ['action.yml', 'action.yaml']) {
      const response = await upstream.get(`${base}${file}`);
      if (response.status === 200) {
        actionYaml = await response.text();
        break;
      }
    }
    if (!actionYaml) report.findings.push({ finding: 'missing', detail: `no action.yml at ${pin.sha}` });
    else {
      const { using, inner } = parseActionYaml(actionYaml);
      report.notes.push(`runs.using ${using}`);
      if (/^node\d+$/.test(using) && using !== 'node24') {
        report.findings.push({
          finding: 'runtime',
          detail: `runs.using ${using}: GitHub runs only node24 actions now`,
        });
      }
      if (inner.length) report.notes.push(`calls ${inner.join(', ')} (check their runtime too)`);
    }
  }
  return report;
}

async function resolveHelmIndex(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  const response = await upstream.get(`${pin.source.repository.replace(/\/$/, '')}/index.yaml`);
  if (response.status !== 200) throw new Error(`index.yaml answered HTTP ${response.status}`);
  return versionsReport(
    pin,
    parseHelmIndex(await response.text(), pin.source.chart ?? pin.name.split('/').pop() ?? ''),
  );
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function resolveRegistry(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  const { host, path } = registryOf(pin.source.repository);
  const tags: string[] = [];
  let next: string | undefined = `https://${host}/v2/${path}/tags/list?n=1000`;
  for (let page = 0; next && page < 20; page += 1) {
    const response = await upstream.get(next, { Accept: 'application/json' });
    if (response.status !== 200) throw new Error(`tags/list answered HTTP ${response.status}`);
    tags.push(...parseRegistryTags(await response.text()));
    const link = /<([^>]+)>;\s*rel="next"/.exec(response.header('link') ?? '')?.[1];
    next = link ? new URL(link, `https://${host}`).toString() : undefined;
  }
  const report = versionsReport(pin, tags);
  if (pin.digest && !report.findings.some((f) => f.finding === 'missing')) {
    const manifest = await upstream.get(
      `https://${host}/v2/${path}/manifests/${pin.version}`,
      { Accept: MANIFEST_TYPES },
      'HEAD',
    );
    const digest = manifest.header('docker-content-digest');
    if (digest && digest !== pin.digest) {
      report.findings.push({
        finding: 'moved',
        detail: `${pin.version} is now ${digest}, pins.yaml says ${pin.digest}`,
      });
    }
  }
  return report;
}

async function resolveNpm(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  const name = pin.source.repository.replace('/', '%2f');
  const json = await upstream.json(`https://registry.npmjs.org/${name}`);
  return json
    ? versionsReport(pin, parseNpmVersions(json))
    : { findings: [{ finding: 'missing', detail: 'no such package' }], notes: [] };
}

async function resolveGoProxy(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  // The proxy spells capitals as !lowercase.
  const module = pin.source.repository.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  const response = await upstream.get(`https://proxy.golang.org/${module}/@v/list`);
  if (response.status !== 200)
    return { findings: [{ finding: 'missing', detail: 'no such module' }], notes: [] };
  return versionsReport(pin, (await response.text()).split('\n').filter(Boolean));
}

/** PyPI's JSON API: every release of a project is a key of `releases`. */
export function parsePypiVersions(json: string): string[] {
  return Object.keys((JSON.parse(json) as { releases?: Record<string, unknown> }).releases ?? {});
}

async function resolvePypi(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  const json = await upstream.json(`https://pypi.org/pypi/${pin.source.repository}/json`);
  return json
    ? versionsReport(pin, parsePypiVersions(json))
    : { findings: [{ finding: 'missing', detail: 'no such project' }], notes: [] };
}

async function resolveNodeDist(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  const json = await upstream.json('https://nodejs.org/dist/index.json');
  const releases = json ? parseNodeIndex(json) : [];
  const versions = releases.map((release) => release.version);
  if (/^\d+$/.test(pin.version)) {
    // A release line (.nvmrc's "24"): exists if any release is in it.
    const inLine = versions.filter((version) => version.startsWith(`${pin.version}.`));
    return inLine.length
      ? { findings: [], notes: [`newest ${newest(inLine, inLine[0] ?? '') ?? ''}`] }
      : { findings: [{ finding: 'missing', detail: `no Node ${pin.version}.x release` }], notes: [] };
  }
  const report = versionsReport(pin, versions, stripV(pin.version));
  const mine = parseVersion(stripV(pin.version));
  const security = releases.filter((release) => {
    const parsed = parseVersion(release.version);
    return (
      release.security &&
      parsed &&
      mine &&
      parsed.numbers[0] === mine.numbers[0] &&
      compareNumbers(parsed.numbers, mine.numbers) > 0
    );
  });
  if (security.length) {
    report.findings.push({
      finding: 'security',
      detail: `security releases since: ${security.map((r) => r.version).join(', ')}`,
    });
  }
  return report;
}

/** `~> 4.77`, `>= 1.9, < 2.0`: the floor is released, and where the newest release falls outside. */
async function resolveTerraformRegistry(pin: InventoryPin, upstream: Upstream): Promise<Report> {
  const json = await upstream.json(
    `https://registry.terraform.io/v1/providers/${pin.source.repository}/versions`,
  );
  const versions = json ? parseTerraformVersions(json) : [];
  const floor = /(\d+(?:\.\d+)*)/.exec(pin.version)?.[1] ?? pin.version;
  const report: Report = { findings: [], notes: [] };
  if (!versions.some((version) => version === floor || version.startsWith(`${floor}.`))) {
    report.findings.push({
      finding: 'missing',
      detail: `no release ${floor} for the constraint ${pin.version}`,
    });
  }
  const latest = newest(versions, versions[0] ?? '');
  const floorMajor = Number(floor.split('.')[0]);
  if (latest) {
    report.notes.push(`newest ${latest}`);
    if (pin.version.startsWith('~>') && Number(latest.split('.')[0]) > floorMajor) {
      report.findings.push({ finding: 'stale', detail: `${latest} is a new major outside ${pin.version}` });
    }
  }
  return report;
}

const RESOLVERS: Record<PinSource['type'], (pin: InventoryPin, upstream: Upstream) => Promise<Report>> = {
  'github-tags': resolveGithub,
  'helm-index': resolveHelmIndex,
  'oci-chart': resolveRegistry,
  registry: resolveRegistry,
  npm: resolveNpm,
  'go-proxy': resolveGoProxy,
  pypi: resolvePypi,
  'node-dist': resolveNodeDist,
  'terraform-registry': resolveTerraformRegistry,
};

// ---------------------------------------------------------------- end of life and targets

function cycleOf(pin: InventoryPin): string | undefined {
  const parsed = parseVersion(pin.version);
  if (!parsed) return undefined;
  return parsed.numbers.slice(0, lineOf(pin) === 'major' ? 1 : 2).join('.');
}

function endOfLife(cycle: string, cycles: Map<string, string | boolean>, now: Date): string | undefined {
  const eol = cycles.get(cycle);
  if (eol === true) return `${cycle} is past end of life`;
  if (typeof eol === 'string' && new Date(eol) <= now) return `${cycle} reached end of life on ${eol}`;
  return undefined;
}

/** Offline-capable: a kind node image or kubectl whose minor the course does not target. */
export function targetFindings(pin: InventoryPin, inventory: Inventory): Report['findings'] {
  if (pin.source.eol !== 'kubernetes') return [];
  const parsed = parseVersion(pin.version);
  const { min, max } = kubernetesMinorRange(inventory.kubernetes);
  if (!parsed || parsed.numbers.length < 2) return [];
  const minor: [number, number] = [parsed.numbers[0] ?? 0, parsed.numbers[1] ?? 0];
  if (compareNumbers(minor, min) >= 0 && compareNumbers(minor, max) <= 0) return [];
  return [
    {
      finding: 'outside-target',
      detail: `${minor.join('.')} is not one of the course's Kubernetes minors ${inventory.kubernetes.minors.join(', ')}`,
    },
  ];
}

// ---------------------------------------------------------------- the run

async function reachable(host: string, http: Http, timeoutMs: number): Promise<boolean> {
  try {
    await http(`https://${host}/`, { method: 'HEAD', timeoutMs });
    return true;
  } catch {
    return false;
  }
}

async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

export async function resolveInventory(inventory: Inventory, options: ResolveOptions): Promise<Resolution> {
  const http = options.http ?? fetchHttp;
  const upstream = new Upstream(http, options);
  const eolProducts = [
    ...new Set([inventory.kubernetes.source.eol, ...inventory.pins.map((pin) => pin.source.eol)]),
  ].filter((product): product is string => Boolean(product));
  const hosts = [
    ...new Set([
      ...inventory.pins.flatMap((pin) => hostsOf(pin.source)),
      ...(eolProducts.length ? ['endoflife.date'] : []),
      ...(inventory.pins.some((pin) => pin.kind === 'action') ? [GITHUB_RAW] : []),
    ]),
  ].sort();
  const probeTimeout = options.probeTimeoutMs ?? 3_000;
  const answers = await Promise.all(
    hosts.map(async (host) => [host, await reachable(host, http, probeTimeout)] as const),
  );
  const unreachableHosts = answers.filter(([, ok]) => !ok).map(([host]) => host);
  const isUp = (host: string): boolean => !unreachableHosts.includes(host);

  const cycles = new Map<string, Map<string, string | boolean>>();
  if (isUp('endoflife.date')) {
    for (const product of eolProducts) {
      try {
        const json = await upstream.json(`https://endoflife.date/api/${product}.json`);
        if (json) cycles.set(product, parseEndOfLife(json));
      } catch {
        // Reported below as a missing end-of-life answer, never as a pass.
      }
    }
  }

  const reports = await inBatches(inventory.pins, 6, async (pin): Promise<PinReport> => {
    const base = { kind: pin.kind, name: pin.name, version: pin.version };
    const offlineFindings = targetFindings(pin, inventory);
    const needed = hostsOf(pin.source).concat(pin.kind === 'action' ? [GITHUB_RAW] : []);
    const down = needed.filter((host) => !isUp(host));
    if (down.length) {
      return {
        ...base,
        state: 'unreachable',
        findings: offlineFindings,
        notes: [`not resolved: ${down.join(', ')} did not answer`],
      };
    }
    try {
      const report = await RESOLVERS[pin.source.type](pin, upstream);
      const product = pin.source.eol;
      const cycle = cycleOf(pin);
      if (product && cycle) {
        const known = cycles.get(product);
        const eol = known && endOfLife(cycle, known, options.now);
        if (eol) report.findings.push({ finding: 'end-of-life', detail: eol });
        if (!known)
          report.notes.push(`end of life not checked: no answer from endoflife.date for ${product}`);
      }
      return {
        ...base,
        state: 'resolved',
        findings: [...offlineFindings, ...report.findings],
        notes: report.notes,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, state: 'error', findings: offlineFindings, notes: [message] };
    }
  });

  // The course's Kubernetes minors themselves.
  const k8s: PinReport = {
    kind: 'kubernetes',
    name: 'targeted minors',
    version: inventory.kubernetes.minors.join(', '),
    state: 'unreachable',
    findings: [],
    notes: [],
  };
  const k8sCycles = inventory.kubernetes.source.eol ? cycles.get(inventory.kubernetes.source.eol) : undefined;
  if (k8sCycles) {
    k8s.state = 'resolved';
    for (const minor of inventory.kubernetes.minors) {
      const eol = endOfLife(minor, k8sCycles, options.now);
      if (eol) k8s.findings.push({ finding: 'end-of-life', detail: eol });
      if (!k8sCycles.has(minor))
        k8s.findings.push({ finding: 'missing', detail: `${minor} is not a released minor` });
    }
    const released = [...k8sCycles.keys()].filter((cycle) => /^1\.\d+$/.test(cycle));
    const latest = newest(released, '1.0');
    if (latest && !inventory.kubernetes.minors.includes(latest))
      k8s.notes.push(`newest minor ${latest} is not targeted`);
  } else k8s.notes.push('not resolved: endoflife.date did not answer');

  const all = [...reports, k8s];
  const offline = all.every((report) => report.state === 'unreachable');
  return { offline, unreachableHosts, reports: all };
}

export function hasFindings(resolution: Resolution): boolean {
  return resolution.reports.some((report) => report.findings.length > 0 || report.state === 'error');
}

/**
 * pins:check's exit code. A finding fails it. A host that did not answer fails it only with `strict` (the weekly
 * workflow, which has the network: an outage there must not pass as "nothing stale"); on a learner's offline
 * machine an unanswered probe is no failure.
 */
export function exitCodeOf(resolution: Resolution, { strict }: { strict: boolean }): number {
  if (strict && resolution.unreachableHosts.length > 0) return 1;
  return resolution.offline || !hasFindings(resolution) ? 0 : 1;
}

export function formatResolution(resolution: Resolution, style: 'text' | 'markdown'): string {
  const status = (report: PinReport): string =>
    report.findings.length
      ? [...new Set(report.findings.map((f) => f.finding))].join(', ')
      : report.state === 'resolved'
        ? 'ok'
        : report.state;
  const details = (report: PinReport): string =>
    [...report.findings.map((f) => f.detail), ...report.notes].join('; ');
  const header = resolution.offline
    ? `pins:check: OFFLINE. None of ${resolution.unreachableHosts.join(', ')} answered, so nothing was resolved ` +
      'upstream (exit 0). Run it where GitHub and the registries are reachable: the weekly pins workflow does.'
    : `pins:check: ${resolution.reports.filter((r) => r.state === 'resolved').length} of ${resolution.reports.length} resolved` +
      (resolution.unreachableHosts.length
        ? `; unreachable, not resolved: ${resolution.unreachableHosts.join(', ')}`
        : '');
  const rows = resolution.reports.map((report) => [
    status(report),
    report.kind,
    report.name,
    report.version,
    details(report),
  ]);
  if (style === 'markdown') {
    return [
      `## Pins against upstream`,
      '',
      header,
      '',
      '| status | kind | name | version | details |',
      '| --- | --- | --- | --- | --- |',
      ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
    ].join('\n');
  }
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column < 4 ? cell.padEnd(widths[column] ?? 0) : cell))
      .join('  ')
      .trimEnd(),
  );
  return [header, '', ...lines].join('\n');
}
