// Cluster tier: against a cluster prepared as in the README (the stack installed, Taskboard upgraded with
// taskboard-values.yaml), ask the real Prometheus and Loki through the API server's service proxy.
import { repoRoot } from '@taskboard/verify/src/check';
import { findTool } from '@taskboard/verify/src/tools';
import { clusterAvailability, kubectlRun } from '@taskboard/verify/src/k8s';
import { waitFor } from '@taskboard/testkit';
import { JOB } from './model';

const enable =
  'VERIFY_CLUSTER=1 npm run verify:day4 against a cluster prepared by day4-observability/README.md steps 1-2 (stack installed, Taskboard upgraded with taskboard-values.yaml)';
const kubectl = findTool('kubectl', repoRoot);
const availability = clusterAvailability(kubectl);
if (!availability.ok)
  process.stderr.write(`\n⚠ SKIPPED day 4 cluster tier: ${availability.reason}. Enable it with: ${enable}\n`);

const describeCluster = availability.ok ? describe : describe.skip;
const title = availability.ok
  ? `day 4 cluster tier (context ${availability.context})`
  : `day 4 cluster tier [SKIPPED: ${availability.reason}; enable with: ${enable}]`;

const PROMETHEUS = '/api/v1/namespaces/monitoring/services/kube-prometheus-stack-prometheus:9090/proxy';
const LOKI = '/api/v1/namespaces/monitoring/services/loki:3100/proxy';
const API = '/api/v1/namespaces/taskboard/services/taskboard-api:3000/proxy';

function raw<T>(pathAndQuery: string): T {
  const result = kubectlRun(kubectl as string, ['get', '--raw', pathAndQuery], undefined, 30_000);
  if (result.status !== 0)
    throw new Error(`kubectl get --raw ${pathAndQuery} failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}

describeCluster(title, () => {
  it(`the Prometheus targets include the API (job ${JOB}) and it is up`, async () => {
    let seen = 'no target';
    await waitFor(
      `an up target of job ${JOB} (last seen: ${seen}); if the job is missing, see the break/fix drill`,
      async () => {
        const targets = raw<{
          data: { activeTargets: Array<{ labels: Record<string, string>; health: string }> };
        }>(`${PROMETHEUS}/api/v1/targets?state=active`).data.activeTargets.filter(
          (t) => t.labels.job === JOB,
        );
        seen = targets.map((t) => `${t.labels.pod}: ${t.health}`).join(', ') || 'no target';
        return targets.some((t) => t.health === 'up');
      },
      90_000,
    );
  });

  it('Prometheus loaded the Taskboard PrometheusRule', () => {
    const groups = raw<{ data: { groups: Array<{ name: string }> } }>(
      `${PROMETHEUS}/api/v1/rules`,
    ).data.groups.map((g) => g.name);
    expect(groups).toEqual(
      expect.arrayContaining(['taskboard-api.recording', 'taskboard-api.slo', 'taskboard-api.alerts']),
    );
  });

  it("a Loki query returns the API's log lines, with the route in structured metadata", async () => {
    // A real request writes one completion line; Alloy ships it within seconds.
    raw(`${API}/api/tasks?limit=1`);
    const query = encodeURIComponent('{app="taskboard-api"} | route="/api/tasks"');
    const start = `${(Date.now() - 15 * 60_000) * 1e6}`;
    await waitFor(
      'a Loki line of app taskboard-api for route /api/tasks (check the Alloy pod logs in namespace monitoring)',
      async () => {
        const body = raw<{ data: { result: Array<{ values: unknown[] }> } }>(
          `${LOKI}/loki/api/v1/query_range?query=${query}&start=${start}&limit=5`,
        );
        return body.data.result.some((stream) => stream.values.length > 0);
      },
      90_000,
    );
  });
});
