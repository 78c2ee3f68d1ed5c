// A throwaway Prometheus for the runtime tier: the project's rules (with only their `for:` durations and group
// intervals shortened, never their expressions), scraping the local API the way the ServiceMonitor scrapes it.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort, startProcess, waitFor, type RunningProcess } from '@taskboard/testkit';
import { RULES } from './model';

/** Test-only timing: seconds instead of minutes, so pending -> firing happens within the run. */
export const TEST_INTERVAL = '1s';
export const TEST_FOR = '4s';

export interface ScrapeTarget {
  /** The job label: the ServiceMonitor's Service name. */
  job: string;
  /** `host:port` of the API. */
  address: string;
  metricsPath: string;
}

/** The rule file with every group evaluated each second and every alert's `for:` cut to TEST_FOR. */
export function testRules(root: string): string {
  const doc = parse(readFileSync(path.join(root, RULES), 'utf8')) as {
    groups: Array<{ interval?: string; rules: Array<{ alert?: string; for?: string }> }>;
  };
  for (const group of doc.groups) {
    group.interval = TEST_INTERVAL;
    for (const rule of group.rules) if (rule.alert && rule.for) rule.for = TEST_FOR;
  }
  return stringify(doc, { lineWidth: 0 });
}

export interface PrometheusSession {
  url: string;
  process: RunningProcess;
  dir: string;
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  alerts(): Promise<Array<{ labels: Record<string, string>; state: string }>>;
  targets(): Promise<Array<{ labels: Record<string, string>; health: string; lastError: string }>>;
  stop(): Promise<void>;
}

async function apiGet<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? response.status}`);
  return body.data;
}

export async function startPrometheus(
  prometheus: string,
  root: string,
  target: ScrapeTarget,
): Promise<PrometheusSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-prometheus-'));
  mkdirSync(path.join(dir, 'data'));
  writeFileSync(path.join(dir, 'taskboard.rules.yml'), testRules(root));
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: TEST_INTERVAL, evaluation_interval: TEST_INTERVAL },
      rule_files: ['taskboard.rules.yml'],
      scrape_configs: [
        {
          job_name: target.job,
          metrics_path: target.metricsPath,
          scrape_timeout: TEST_INTERVAL,
          // The labels the operator adds from the Kubernetes Service and pod, so label-based queries work here too.
          static_configs: [
            {
              targets: [target.address],
              labels: { namespace: 'taskboard', pod: 'local', service: target.job },
            },
          ],
        },
      ],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startProcess(
    prometheus,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.console.templates=${path.join(dir, 'consoles')}`,
      `--web.console.libraries=${path.join(dir, 'console_libraries')}`,
    ],
    { cwd: dir },
  );
  await waitFor(
    `Prometheus ready on ${url}`,
    async () => {
      if (server.child.exitCode !== null)
        throw new Error(`prometheus exited with ${server.child.exitCode}:\n${server.output()}`);
      return (await fetch(`${url}/-/ready`)).ok;
    },
    30_000,
  );
  return {
    url,
    process: server,
    dir,
    query: (expr) =>
      apiGet(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`).then(
        (d) => (d as { result: [] }).result,
      ),
    alerts: () => apiGet<{ alerts: [] }>(`${url}/api/v1/alerts`).then((d) => d.alerts),
    targets: () => apiGet<{ activeTargets: [] }>(`${url}/api/v1/targets`).then((d) => d.activeTargets),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Copies an artifact to a committed path (the README shows the screenshot the last run produced). */
export function publish(from: string, root: string, to: string): void {
  mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
  copyFileSync(from, path.join(root, to));
}
