// The resolver behind `npm run pins:check`, fed recorded upstream answers (test/fixtures/pins-upstream: real
// shapes, fake data) through a fake HTTP client, so its parsing and reporting are tested without a network.
import fs from 'node:fs';
import path from 'node:path';
import type { Inventory, InventoryPin } from '../src/pins/inventory.ts';
import {
  exitCodeOf,
  formatResolution,
  hasFindings,
  newerInLine,
  parseBearerChallenge,
  parsePypiVersions,
  resolveInventory,
  type Http,
  type HttpResponse,
  type PinReport,
} from '../src/pins/resolve.ts';

const upstream = (file: string): string =>
  fs.readFileSync(path.join(__dirname, 'fixtures', 'pins-upstream', file), 'utf8');

interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Answers by URL; any other URL is a 404. Every host answers the reachability probe. */
function fakeHttp(answers: Record<string, Answer | ((headers: Record<string, string>) => Answer)>): Http {
  return async (url, request) => {
    const entry = answers[url];
    const answer = typeof entry === 'function' ? entry(request.headers ?? {}) : entry;
    const status = answer?.status ?? (answer ? 200 : new URL(url).pathname === '/' ? 200 : 404);
    const headers = new Map(Object.entries(answer?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const response: HttpResponse = {
      status,
      header: (name) => headers.get(name.toLowerCase()) ?? null,
      text: async () => answer?.body ?? '',
    };
    return response;
  };
}

const offlineHttp: Http = async (url) => {
  throw new TypeError(`fetch failed: getaddrinfo ENOTFOUND ${new URL(url).host}`);
};

function inventory(pins: InventoryPin[], minors = ['1.35', '1.36', '1.37']): Inventory {
  return {
    kubernetes: {
      minors,
      source: { type: 'github-tags', repository: 'kubernetes/kubernetes', eol: 'kubernetes' },
      files: [],
    },
    localImages: [],
    ignore: [],
    pins,
  };
}

const action: InventoryPin = {
  kind: 'action',
  name: 'example-org/example-action',
  version: 'v5.0.0',
  sha: '1'.repeat(40),
  source: { type: 'github-tags', repository: 'example-org/example-action' },
  files: ['.github/workflows/ci.yml'],
};
const api = 'https://api.github.com/repos/example-org/example-action';
const raw = 'https://raw.githubusercontent.com/example-org/example-action';
const now = new Date('2026-12-02T00:00:00Z');

async function reportFor(pin: InventoryPin, answers: Parameters<typeof fakeHttp>[0]): Promise<PinReport> {
  const resolution = await resolveInventory(inventory([pin]), { now, http: fakeHttp(answers) });
  return resolution.reports[0] as PinReport;
}

const findings = (report: PinReport): string[] => report.findings.map((f) => `${f.finding}: ${f.detail}`);

describe('pins:check offline', () => {
  it('says it is offline, resolves nothing and reports no finding that needs the network', async () => {
    const resolution = await resolveInventory(inventory([action]), { now, http: offlineHttp });
    expect({
      offline: resolution.offline,
      states: resolution.reports.map((report) => report.state),
      findings: hasFindings(resolution),
      header: formatResolution(resolution, 'text').split('\n')[0],
    }).toEqual({
      offline: true,
      states: ['unreachable', 'unreachable'],
      findings: false,
      header: expect.stringMatching(
        /^pins:check: OFFLINE\. None of api\.github\.com, .* answered, so nothing was resolved/,
      ),
    });
  });

  it('still reports a kubectl or kind node image outside the targeted Kubernetes minors', async () => {
    const kubectl: InventoryPin = {
      kind: 'tool',
      name: 'kubectl',
      version: 'v1.33.9',
      source: { type: 'github-tags', repository: 'kubernetes/kubernetes', eol: 'kubernetes' },
      files: ['scripts/bootstrap-tools.sh'],
    };
    const resolution = await resolveInventory(inventory([kubectl]), { now, http: offlineHttp });
    expect(findings(resolution.reports[0] as PinReport)).toEqual([
      "outside-target: 1.33 is not one of the course's Kubernetes minors 1.35, 1.36, 1.37",
    ]);
  });
});

describe('pins:check exit code', () => {
  const partlyOffline = { offline: false, unreachableHosts: ['ghcr.io'], reports: [] };

  it('passes offline for a learner, and fails with --strict when nothing answered', async () => {
    const resolution = await resolveInventory(inventory([action]), { now, http: offlineHttp });
    expect([exitCodeOf(resolution, { strict: false }), exitCodeOf(resolution, { strict: true })]).toEqual([
      0, 1,
    ]);
  });

  it('fails with --strict when one host did not answer, though no pin has a finding', () => {
    expect([
      exitCodeOf(partlyOffline, { strict: false }),
      exitCodeOf(partlyOffline, { strict: true }),
    ]).toEqual([0, 1]);
  });
});

describe('pins:check against recorded answers', () => {
  const refs = { [`${api}/git/matching-refs/tags/v5.0.`]: { body: upstream('github-matching-refs.json') } };

  it('reports an action on the Node 20 runtime, a newer patch in its line, and the latest release', async () => {
    const report = await reportFor(action, {
      ...refs,
      [`${api}/releases/latest`]: { body: upstream('github-release-latest.json') },
      [`${raw}/${'1'.repeat(40)}/action.yml`]: { body: upstream('action-node20.yml') },
    });
    expect({ findings: findings(report), notes: report.notes }).toEqual({
      findings: [
        'stale: v5.0.1 is out in the same minor line',
        'runtime: runs.using node20: GitHub runs only node24 actions now',
      ],
      notes: ['latest release v6.1.0', 'runs.using node20'],
    });
  });

  it('reports a SHA that is not the commit its tag points to, following an annotated tag', async () => {
    const pin = { ...action, version: 'v5.0.1', sha: '2'.repeat(40) };
    const report = await reportFor(pin, {
      ...refs,
      [`${api}/git/tags/${'2'.repeat(40)}`]: { body: upstream('github-annotated-tag.json') },
      [`${raw}/${'2'.repeat(40)}/action.yml`]: { body: upstream('action-composite.yml') },
    });
    expect({ findings: findings(report), notes: report.notes }).toEqual({
      findings: [`moved: tag v5.0.1 points at ${'3'.repeat(40)}, pins.yaml says ${'2'.repeat(40)}`],
      notes: ['runs.using composite', `calls example-org/cache@${'a'.repeat(40)} (check their runtime too)`],
    });
  });

  it('reports a tag that does not exist as missing', async () => {
    const report = await reportFor({ ...action, version: 'v5.0.9' }, refs);
    expect(findings(report)[0]).toBe('missing: v5.0.9 is not released upstream');
  });

  const chart: InventoryPin = {
    kind: 'chart',
    name: 'example/widget',
    version: '1.2.3',
    source: { type: 'helm-index', repository: 'https://charts.example.test', chart: 'widget' },
    files: ['platform/install.sh'],
  };
  const index = { 'https://charts.example.test/index.yaml': { body: upstream('helm-index.yaml') } };

  it.each([
    ['1.2.3', ['stale: 1.2.4 is out in the same minor line'], ['newest 1.3.0']],
    ['1.2.5', ['missing: 1.2.5 is not released upstream'], []],
    ['1.3.0', [], []],
  ])('reads a Helm index.yaml: chart %s', async (version, expectedFindings, notes) => {
    const report = await reportFor({ ...chart, version }, index);
    expect({ findings: findings(report), notes: report.notes }).toEqual({
      findings: expectedFindings,
      notes,
    });
  });

  it('takes an anonymous token from a registry challenge, lists tags of the same variant and checks the digest', async () => {
    const image: InventoryPin = {
      kind: 'image',
      name: 'node',
      version: '24.0.0-bookworm-slim',
      digest: `sha256:${'a'.repeat(64)}`,
      source: { type: 'registry', repository: 'docker.io/library/node', line: 'major' },
      files: ['Dockerfile'],
    };
    const registry = 'https://registry-1.docker.io/v2/library/node';
    const challenge = {
      status: 401,
      headers: {
        'WWW-Authenticate':
          'Bearer realm="https://auth.example.test/token",service="registry.example.test",scope="repository:library/node:pull"',
      },
    };
    const withToken = (answer: Answer) => (headers: Record<string, string>) =>
      headers.Authorization === 'Bearer fake-anonymous-token' ? answer : challenge;
    const report = await reportFor(image, {
      'https://auth.example.test/token?service=registry.example.test&scope=repository%3Alibrary%2Fnode%3Apull':
        {
          body: upstream('registry-token.json'),
        },
      [`${registry}/tags/list?n=1000`]: withToken({ body: upstream('registry-tags.json') }),
      [`${registry}/manifests/24.0.0-bookworm-slim`]: withToken({
        headers: { 'Docker-Content-Digest': `sha256:${'b'.repeat(64)}` },
      }),
    });
    expect(findings(report)).toEqual([
      'stale: 24.1.0-bookworm-slim is out in the same major line',
      `moved: 24.0.0-bookworm-slim is now sha256:${'b'.repeat(64)}, pins.yaml says sha256:${'a'.repeat(64)}`,
    ]);
  });

  it('reads npm, Node security releases, Terraform provider majors and Kubernetes end of life', async () => {
    const pins: InventoryPin[] = [
      {
        kind: 'npm',
        name: '@example/kubectl-layer',
        version: '2.2.2',
        source: { type: 'npm', repository: '@example/kubectl-layer' },
        files: ['scripts/bootstrap-tools.sh'],
      },
      {
        kind: 'tool',
        name: 'node',
        version: '24.1.0',
        source: { type: 'node-dist', repository: 'nodejs.org/dist', line: 'major' },
        files: ['scripts/bootstrap-tools.sh'],
      },
      {
        kind: 'provider',
        name: 'example/widget',
        version: '~> 4.77',
        source: { type: 'terraform-registry', repository: 'example/widget' },
        files: ['versions.tf'],
      },
      {
        kind: 'image',
        name: 'kindest/node',
        version: 'v1.34.0',
        source: { type: 'registry', repository: 'docker.io/kindest/node', eol: 'kubernetes' },
        files: ['kind-cluster.yaml'],
      },
    ];
    const resolution = await resolveInventory(inventory(pins, ['1.35', '1.36', '1.37', '1.38']), {
      now,
      http: fakeHttp({
        'https://registry.npmjs.org/@example%2fkubectl-layer': { body: upstream('npm-packument.json') },
        'https://nodejs.org/dist/index.json': { body: upstream('node-index.json') },
        'https://registry.terraform.io/v1/providers/example/widget/versions': {
          body: upstream('terraform-provider-versions.json'),
        },
        'https://registry-1.docker.io/v2/kindest/node/tags/list?n=1000': {
          body: JSON.stringify({ name: 'kindest/node', tags: ['v1.34.0', 'v1.35.0'] }),
        },
        'https://endoflife.date/api/kubernetes.json': { body: upstream('endoflife-kubernetes.json') },
      }),
    });
    expect(Object.fromEntries(resolution.reports.map((report) => [report.name, findings(report)]))).toEqual({
      '@example/kubectl-layer': ['stale: 2.2.3 is out in the same minor line'],
      node: ['stale: 24.3.0 is out in the same major line', 'security: security releases since: 24.2.0'],
      'example/widget': ['stale: 5.0.0 is a new major outside ~> 4.77'],
      'kindest/node': [
        "outside-target: 1.34 is not one of the course's Kubernetes minors 1.35, 1.36, 1.37, 1.38",
        'end-of-life: 1.34 reached end of life on 2026-10-01',
      ],
      'targeted minors': ['missing: 1.38 is not a released minor'],
    });
    expect(formatResolution(resolution, 'markdown')).toContain(
      '| stale, security | tool | node | 24.1.0 | 24.3.0 is out in the same major line; security releases since: 24.2.0; newest 25.1.0 |',
    );
  });
});

describe('resolver helpers', () => {
  it('compares only versions of the same line and variant, skipping pre-releases', () => {
    const tags = ['1.2.4', '1.3.0', '1.2.10-alpine', '1.2.9-rc.1', 'v1.2.11', '1.2.7'];
    expect([newerInLine('1.2.3', tags, 'minor'), newerInLine('1.2.3', tags, 'major')]).toEqual([
      '1.2.7',
      '1.3.0',
    ]);
  });

  it("reads PyPI's releases (the JSON API's shape: releases keyed by version)", () => {
    const json = JSON.stringify({ info: { version: '1.32.0' }, releases: { '1.31.1': [], '1.32.0': [{}] } });
    expect(parsePypiVersions(json)).toEqual(['1.31.1', '1.32.0']);
  });

  it('parses a registry Bearer challenge', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="https://r.test/token",service="r.test",scope="repository:a/b:pull"',
      ),
    ).toEqual({ realm: 'https://r.test/token', service: 'r.test', scope: 'repository:a/b:pull' });
  });
});
