// Local runtime tier: the proof that telemetry arrives. A real Prometheus, loaded with the project's rules, scrapes
// the real API on a real PostgreSQL; traffic flows; then PostgreSQL is stopped (the API answers 503, a legitimate
// 5xx) and finally the API itself is stopped. Every assertion goes through Prometheus' HTTP API.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { assertCheck, defineCheck, repoRoot, type Violation } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { stopAll, waitFor } from '@taskboard/testkit';
import { launchChromium } from '@taskboard/testkit/src/chromium';
import { exerciseRoutes, startApiSession, type ApiSession } from './api-session';
import { publish, startPrometheus, type PrometheusSession } from './prometheus-session';
import { renderDay3 } from './static-checks';
import { DAY, JOB, docs } from './model';

const SCREENSHOT_ARTIFACT = 'artifacts/day4/prometheus-alerts.png';
const SCREENSHOT_DOC = 'docs/images/day4-prometheus-alerts.png';
// A verify run must not rewrite tracked files; refresh the README's copy on purpose with UPDATE_DOC_SCREENSHOTS=1.
const UPDATE_DOC_SCREENSHOT = process.env.UPDATE_DOC_SCREENSHOTS === '1';

const violation = (object: string, details: Pick<Violation, 'expected' | 'actual' | 'fix'>): Violation => ({
  file: `${DAY}/rules/taskboard.rules.yml`,
  object,
  ...details,
  docs: docs('verify'),
});

/** Polls until `probe` returns a value; on timeout returns undefined so the check can report what it last saw. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  try {
    let found: T | undefined;
    await waitFor('condition', async () => (found = await probe()) !== undefined, timeoutMs);
    return found;
  } catch {
    return undefined;
  }
}

/** Background traffic like users and the kubelet make: a request every 50 ms, without waiting for slow ones. */
function startTraffic(baseUrl: string) {
  const statuses = new Map<number, number>();
  let inFlight = 0;
  const paths = ['/api/tasks?limit=5', '/api/stats', '/readyz', '/api/tasks?status=todo'];
  let i = 0;
  const timer = setInterval(() => {
    if (inFlight > 20) return;
    inFlight += 1;
    fetch(`${baseUrl}${paths[i++ % paths.length]}`)
      .then(async (r) => {
        await r.arrayBuffer();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      })
      .catch(() => statuses.set(0, (statuses.get(0) ?? 0) + 1))
      .finally(() => (inFlight -= 1));
  }, 50);
  return { statuses, stop: () => clearInterval(timer) };
}

localRuntimeTier(
  'day 4 runtime: Prometheus scrapes the API and fires the alerts',
  ['prometheus', 'postgres', 'helm'],
  repoRoot,
  (tools) => {
    let session: ApiSession | undefined;
    let prometheus: PrometheusSession | undefined;
    let traffic: ReturnType<typeof startTraffic> | undefined;

    beforeAll(async () => {
      // A short statement timeout turns the database outage into fast 503s instead of requests hanging for seconds.
      session = await startApiSession(repoRoot, { DB_TIMEOUT_MS: '500' });
      // Scrape exactly what the ServiceMonitor scrapes: the Service's name is the job, its endpoint path the path.
      const rendered = await renderDay3(tools.helm, repoRoot);
      if (!rendered.ok) throw new Error(`helm template of the day 3 chart failed:\n${rendered.output}`);
      const sm = parseAllDocuments(rendered.output)
        .map((d) => d.toJS() as { kind?: string; spec?: { endpoints?: Array<{ path?: string }> } } | null)
        .find((o) => o?.kind === 'ServiceMonitor');
      prometheus = await startPrometheus(tools.prometheus, repoRoot, {
        job: JOB,
        address: `127.0.0.1:${session.api.port}`,
        metricsPath: sm?.spec?.endpoints?.[0]?.path ?? '/metrics',
      });
      await exerciseRoutes(session.api.url);
      traffic = startTraffic(session.api.url);
    });

    afterAll(async () => {
      traffic?.stop();
      await prometheus?.stop();
      await session?.stop();
      await stopAll();
    });

    it('Prometheus scrapes the API: up{job="taskboard-api"} == 1', () =>
      assertCheck(
        defineCheck('up == 1', async () => {
          const p = prometheus as PrometheusSession;
          const up = await eventually(async () => {
            const result = await p.query(`up{job="${JOB}"} == 1`);
            return result.length > 0 ? result : undefined;
          }, 15_000);
          if (up) return [];
          const targets = await p.targets();
          return [
            violation(`scrape job ${JOB}`, {
              expected: 'the API target up (up == 1) within 15 s',
              actual:
                targets.map((t) => `${t.labels.instance}: ${t.health} ${t.lastError}`).join('; ') ||
                'no targets',
              fix: 'check the ServiceMonitor path and port (static tier) and that /metrics answers 200',
            }),
          ];
        }),
        repoRoot,
      ));

    it('every recording rule group produces series from the live API', () =>
      assertCheck(
        defineCheck('recording rules produce series', async () => {
          const p = prometheus as PrometheusSession;
          const records = [
            'route:http_requests:rate5m',
            'route:http_request_errors:ratio_rate5m',
            'route:http_request_duration_seconds:histogram_quantile',
            'job:http_request_errors:ratio_rate5m',
            'job:slo_availability_error_ratio:rate5m',
            'job:slo_latency_error_ratio:rate5m',
          ];
          const missing: string[] = [];
          for (const record of records) {
            const got = await eventually(async () => {
              const r = await p.query(record);
              return r.length > 0 ? r : undefined;
            }, 15_000);
            if (!got) missing.push(record);
          }
          return missing.map((record) =>
            violation(`record ${record}`, {
              expected: `${record} to have series after traffic reached the API`,
              actual: 'no series after 15 s',
              fix: `query the rule's expression in Prometheus (${p.url}/graph) and check its metric and label names`,
            }),
          );
        }),
        repoRoot,
      ));

    it('with PostgreSQL stopped the API answers 503 and TaskboardApiHigh5xxRatio goes pending, then firing', () =>
      assertCheck(
        defineCheck('high 5xx alert', async () => {
          const p = prometheus as PrometheusSession;
          await (session as ApiSession).db.stop();
          const states: string[] = [];
          const firing = await eventually(async () => {
            const alert = (await p.alerts()).find((a) => a.labels.alertname === 'TaskboardApiHigh5xxRatio');
            if (alert && states.at(-1) !== alert.state) states.push(alert.state);
            return alert?.state === 'firing' ? alert : undefined;
          }, 30_000);
          const answered503 = traffic?.statuses.get(503) ?? 0;
          if (firing && states[0] === 'pending' && answered503 > 0) return [];
          return [
            violation('alert TaskboardApiHigh5xxRatio', {
              expected:
                'the API to answer 503 while PostgreSQL is down, and the alert to be pending, then firing',
              actual: `API statuses ${JSON.stringify(Object.fromEntries(traffic?.statuses ?? []))}; alert states seen: ${states.join(' -> ') || 'none'}`,
              fix: 'check the alert expression against job:http_request_errors:ratio_rate5m and its threshold',
            }),
          ];
        }),
        repoRoot,
      ));

    it('with the API stopped TaskboardApiDown fires', () =>
      assertCheck(
        defineCheck('API down alert', async () => {
          const p = prometheus as PrometheusSession;
          await (session as ApiSession).api.process.stop();
          const firing = await eventually(async () => {
            const alert = (await p.alerts()).find((a) => a.labels.alertname === 'TaskboardApiDown');
            return alert?.state === 'firing' ? alert : undefined;
          }, 20_000);
          if (firing) return [];
          return [
            violation('alert TaskboardApiDown', {
              expected: 'TaskboardApiDown firing within 20 s of stopping the API',
              actual: `alerts: ${JSON.stringify((await p.alerts()).map((a) => `${a.labels.alertname}=${a.state}`))}`,
              fix: `the expression must be true when up{job="${JOB}"} is 0 or absent`,
            }),
          ];
        }),
        repoRoot,
      ));

    it(`Chromium screenshots Prometheus' alerts page (${SCREENSHOT_ARTIFACT})`, async () => {
      const p = prometheus as PrometheusSession;
      const browser = await launchChromium({ width: 1280, height: 900 });
      try {
        const page = await browser.context.newPage();
        // Upstream builds serve the React UI at /alerts; Debian's package ships only the classic UI (/classic/alerts).
        const modern = await fetch(`${p.url}/alerts`);
        await page.goto(modern.ok ? `${p.url}/alerts` : `${p.url}/classic/alerts`);
        await page.getByText('TaskboardApiDown').first().waitFor({ timeout: 15_000 });
        // Open the two alerts this run fired, so their expression, labels and state are in the picture.
        for (const name of ['TaskboardApiDown', 'TaskboardApiHigh5xxRatio'])
          await page.getByText(name).first().click();
        const file = path.join(repoRoot, SCREENSHOT_ARTIFACT);
        mkdirSync(path.dirname(file), { recursive: true });
        await page.screenshot({ path: file, fullPage: true });
        if (UPDATE_DOC_SCREENSHOT) publish(file, repoRoot, SCREENSHOT_DOC);
      } finally {
        await browser.close();
      }
    });
  },
);
