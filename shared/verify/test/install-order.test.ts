import { CheckFailedError, repoRoot, type Check } from '../src/check';
import { copyToTemp, mutateFile, removeTemp, replaceOrThrow } from '../src/fixtures';
import { repositoryChecks as day2Checks } from '../../../day2-k8s/verify/checks';
import { repositoryChecks as day3Checks } from '../../../day3-helm/verify/repo-checks';

// The Traefik chart renders a GatewayClass but no longer ships the Gateway API CRDs, so day 2's up.sh and day 3's
// install.sh must apply them first. Each mutation breaks a copy of one script in one way; the install-order check
// registered by that day must fail there with a precise message, and pass on the unbroken repository.

const TITLE = 'applies the Gateway API';
const SCRIPTS = [
  { day: 'day 2', file: 'day2-k8s/cluster/up.sh', checks: (): Check[] => day2Checks() },
  // The helm thunk is never called by the install-order check (it reads the script, it runs nothing).
  { day: 'day 3', file: 'day3-helm/platform/install.sh', checks: (): Check[] => day3Checks(() => 'helm') },
];
const TRAEFIK_VALUES = 'day2-k8s/cluster/traefik-values.yaml';
const fixturePaths = ['day2-k8s/cluster', 'day3-helm/platform'];

/** The `kubectl apply` of the Gateway API bundle, continuation line included. */
const APPLY = /kubectl apply --server-side \\\n\s+-f "[^"\n]+-install\.yaml"\n/;
const TRAEFIK_RELEASE = /helm upgrade --install traefik [^\n]*\\\n[^\n]*\n/;

interface Mutation {
  name: string;
  edits: (script: string) => { file: string; edit: (content: string) => string }[];
  /** Fragments the failure message must contain; undefined when the check must still pass. */
  contains?: (script: string) => string[];
}

const mutations: Mutation[] = [
  {
    name: 'the CRD step removed',
    edits: (script) => [{ file: script, edit: (s) => replaceOrThrow(s, APPLY, '') }],
    contains: (script) => [
      `${script} (line `,
      'the Traefik release, values day2-k8s/cluster/traefik-values.yaml',
      'kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml before this line',
      'no matches for kind GatewayClass',
    ],
  },
  {
    name: 'the CRD step moved after the Traefik install',
    edits: (script) => [
      {
        file: script,
        edit: (s) => {
          const apply = APPLY.exec(s)?.[0] ?? '';
          const without = replaceOrThrow(s, APPLY, '');
          const release = TRAEFIK_RELEASE.exec(without)?.[0] ?? '';
          return replaceOrThrow(without, release, `${release}${apply}`);
        },
      },
    ],
    contains: (script) => [
      `${script} (line `,
      'the Gateway API CRDs applied before the Traefik release',
      'applied after it',
      'move the kubectl apply',
    ],
  },
  {
    name: 'Gateway API v1.4.1 pinned (its standard channel has no TLSRoute)',
    edits: (script) => [
      {
        file: script,
        edit: (s) =>
          replaceOrThrow(s, /^readonly GATEWAY_API_VERSION=.*$/m, 'readonly GATEWAY_API_VERSION=v1.4.1'),
      },
    ],
    contains: () => [
      'the standard channel of Gateway API v1.5.1',
      'found:    v1.4.1/standard-install.yaml',
      'TLSRoute',
    ],
  },
  {
    name: 'the experimental channel instead of the standard one',
    edits: (script) => [
      { file: script, edit: (s) => replaceOrThrow(s, 'standard-install.yaml', 'experimental-install.yaml') },
    ],
    contains: () => ['found:    v1.5.1/experimental-install.yaml'],
  },
  {
    name: 'the Gateway provider off and the CRD step removed (nothing needs the CRDs: still passes)',
    edits: (script) => [
      { file: script, edit: (s) => replaceOrThrow(s, APPLY, '') },
      {
        file: TRAEFIK_VALUES,
        edit: (s) => replaceOrThrow(s, /( {2}kubernetesGateway:\n {4}enabled:) true/, '$1 false'),
      },
    ],
  },
];

async function failureMessage(check: Check, root: string): Promise<string | undefined> {
  const violations = await check.run(root);
  return violations.length > 0 ? new CheckFailedError(check.title, violations).message : undefined;
}

describe.each(SCRIPTS)('$day install order: Gateway API CRDs before Traefik ($file)', ({ file, checks }) => {
  const check = (): Check => {
    const found = checks().find((c) => c.title.startsWith(file) && c.title.includes(TITLE));
    if (!found) throw new Error(`no registered check "${file} ${TITLE}…"`);
    return found;
  };

  it('passes on the unbroken repository', async () => {
    expect(await failureMessage(check(), repoRoot)).toBeUndefined();
  });

  for (const m of mutations) {
    it(`${m.name}: ${m.contains ? 'fails with a precise message' : 'passes'}`, async () => {
      const root = copyToTemp(repoRoot, fixturePaths);
      try {
        for (const { file: target, edit } of m.edits(file)) mutateFile(root, target, edit);
        const message = await failureMessage(check(), root);
        if (!m.contains) {
          expect(message).toBeUndefined();
          return;
        }
        expect(message).toBeDefined();
        for (const fragment of m.contains(file)) expect(message).toContain(fragment);
      } finally {
        removeTemp(root);
      }
    });
  }
});
