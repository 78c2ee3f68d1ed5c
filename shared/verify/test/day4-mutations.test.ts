// Proves every day 4 check guards something: each broken variant the issue lists, made in a temp copy of the
// repository, makes a named check fail with a message that says where and how to fix it.
import {
  assertCheck,
  copyToTemp,
  localRuntimeTier,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
  stopAll,
  type Check,
} from '../src';
import {
  dashboardChecks,
  logChecks,
  pinChecks,
  metricChecks,
  promtoolChecks,
  ruleChecks,
  serviceMonitorChecks,
} from '../../../day4-observability/verify/static-checks';
import {
  ALLOY_CONFIG,
  ALLOY_VALUES,
  DASHBOARDS_DIR,
  INSTALL_SCRIPT,
  README,
  RULES,
  RULE_TESTS,
  TASKBOARD_VALUES,
  fixturePaths,
} from '../../../day4-observability/verify/model';
import {
  exerciseRoutes,
  scrapeMetrics,
  startApiSession,
  type ApiSession,
} from '../../../day4-observability/verify/api-session';

const OVERVIEW_JSON = `${DASHBOARDS_DIR}/taskboard-api-overview.json`;
const SLO_JSON = `${DASHBOARDS_DIR}/taskboard-api-slo.json`;

function named(checks: Check[], title: RegExp): Check {
  const check = checks.find((c) => title.test(c.title));
  if (!check) throw new Error(`no check titled ${title}`);
  return check;
}

/** Runs `check` on a copy of the repository with one file broken; resolves with the failure message. */
async function failureOn(
  check: Check,
  file: string,
  edit: (s: string) => string,
  options: { baseline: boolean } = { baseline: true },
): Promise<string> {
  const root = copyToTemp(repoRoot, fixturePaths);
  try {
    // The unbroken copy passes, so the failure below is the mutation's doing.
    if (options.baseline) await assertCheck(check, root);
    mutateFile(root, file, edit);
    await assertCheck(check, root);
    throw new Error(`"${check.title}" passed on the broken ${file}`);
  } catch (error) {
    if ((error as Error).name !== 'CheckFailed') throw error;
    return (error as Error).message;
  } finally {
    removeTemp(root);
  }
}

describe('day 4 checks fail on broken files', () => {
  it('a typo in an alert expression: the PromQL parse check names the alert and the position', async () => {
    const message = await failureOn(named(ruleChecks, /expression parses as PromQL/), RULES, (s) =>
      replaceOrThrow(s, 'absent(up{job="taskboard-api"})', 'absent(up{job="taskboard-api"}'),
    );
    expect(message).toMatch(
      /where: {4}day4-observability\/rules\/taskboard\.rules\.yml \(alert TaskboardApiDown\)/,
    );
    expect(message).toMatch(/found: {4}syntax error at character \d+: .*⟨HERE⟩/);
  });

  it('a hand-edited dashboard JSON: the drift check names the file and the first differing line', async () => {
    const message = await failureOn(
      named(ruleChecks, /match the code that generates them/),
      OVERVIEW_JSON,
      (s) => replaceOrThrow(s, '"title": "Request rate by route"', '"title": "Requests (edited in Grafana)"'),
    );
    expect(message).toContain(`where:    ${OVERVIEW_JSON} (generated file)`);
    expect(message).toMatch(/found: {4}line \d+: .*Requests \(edited in Grafana\).*edited by hand/);
    expect(message).toMatch(/fix: {6}.*npm run generate -w @taskboard\/day4-observability/);
  });

  it('a LogQL syntax error: the dashboard parse check names the logs panel', async () => {
    const message = await failureOn(named(dashboardChecks, /parses as PromQL or LogQL/), OVERVIEW_JSON, (s) =>
      replaceOrThrow(s, '{app=\\"taskboard-api\\"} | route', '{app=\\"taskboard-api\\" | route'),
    );
    // Issue 19: the source the learner edits, not the generated JSON, is where the failure points.
    expect(message).toMatch(
      /where: {4}day4-observability\/dashboards\/src\/overview\.ts:\d+ \(panel "Slow \(> 250 ms\) and failed requests", generated into day4-observability\/generated\/dashboards\/taskboard-api-overview\.json\)/,
    );
    expect(message).toMatch(/expected: a valid LogQL query/);
  });

  it('an SLO panel dividing by another budget than the alerts: the check names both numbers', async () => {
    const message = await failureOn(
      named(dashboardChecks, /error budgets the burn-rate alerts use/),
      SLO_JSON,
      (s) =>
        replaceOrThrow(
          s,
          'job:slo_availability_error_ratio:rate3d{job=\\"taskboard-api\\"} / 0.005',
          'job:slo_availability_error_ratio:rate3d{job=\\"taskboard-api\\"} / 0.05',
        ),
    );
    expect(message).toMatch(/where: {4}day4-observability\/dashboards\/src\/slo\.ts:\d+ /);
    expect(message).toMatch(/expected: the availability error budget 0\.005/);
    expect(message).toMatch(/found: {4}divides by 0\.05/);
  });

  it('a README heading renamed: the check names the anchor failure messages link to', async () => {
    const message = await failureOn(named(pinChecks, /README section/), 'day4-observability/README.md', (s) =>
      replaceOrThrow(s, '## Break it, fix it', '## Drills'),
    );
    expect(message).toMatch(/\(section #break-it-fix-it\)/);
  });

  it('Alloy with runAsNonRoot but no runAsUser: the check says the kubelet refuses the root image', async () => {
    const message = await failureOn(named(logChecks, /Alloy runs as a non-root user/), ALLOY_VALUES, (s) =>
      replaceOrThrow(replaceOrThrow(s, /\n {4}runAsUser: 473/g, ''), /\n {4}runAsGroup: 473/g, ''),
    );
    expect(message).toMatch(/found: {4}runAsNonRoot: true with runAsUser: \(not set\).*kubelet refuses/);
    expect(message).toMatch(/fix: {6}set runAsUser: 473/);
  });

  it("Alloy's storage path without a volume on a read-only root: the check names the path", async () => {
    const message = await failureOn(
      named(logChecks, /storage path is on a mounted volume/),
      ALLOY_VALUES,
      (s) =>
        replaceOrThrow(
          replaceOrThrow(s, /\n {2}storagePath: .*/, ''),
          /\n {2}mounts:\n {4}extra:\n(?: {6}.*\n)+/,
          '\n',
        ),
    );
    expect(message).toMatch(/found: {4}storagePath \/tmp\/alloy is on the read-only root filesystem/);
  });

  it('Loki installed from grafana/loki: the check names the community repository', async () => {
    const message = await failureOn(
      named(pinChecks, /installs Loki from the grafana-community/),
      INSTALL_SCRIPT,
      (s) =>
        replaceOrThrow(
          s,
          'helm upgrade --install loki grafana-community/loki',
          'helm upgrade --install loki grafana/loki',
        ),
    );
    expect(message).toMatch(/found: {4}grafana\/loki, repository https:\/\/grafana\.github\.io\/helm-charts/);
  });

  it('a README helm list naming an unreleased chart version: the check shows the pinned one', async () => {
    const message = await failureOn(named(pinChecks, /helm list show the chart versions/), README, (s) =>
      replaceOrThrow(s, /kube-prometheus-stack-\d+\.\d+\.\d+ /, 'kube-prometheus-stack-81.4.5 '),
    );
    expect(message).toMatch(/found: {4}CHART kube-prometheus-stack-81\.4\.5/);
    expect(message).toMatch(/expected: CHART kube-prometheus-stack-\d+\.\d+\.\d+ \(install\.sh pins/);
  });

  it('a request id made a Loki stream label: the bounded-labels check names it and the fix', async () => {
    const message = await failureOn(named(logChecks, /only bounded stream labels/), ALLOY_CONFIG, (s) =>
      replaceOrThrow(
        s,
        '    stage.structured_metadata {',
        '    stage.labels {\n      values = {\n        request_id = "",\n      }\n    }\n\n    stage.structured_metadata {',
      ),
    );
    expect(message).toMatch(/found: {4}also request_id: every distinct value makes a new Loki stream/);
    expect(message).toMatch(/fix: {6}move request_id into stage\.structured_metadata/);
  });
});

localRuntimeTier('day 4 mutations needing promtool', ['promtool'], repoRoot, (tools) => {
  it('a wrong expectation in a rule test: promtool test rules fails and the message shows exp and got', async () => {
    const message = await failureOn(
      named(
        promtoolChecks(() => tools.promtool),
        /promtool test rules/,
      ),
      RULE_TESTS[0] as string,
      (s) =>
        replaceOrThrow(
          s,
          '- labels: \'route:http_requests:rate5m{job="taskboard-api", route="/readyz"}\'\n            value: 0.2',
          '- labels: \'route:http_requests:rate5m{job="taskboard-api", route="/readyz"}\'\n            value: 0.3',
        ),
      // The static tier already runs these tests on the unbroken files; one more run would only cost time.
      { baseline: false },
    );
    expect(message).toMatch(/route:http_requests:rate5m/);
    expect(message).toMatch(/exp:.*got:/s);
  });

  it('a typo in an alert expression: promtool check rules rejects the file', async () => {
    const message = await failureOn(
      named(
        promtoolChecks(() => tools.promtool),
        /promtool check rules/,
      ),
      RULES,
      (s) =>
        replaceOrThrow(
          s,
          'job:http_request_errors:ratio_rate5m > 0.05',
          'job:http_request_errors:ratio_rate5m >> 0.05',
        ),
    );
    expect(message).toMatch(/where: {4}day4-observability\/rules\/taskboard\.rules\.yml/);
    expect(message).toMatch(/found: {4}.*(parse error|unexpected)/);
  });
});

localRuntimeTier('day 4 mutations needing helm', ['helm'], repoRoot, (tools) => {
  it('the release label removed from the ServiceMonitor: the check names the label Prometheus selects on', async () => {
    const message = await failureOn(
      named(
        serviceMonitorChecks(() => tools.helm),
        /carries the release label/,
      ),
      'day3-helm/charts/taskboard/templates/servicemonitor.yaml',
      (s) =>
        replaceOrThrow(s, /\n\s*\{\{- with \.Values\.serviceMonitor\.labels \}\}[\s\S]*?\{\{- end \}\}/, ''),
    );
    expect(message).toMatch(
      /where: {4}day3-helm\/charts\/taskboard\/templates\/servicemonitor\.yaml \(ServiceMonitor taskboard-api/,
    );
    expect(message).toMatch(/found: {4}no release label: Prometheus ignores this ServiceMonitor/);
    expect(message).toMatch(
      /fix: {6}set serviceMonitor\.labels\.release: kube-prometheus-stack in day4-observability\/taskboard-values\.yaml/,
    );
  });

  it('the database NetworkPolicy on the wrong port: the check shows the port Prometheus needs', async () => {
    const message = await failureOn(
      named(
        serviceMonitorChecks(() => tools.helm),
        /NetworkPolicy lets Prometheus scrape/,
      ),
      'day4-observability/manifests/networkpolicy-prometheus-to-cnpg.yaml',
      (s) => replaceOrThrow(s, 'port: 9187', 'port: 5432'),
    );
    expect(message).toMatch(/expected: port: 9187/);
    expect(message).toMatch(/found: {4}port: 5432/);
  });

  it('a release label naming another Prometheus release: the check shows expected and found values', async () => {
    const message = await failureOn(
      named(
        serviceMonitorChecks(() => tools.helm),
        /carries the release label/,
      ),
      TASKBOARD_VALUES,
      (s) => replaceOrThrow(s, 'release: kube-prometheus-stack', 'release: prometheus'),
    );
    expect(message).toMatch(/expected: metadata\.labels\.release: kube-prometheus-stack/);
    expect(message).toMatch(/found: {4}release: prometheus/);
  });
});

// These compare with the API's real /metrics output, so the API runs on a real PostgreSQL here too.
localRuntimeTier('day 4 mutations needing the running API', ['postgres'], repoRoot, () => {
  let session: ApiSession | undefined;
  let scraped = '';
  beforeAll(async () => {
    session = await startApiSession(repoRoot);
    await exerciseRoutes(session.api.url);
    scraped = await scrapeMetrics(session.api.url);
  });
  afterAll(async () => {
    await session?.stop();
    await stopAll();
  });

  it('a dashboard metric the API does not export: the check names the panel and the metric', async () => {
    const message = await failureOn(
      named(
        metricChecks(() => scraped),
        /exists in the API \/metrics output/,
      ),
      OVERVIEW_JSON,
      (s) => replaceOrThrow(s, 'nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_p999_seconds'),
    );
    expect(message).toMatch(/where: {4}day4-observability\/dashboards\/src\/overview\.ts:\d+ /);
    expect(message).toContain(`(panel "Event-loop lag p99", generated into ${OVERVIEW_JSON})`);
    expect(message).toMatch(/found: {4}no such metric \(closest: nodejs_eventloop_lag_p99_seconds/);
  });

  it('a misspelled metric in an alert: the check names the alert', async () => {
    const message = await failureOn(
      named(
        metricChecks(() => scraped),
        /exists in the API \/metrics output/,
      ),
      RULES,
      (s) =>
        replaceOrThrow(
          s,
          'rate(http_request_duration_seconds_count{job="taskboard-api", route="/readyz"',
          'rate(http_request_duration_second_count{job="taskboard-api", route="/readyz"',
        ),
    );
    expect(message).toMatch(/\(alert TaskboardApiReadinessFailing\)/);
    expect(message).toMatch(/fix the typo in "http_request_duration_second_count"/);
  });

  it('a metric labelled with a task id: the cardinality check names the metric, the label and an id', async () => {
    const check = named(
      metricChecks(() => scraped),
      /no metric label with unbounded values/,
    );
    await assertCheck(check, repoRoot); // the real API passes
    const taskId = '2f1c6a9e-0b7d-4c55-9a61-3f0e8c2d4b17';
    const broken = `${scraped}tasks_viewed_total{task_id="${taskId}"} 1\n`;
    await expect(
      assertCheck(
        named(
          metricChecks(() => broken),
          /unbounded values/,
        ),
        repoRoot,
      ),
    ).rejects.toThrow(
      /where: {4}shared\/app\/api\/src\/metrics\.ts \(tasks_viewed_total\{task_id\}\)[\s\S]*values like 2f1c6a9e-/,
    );
  });

  it('a raw URL instead of the route template: the cardinality check flags the id in the route label', async () => {
    const broken = `${scraped}http_request_duration_seconds_count{method="GET",route="/api/tasks/2f1c6a9e-0b7d-4c55-9a61-3f0e8c2d4b17",status_code="200"} 1\n`;
    await expect(
      assertCheck(
        named(
          metricChecks(() => broken),
          /unbounded values/,
        ),
        repoRoot,
      ),
    ).rejects.toThrow(/\(http_request_duration_seconds_count\{route\}\)[\s\S]*one series per id/);
  });
});
