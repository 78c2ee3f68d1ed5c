import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { repoRoot } from '@taskboard/verify/src/check';
import { findTool } from '@taskboard/verify/src/tools';
import { clusterAvailability, kubectlRun } from '@taskboard/verify/src/k8s';
import { NAMES } from './checks';
import { CHART, DAY, RELEASE } from './helm';

/*
 * Cluster tier: install the platform (platform/install.sh) and the chart into a throwaway namespace of the
 * current kube context, run `helm test`, upgrade, roll back, and prove --rollback-on-failure saves a release
 * whose hook fails. Needs a kind cluster with day 1's images loaded (day2-k8s/cluster/up.sh steps 1 and 3).
 */

const enable =
  'VERIFY_CLUSTER=1 npm run verify:day3 against a kind cluster with the images loaded (day3-helm/README.md steps 1-3)';
const kubectl = findTool('kubectl', repoRoot);
const helm = findTool('helm', repoRoot);
const availability = helm ? clusterAvailability(kubectl) : { ok: false as const, reason: 'helm not found' };

if (!availability.ok) {
  process.stderr.write(`\n⚠ SKIPPED day 3 cluster tier: ${availability.reason}. Enable it with: ${enable}\n`);
}

const describeCluster = availability.ok ? describe : describe.skip;
const title = availability.ok
  ? `day 3 cluster tier (context ${availability.context})`
  : `day 3 cluster tier [SKIPPED: ${availability.reason}; enable with: ${enable}]`;

describeCluster(title, () => {
  const namespace = `taskboard-verify-${randomBytes(3).toString('hex')}`;
  const run = (command: string, args: string[], timeoutMs = 900_000) => {
    const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', timeout: timeoutMs });
    return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
  };
  const must = (command: string, args: string[]) => {
    const result = run(command, args);
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.output}`);
    return result.output;
  };
  const k = (...args: string[]) => must(kubectl!, args);
  const h = (...args: string[]) => must(helm!, [...args, '--namespace', namespace]);
  const revision = () => {
    const history = JSON.parse(h('history', RELEASE, '-o', 'json')) as { revision: number; status: string }[];
    return history.at(-1)!;
  };
  let apiServerCidr = '';
  let installValues: string[] = [];

  beforeAll(() => {
    must('bash', [`${DAY}/platform/install.sh`]);
    // The CNPG instances talk to the API server: allow exactly its address in the NetworkPolicy.
    const address = kubectlRun(kubectl!, [
      'get',
      'endpointslices',
      '-n',
      'default',
      '-l',
      'kubernetes.io/service-name=kubernetes',
      '-o',
      'jsonpath={.items[0].endpoints[0].addresses[0]}',
    ]).stdout.trim();
    apiServerCidr = `${address}/32`;
    k('create', 'namespace', namespace);
    k('label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=restricted');
    installValues = [
      '-f',
      `${DAY}/environments/dev.yaml`,
      // The lab's release owns taskboard.localtest.me; this throwaway one is reached through port-forwards.
      '--set',
      'ingress.enabled=false',
      '--set',
      `networkPolicy.kubeApiServer.cidrs={${apiServerCidr}}`,
    ];
    // Default wait (hookOnly): the post-install migrate hook must run before the API can become Ready.
    h('upgrade', '--install', RELEASE, CHART, ...installValues, '--timeout', '10m');
  });

  afterAll(() => {
    run(helm!, ['uninstall', RELEASE, '--namespace', namespace, '--wait']);
    kubectlRun(kubectl!, ['delete', 'namespace', namespace, '--wait=false']);
  });

  it('the CNPG Cluster becomes ready', () => {
    k(
      '-n',
      namespace,
      'wait',
      '--for=condition=Ready',
      `cluster.postgresql.cnpg.io/${NAMES.cluster}`,
      '--timeout=300s',
    );
  });

  it('api and web Deployments roll out', () => {
    k('-n', namespace, 'rollout', 'status', `deployment/${NAMES.api}`, '--timeout=300s');
    k('-n', namespace, 'rollout', 'status', `deployment/${NAMES.web}`, '--timeout=180s');
  });

  it('helm test passes (readyz, a task round trip, the SPA)', () => {
    expect(h('test', RELEASE, '--logs')).toContain('ok web serves the SPA');
  });

  it('helm upgrade with a config change creates revision 2 and rolls the API pods', () => {
    const before = k(
      '-n',
      namespace,
      'get',
      `deployment/${NAMES.api}`,
      '-o',
      'jsonpath={.spec.template.metadata.annotations.checksum/config}',
    );
    h(
      'upgrade',
      RELEASE,
      CHART,
      ...installValues,
      '--set',
      'api.config.LOG_LEVEL=warn',
      '--rollback-on-failure',
      '--timeout',
      '10m',
    );
    const after = k(
      '-n',
      namespace,
      'get',
      `deployment/${NAMES.api}`,
      '-o',
      'jsonpath={.spec.template.metadata.annotations.checksum/config}',
    );
    expect(after).not.toBe(before);
    expect(revision()).toMatchObject({ revision: 2, status: 'deployed' });
  });

  it('helm rollback to revision 1 restores the first config as revision 3', () => {
    h('rollback', RELEASE, '1', '--wait', '--timeout', '5m');
    expect(revision()).toMatchObject({ revision: 3, status: 'deployed' });
    expect(k('-n', namespace, 'get', 'configmap', NAMES.api, '-o', 'jsonpath={.data.LOG_LEVEL}')).toBe(
      'debug',
    );
  });

  it('an upgrade whose migrate hook fails is rolled back by --rollback-on-failure', () => {
    const failed = run(helm!, [
      'upgrade',
      RELEASE,
      CHART,
      ...installValues,
      '--namespace',
      namespace,
      // An image tag that does not exist: the hook never starts and hits its deadline.
      '--set',
      'api.image.tag=0.0.0-does-not-exist',
      '--set',
      'migrate.activeDeadlineSeconds=60',
      '--rollback-on-failure',
      '--timeout',
      '5m',
    ]);
    expect(failed.status).not.toBe(0);
    expect(revision()).toMatchObject({ revision: 5, status: 'deployed' });
    expect(
      k(
        '-n',
        namespace,
        'get',
        `deployment/${NAMES.api}`,
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ),
    ).not.toContain('does-not-exist');
  });
});
