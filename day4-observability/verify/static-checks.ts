// Day 4's static checks, each a function of the repository root so the fixture tests can run them on a broken copy.
// Tools (promtool, helm) and the API's real /metrics output are passed in as getters: the tiers provide them.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { defineCheck, type Check, type Violation } from '@taskboard/verify/src/check';
import { DASHBOARDS_CONFIGMAP, PROMETHEUS_RULE, generatedFiles } from '../lib/generated.ts';
import {
  ALLOY_CONFIG,
  ALLOY_VALUES,
  DAY,
  README,
  DAY3_CHART,
  DAY3_DEV_VALUES,
  INSTALL_SCRIPT,
  JOB,
  KPS_VALUES,
  RULES,
  RULE_TESTS,
  TASKBOARD_VALUES,
  alloyStreamLabels,
  dashboardFiles,
  dashboardQueries,
  dashboardSource,
  docs,
  loadRules,
  parseExposition,
  ruleName,
  type Exposition,
  type Rule,
} from './model.ts';
import {
  logqlSyntaxError,
  logqlUses,
  promqlSyntaxError,
  promqlUses,
  substituteVariables,
  type LabelUse,
} from './queries.ts';

const run = promisify(execFile);

/** Runs a tool; resolves with its combined output and whether it exited 0 (a failing tool is a finding, not a crash). */
async function tool(command: string, args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      maxBuffer: 32 * 1024 * 1024,
      timeout: 120_000,
    });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message };
  }
}

const v = (
  file: string,
  object: string,
  section: string,
  details: Pick<Violation, 'expected' | 'actual' | 'fix'>,
) => ({
  file,
  object,
  ...details,
  docs: docs(section),
});

/** Labels Prometheus itself attaches to every scraped series (the ServiceMonitor's target labels). */
export const TARGET_LABELS = ['job', 'instance', 'namespace', 'pod', 'service', 'container', 'endpoint'];

/**
 * Metrics that do not come from the API: each names the exporter that produces it in the cluster and the labels
 * the rules rely on. Only these may appear besides the API's own series and the recording rules.
 */
export const EXTERNAL_METRICS: Record<string, { source: string; labels: string[] }> = {
  up: { source: 'Prometheus (one per scraped target)', labels: [] },
  kube_pod_container_status_waiting_reason: {
    source: 'kube-state-metrics (kube-prometheus-stack)',
    labels: ['namespace', 'pod', 'container', 'reason', 'uid'],
  },
  cnpg_collector_up: {
    source: 'CloudNativePG instance exporter (PodMonitor)',
    labels: ['cluster', 'namespace', 'pod'],
  },
  // A label-less gauge in CloudNativePG 1.30 (metricserver/pg_collector.go); namespace and pod are target labels.
  cnpg_collector_fencing_on: {
    source: 'CloudNativePG instance exporter (PodMonitor)',
    labels: ['namespace', 'pod'],
  },
};

/** Labels that are fine by construction: small closed sets. Anything else on an API series needs a reason. */
const BOUNDED_API_LABELS = new Set([
  'method',
  'route',
  'status_code',
  'operation',
  'state',
  'le',
  'version',
  'commit',
  'space',
  'type',
  'major',
  'minor',
  'patch',
  'kind',
]);

/** A value that identifies one thing (a UUID, a long hex or decimal id) makes one series per thing. */
const ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{16,}$|^\d{6,}$/i;

/** Output labels of a recording rule: what its aggregations keep plus the labels it sets. */
function recordedLabels(rule: Rule): string[] {
  return [...new Set([...promqlUses(rule.expr).groupingLabels, ...Object.keys(rule.labels ?? {})])];
}

interface QuerySite {
  file: string;
  object: string;
  expr: string;
}

function ruleSites(root: string): QuerySite[] {
  return loadRules(root).map((r) => ({
    file: RULES,
    object: `${r.alert ? 'alert' : 'record'} ${ruleName(r)}`,
    expr: r.expr,
  }));
}

function promqlSites(root: string): QuerySite[] {
  const panels = dashboardQueries(root)
    .filter((q) => q.language === 'promql')
    .map((q) => ({ file: q.file, object: q.panel, expr: substituteVariables(q.expr).text }));
  return [...ruleSites(root), ...panels];
}

// ---------------------------------------------------------------------------------------------------------------
// Rules: promtool
// ---------------------------------------------------------------------------------------------------------------

export function promtoolChecks(promtool: () => string): Check[] {
  return [
    defineCheck('promtool check rules accepts the rule file', async (root) => {
      const { ok, output } = await tool(promtool(), ['check', 'rules', RULES], root);
      return ok
        ? []
        : [
            v(RULES, 'rule groups', 'prometheusrule-slos-and-alerts', {
              expected: '`promtool check rules` to report SUCCESS',
              actual: output.split('\n').slice(0, 8).join(' | '),
              fix: `fix the expression promtool names, then run: promtool check rules ${RULES}`,
            }),
          ];
    }),
    defineCheck('promtool test rules passes every rule unit test', async (root) => {
      const { ok, output } = await tool(promtool(), ['test', 'rules', ...RULE_TESTS], root);
      if (ok) return [];
      const failing = [...output.matchAll(/FAILED:\s*\n([\s\S]*?)(?=\n\S|\n*$)/g)].map((m) =>
        (m[1] as string).trim(),
      );
      return [
        v(RULE_TESTS.join(', '), 'promtool unit tests', 'rule-unit-tests', {
          expected: 'every test in the rule test files to pass',
          actual: (failing.join(' | ') || output).replace(/\s+/g, ' ').slice(0, 1500),
          fix: `either the rule or the test expectation is wrong: run promtool test rules ${RULE_TESTS.join(' ')} and compare "exp" with "got"`,
        }),
      ];
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Rules: structure, coverage, runbooks
// ---------------------------------------------------------------------------------------------------------------

interface RuleTestFile {
  tests?: Array<{
    name?: string;
    promql_expr_test?: Array<{ expr: string; exp_samples?: unknown[] }>;
    alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }>;
  }>;
}

export const ruleChecks: Check[] = [
  defineCheck('every alert and recording rule expression parses as PromQL', (root) =>
    ruleSites(root).flatMap((site) => {
      const problem = promqlSyntaxError(site.expr);
      return problem
        ? [
            v(site.file, site.object, 'prometheusrule-slos-and-alerts', {
              expected: 'a valid PromQL expression',
              actual: `syntax error at character ${problem.at}: ${problem.excerpt}`,
              fix: 'fix the expression at the marked position (a typo, an unclosed bracket or quote)',
            }),
          ]
        : [];
    }),
  ),
  defineCheck(
    'every alert has a summary, a description and a runbook_url to a runbook in docs/runbooks/',
    (root) =>
      loadRules(root)
        .filter((r) => r.alert)
        .flatMap((rule) => {
          const a = rule.annotations ?? {};
          const missing = ['summary', 'description', 'runbook_url'].filter((k) => !a[k]?.trim());
          const out: Violation[] = [];
          if (missing.length > 0)
            out.push(
              v(RULES, `alert ${rule.alert}`, 'step-6-read-the-runbook', {
                expected: 'annotations summary, description and runbook_url',
                actual: `missing: ${missing.join(', ')}`,
                fix: `add ${missing.join(', ')} under annotations of ${rule.alert}`,
              }),
            );
          const url = a.runbook_url;
          if (url && (!/^docs\/runbooks\/[\w.-]+\.md$/.test(url) || !existsSync(path.join(root, url))))
            out.push(
              v(RULES, `alert ${rule.alert}`, 'step-6-read-the-runbook', {
                expected: 'runbook_url naming an existing docs/runbooks/<name>.md',
                actual: `runbook_url: ${url}${existsSync(path.join(root, url)) ? '' : ' (no such file)'}`,
                fix: `write ${url} or point runbook_url at an existing runbook`,
              }),
            );
          return out;
        }),
  ),
  defineCheck('every recording rule and alert has promtool tests, firing and not firing', (root) => {
    const tests = RULE_TESTS.flatMap(
      (file) => (parse(readFileSync(path.join(root, file), 'utf8')) as RuleTestFile).tests ?? [],
    );
    const recordCases = new Map<string, number>();
    const alertCases = new Map<string, { firing: number; silent: number }>();
    for (const test of tests) {
      const recordsHere = new Set<string>();
      for (const t of test.promql_expr_test ?? [])
        for (const m of t.expr.matchAll(/[a-z_]+:[a-z0-9_]+:[a-z0-9_]+/g)) recordsHere.add(m[0]);
      for (const r of recordsHere) recordCases.set(r, (recordCases.get(r) ?? 0) + 1);
      for (const t of test.alert_rule_test ?? []) {
        const c = alertCases.get(t.alertname) ?? { firing: 0, silent: 0 };
        if ((t.exp_alerts ?? []).length > 0) c.firing += 1;
        else c.silent += 1;
        alertCases.set(t.alertname, c);
      }
    }
    const out: Violation[] = [];
    for (const rule of loadRules(root)) {
      if (rule.record && (recordCases.get(rule.record) ?? 0) < 2)
        out.push(
          v(RULE_TESTS[0] as string, `record ${rule.record}`, 'rule-unit-tests', {
            expected:
              'a promql_expr_test in two test cases: one with traffic that produces it, one that must not',
            actual: `${recordCases.get(rule.record) ?? 0} test case(s) evaluate it`,
            fix: `add promql_expr_test entries for ${rule.record} with and without the traffic it records`,
          }),
        );
      if (rule.alert) {
        const c = alertCases.get(rule.alert) ?? { firing: 0, silent: 0 };
        if (c.firing === 0 || c.silent === 0)
          out.push(
            v(RULE_TESTS[0] as string, `alert ${rule.alert}`, 'rule-unit-tests', {
              expected: 'an alert_rule_test where it fires and one where it must not',
              actual: `${c.firing} firing and ${c.silent} not-firing case(s)`,
              fix: `add ${c.firing === 0 ? 'a firing' : 'a not-firing'} alert_rule_test for ${rule.alert}`,
            }),
          );
      }
    }
    return out;
  }),
  defineCheck('the PrometheusRule and dashboards match the code that generates them', (root) => {
    const out: Violation[] = [];
    for (const [file, expected] of Object.entries(generatedFiles(root))) {
      const full = path.join(root, file);
      const actual = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
      if (actual === expected) continue;
      const lines = (actual ?? '').split('\n');
      const wanted = expected.split('\n');
      const at = wanted.findIndex((line, i) => line !== lines[i]);
      out.push(
        v(file, 'generated file', 'dashboards-as-code', {
          expected: `the output of the generator (line ${at + 1}: ${JSON.stringify((wanted[at] ?? '').trim()).slice(0, 140)})`,
          actual:
            actual === undefined
              ? 'the file is missing'
              : `line ${at + 1}: ${JSON.stringify((lines[at] ?? '<end of file>').trim()).slice(0, 140)} (edited by hand, or the code changed without regenerating)`,
          fix: 'edit day4-observability/dashboards/src or the rule file, then run `npm run generate -w @taskboard/day4-observability` and commit the result',
        }),
      );
    }
    return out;
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// Dashboards and logs
// ---------------------------------------------------------------------------------------------------------------

export const dashboardChecks: Check[] = [
  defineCheck('every dashboard query parses as PromQL or LogQL', (root) =>
    dashboardQueries(root).flatMap((q) => {
      const { text, unknown } = substituteVariables(q.expr);
      if (unknown.length > 0)
        return [
          v(q.file, q.panel, 'dashboards-as-code', {
            expected: 'only the dashboard variables $route, $__rate_interval, $__interval and $__range',
            actual: `unknown variable(s): ${unknown.map((u) => `$${u}`).join(', ')}`,
            fix: 'declare the variable in dashboards/src/common.ts and in queries.ts, or remove it from the query',
          }),
        ];
      const problem = q.language === 'logql' ? logqlSyntaxError(text) : promqlSyntaxError(text);
      return problem
        ? [
            v(q.file, q.panel, 'dashboards-as-code', {
              expected: `a valid ${q.language === 'logql' ? 'LogQL' : 'PromQL'} query`,
              actual: `syntax error at character ${problem.at}: ${problem.excerpt}`,
              fix: 'fix the query in day4-observability/dashboards/src and regenerate',
            }),
          ]
        : [];
    }),
  ),
  defineCheck('the latency panels link to the logs panel', (root) => {
    const out: Violation[] = [];
    for (const file of dashboardFiles(root)) {
      const d = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
        uid: string;
        panels?: Array<{
          id?: number;
          type?: string;
          title?: string;
          fieldConfig?: { defaults?: { links?: Array<{ url?: string }> } };
        }>;
      };
      const panels = d.panels ?? [];
      const logsIds = new Set(panels.filter((p) => p.type === 'logs').map((p) => p.id));
      for (const p of panels.filter((x) => x.type === 'timeseries' && /latency/i.test(x.title ?? ''))) {
        const links = p.fieldConfig?.defaults?.links ?? [];
        const linked = links.some((l) => {
          const id = /viewPanel=(\d+)/.exec(l.url ?? '')?.[1];
          return id !== undefined && logsIds.has(Number(id)) && (l.url ?? '').includes(`/d/${d.uid}`);
        });
        const at = dashboardSource(root, file, `panel "${p.title}"`);
        if (!linked)
          out.push(
            v(at.file, at.object, 'step-5-follow-a-slow-request-from-metric-to-logs', {
              expected: `a data link to /d/${d.uid}?…&viewPanel=<id of a logs panel>`,
              actual: links.length ? `links: ${links.map((l) => l.url).join(', ')}` : 'no data link',
              fix: 'add .dataLinks([logsForRouteLink()]) to the panel in dashboards/src and regenerate',
            }),
          );
      }
    }
    return out;
  }),
  defineCheck('the dashboards ConfigMap carries the label the Grafana sidecar watches', (root) => {
    const values = parse(readFileSync(path.join(root, KPS_VALUES), 'utf8')) as {
      grafana?: { sidecar?: { dashboards?: { label?: string; labelValue?: string } } };
    };
    const sidecar = values.grafana?.sidecar?.dashboards ?? {};
    const cmFile = DASHBOARDS_CONFIGMAP;
    const cm = parse(readFileSync(path.join(root, cmFile), 'utf8')) as {
      metadata?: { labels?: Record<string, string> };
    };
    const actual = cm.metadata?.labels?.[sidecar.label ?? ''];
    return sidecar.label && actual === sidecar.labelValue
      ? []
      : [
          v(cmFile, 'ConfigMap taskboard-dashboards', 'step-2-open-grafana', {
            expected: `label ${sidecar.label}: "${sidecar.labelValue}" (grafana.sidecar.dashboards in ${KPS_VALUES})`,
            actual: `labels: ${JSON.stringify(cm.metadata?.labels ?? {})}`,
            fix: 'keep the generator label (lib/generated.ts) and the sidecar label in the values file the same',
          }),
        ];
  }),
  defineCheck('the SLO dashboard uses the error budgets the burn-rate alerts use', (root) => {
    // Budgets in the rules: the B of `> (14.4 * B)` in each SLO's fast-burn alert.
    const budgets = new Map<string, string>();
    for (const rule of loadRules(root))
      if (rule.alert && rule.labels?.slo) {
        const b = /\(14\.4 \* ([\d.]+)\)/.exec(rule.expr)?.[1];
        if (b) budgets.set(rule.labels.slo, b);
      }
    const out: Violation[] = [];
    for (const q of dashboardQueries(root)) {
      for (const m of q.expr.matchAll(/job:slo_(\w+?)_error_ratio:rate\w+\{[^}]*\}\s*\/\s*([\d.]+)/g)) {
        const [, slo, used] = m as unknown as [string, string, string];
        const budget = budgets.get(slo);
        if (budget !== undefined && Number(used) !== Number(budget))
          out.push(
            v(q.file, q.panel, 'prometheusrule-slos-and-alerts', {
              expected: `the ${slo} error budget ${budget} (from the burn-rate alerts in ${RULES})`,
              actual: `divides by ${used}`,
              fix: 'keep the objective in dashboards/src/slo.ts and the thresholds in the rule file the same, then regenerate',
            }),
          );
      }
    }
    if (budgets.size < 2)
      out.push(
        v(RULES, 'SLO burn-rate alerts', 'prometheusrule-slos-and-alerts', {
          expected:
            'fast-burn alerts labelled slo: availability and slo: latency, with a `> (14.4 * <budget>)` window',
          actual: `found budgets for: ${[...budgets.keys()].join(', ') || 'none'}`,
          fix: 'restore the SLO alerts in the rule file',
        }),
      );
    return out;
  }),
];

const ALLOWED_STREAM_LABELS = ['app', 'namespace', 'pod'];

/** The keys of the Alloy chart these checks read (grafana/alloy, helm-chart/1.11.1, operations/helm/charts/alloy). */
interface AlloyValues {
  global?: { podSecurityContext?: SecurityContext };
  alloy?: {
    storagePath?: string;
    securityContext?: SecurityContext;
    mounts?: { extra?: Array<{ name?: string; mountPath?: string; readOnly?: boolean }> };
  };
  controller?: { volumes?: { extra?: Array<{ name?: string }> } };
}

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  readOnlyRootFilesystem?: boolean;
}

/** The chart's default `alloy.storagePath` at helm-chart/1.11.1 (values.yaml), used when the values leave it out. */
const ALLOY_CHART_STORAGE_PATH = '/tmp/alloy';
/** The non-root user the Alloy image defines (Alloy docs, docs/sources/access_permissions/kubernetes.md). */
const ALLOY_UID = 473;

const alloyValues = (root: string) =>
  (parse(readFileSync(path.join(root, ALLOY_VALUES), 'utf8')) ?? {}) as AlloyValues;

const alloyChecks: Check[] = [
  defineCheck('Alloy runs as a non-root user the kubelet can verify: runAsNonRoot with runAsUser', (root) => {
    const values = alloyValues(root);
    const pod = values.global?.podSecurityContext ?? {};
    const container = values.alloy?.securityContext ?? {};
    const nonRoot = container.runAsNonRoot ?? pod.runAsNonRoot;
    const uid = container.runAsUser ?? pod.runAsUser;
    if (nonRoot === true && typeof uid === 'number' && uid > 0) return [];
    return [
      v(ALLOY_VALUES, 'alloy.securityContext / global.podSecurityContext', 'logs-with-loki-and-alloy', {
        expected: `runAsNonRoot: true and runAsUser: ${ALLOY_UID}, the alloy user of the image`,
        actual:
          nonRoot !== true
            ? `runAsNonRoot: ${nonRoot ?? '(not set)'}: the container may run as root`
            : `runAsNonRoot: true with runAsUser: ${uid ?? '(not set)'}: the image's default user is root, so the kubelet refuses to start the container (CreateContainerConfigError)`,
        fix: `set runAsUser: ${ALLOY_UID}, runAsGroup: ${ALLOY_UID} under alloy.securityContext and fsGroup: ${ALLOY_UID} under global.podSecurityContext`,
      }),
    ];
  }),
  defineCheck("Alloy's storage path is on a mounted volume when its root filesystem is read-only", (root) => {
    const values = alloyValues(root);
    if (values.alloy?.securityContext?.readOnlyRootFilesystem !== true) return [];
    const storagePath = values.alloy?.storagePath ?? ALLOY_CHART_STORAGE_PATH;
    const mounts = values.alloy?.mounts?.extra ?? [];
    const volumes = (values.controller?.volumes?.extra ?? []).map((x) => x.name);
    const mount = mounts.find(
      (m) =>
        m.mountPath &&
        (storagePath === m.mountPath || storagePath.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)),
    );
    const problem = !mount
      ? `storagePath ${storagePath} is on the read-only root filesystem (mounts: ${mounts.map((m) => m.mountPath).join(', ') || 'none'}): loki.source.kubernetes cannot create its data directory and Alloy exits`
      : mount.readOnly
        ? `the volume mounted at ${mount.mountPath} is readOnly`
        : !volumes.includes(mount.name)
          ? `alloy.mounts.extra names volume "${mount.name}", which controller.volumes.extra does not define`
          : undefined;
    return problem
      ? [
          v(ALLOY_VALUES, 'alloy.storagePath', 'logs-with-loki-and-alloy', {
            expected:
              'alloy.storagePath inside a writable volume: alloy.mounts.extra[].mountPath backed by controller.volumes.extra',
            actual: problem,
            fix: 'add an emptyDir to controller.volumes.extra and mount it at alloy.storagePath through alloy.mounts.extra',
          }),
        ]
      : [];
  }),
];

export const logChecks: Check[] = [
  ...alloyChecks,
  defineCheck('Alloy sets only bounded stream labels: namespace, app and pod', (root) => {
    const labels = alloyStreamLabels(readFileSync(path.join(root, ALLOY_CONFIG), 'utf8'));
    const extra = labels.filter((l) => !ALLOWED_STREAM_LABELS.includes(l));
    return extra.length === 0
      ? []
      : [
          v(ALLOY_CONFIG, 'discovery.relabel "pods" / loki.process "pino"', 'logs-with-loki-and-alloy', {
            expected: `stream labels ${ALLOWED_STREAM_LABELS.join(', ')} only`,
            actual: `also ${extra.join(', ')}: every distinct value makes a new Loki stream (ids make millions)`,
            fix: `move ${extra.join(', ')} into stage.structured_metadata, which Loki stores per line without indexing`,
          }),
        ];
  }),
  defineCheck('Alloy parses the pino fields level, reqId and the route from each API line', (root) => {
    const text = readFileSync(path.join(root, ALLOY_CONFIG), 'utf8');
    const wanted: Array<[string, RegExp]> = [
      ['stage.json reading "level"', /stage\.json[\s\S]*?=\s*"level"/],
      ['stage.json reading "reqId"', /stage\.json[\s\S]*?=\s*"reqId"/],
      ['stage.json reading "req.url"', /stage\.json[\s\S]*?=\s*"req\.url"/],
      [
        'stage.structured_metadata with level, request_id and route',
        /stage\.structured_metadata\s*\{[\s\S]*?level[\s\S]*?request_id[\s\S]*?route/,
      ],
    ];
    const missing = wanted.filter(([, re]) => !re.test(text)).map(([what]) => what);
    return missing.length === 0
      ? []
      : [
          v(ALLOY_CONFIG, 'loki.process "pino"', 'logs-with-loki-and-alloy', {
            expected: wanted.map(([what]) => what).join('; '),
            actual: `missing: ${missing.join('; ')}`,
            fix: 'restore the stage.json and stage.structured_metadata blocks of the pino pipeline',
          }),
        ];
  }),
  defineCheck('LogQL stream selectors use only the labels Alloy sets', (root) => {
    const labels = alloyStreamLabels(readFileSync(path.join(root, ALLOY_CONFIG), 'utf8'));
    return dashboardQueries(root)
      .filter((q) => q.language === 'logql')
      .flatMap((q) => {
        const text = substituteVariables(q.expr).text;
        if (logqlSyntaxError(text)) return [];
        const unknown = logqlUses(text).streamLabels.filter((l) => !labels.includes(l.name));
        return unknown.length === 0
          ? []
          : [
              v(q.file, q.panel, 'logs-with-loki-and-alloy', {
                expected: `stream selector labels among ${labels.join(', ')} (set in ${ALLOY_CONFIG})`,
                actual: `selects on ${unknown.map((l) => l.name).join(', ')}, which no stream has`,
                fix: 'select streams by namespace/app/pod, then filter per line (| json | field="...")',
              }),
            ];
      });
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// Metrics used versus metrics the API really exports
// ---------------------------------------------------------------------------------------------------------------

/** Edit distance, to suggest the metric a typo meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function closest(name: string, candidates: string[]): string[] {
  return [...new Set(candidates)]
    .map((c) => ({ c, d: distance(name, c) }))
    .filter(({ d }) => d <= Math.max(3, name.length / 4))
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map(({ c }) => c);
}

function describeMissingLabel(metric: string, label: LabelUse, known: string[]): string {
  return `label "${label.name}" on ${metric}; its labels are: ${known.join(', ') || '(none)'}`;
}

export function metricChecks(scrape: () => string): Check[] {
  return [
    defineCheck(
      'every metric and label the rules and dashboards use exists in the API /metrics output',
      (root) => {
        const exposition: Exposition = parseExposition(scrape());
        const records = new Map<string, string[]>();
        for (const r of loadRules(root))
          if (r.record)
            records.set(r.record, [...new Set([...(records.get(r.record) ?? []), ...recordedLabels(r)])]);
        const out: Violation[] = [];
        for (const site of promqlSites(root)) {
          if (promqlSyntaxError(site.expr)) continue; // reported by the syntax checks
          for (const sel of promqlUses(site.expr).selectors) {
            const metric = sel.metric;
            if (!metric) continue;
            const api = exposition.get(metric);
            let known: string[];
            if (api) known = [...api.keys(), ...TARGET_LABELS];
            else if (records.has(metric)) known = records.get(metric) as string[];
            else if (EXTERNAL_METRICS[metric])
              known = [...(EXTERNAL_METRICS[metric]?.labels ?? []), ...TARGET_LABELS];
            else {
              const near = closest(metric, [...exposition.keys(), ...records.keys()]);
              out.push(
                v(site.file, site.object, 'verify', {
                  expected: `${metric} in the API's /metrics output, a recording rule of ${RULES}, or a known exporter metric`,
                  actual: `no such metric${near.length ? ` (closest: ${near.join(', ')})` : ''}`,
                  fix: `use a metric the API exports (curl <api>/metrics) or fix the typo in "${metric}"`,
                }),
              );
              continue;
            }
            for (const label of sel.labels) {
              if (label.name === '__name__') continue;
              if (!known.includes(label.name)) {
                out.push(
                  v(site.file, site.object, 'verify', {
                    expected: `labels that ${metric} has`,
                    actual: describeMissingLabel(metric, label, known),
                    fix: `select on an existing label, or record "${label.name}" in the recording rule that makes ${metric}`,
                  }),
                );
                continue;
              }
              // Bucket bounds and route templates are fixed by the API: a value it never exports matches nothing.
              const seen = api?.get(label.name);
              if (
                label.equals !== undefined &&
                seen &&
                ['le', 'route'].includes(label.name) &&
                !seen.has(label.equals)
              )
                out.push(
                  v(site.file, site.object, 'verify', {
                    expected: `${label.name}="${label.equals}" to be a value ${metric} has`,
                    actual: `its ${label.name} values are: ${[...seen].sort().join(', ')}`,
                    fix: `use one of the values the API exports for ${label.name}`,
                  }),
                );
            }
          }
        }
        return out;
      },
    ),
    defineCheck('the API exports no metric label with unbounded values (ids, raw URLs)', (root) => {
      const exposition = parseExposition(scrape());
      const out: Violation[] = [];
      for (const [metric, labels] of exposition) {
        for (const [label, values] of labels) {
          const idLike = [...values].filter(
            (value) => ID_LIKE.test(value) || (label === 'route' && /\/[0-9a-f-]{16,}/i.test(value)),
          );
          if (!BOUNDED_API_LABELS.has(label) || idLike.length > 0)
            out.push(
              v('shared/app/api/src/metrics.ts', `${metric}{${label}}`, 'verify', {
                expected:
                  'labels from a small closed set (method, route template, status code, operation, state, le)',
                actual:
                  idLike.length > 0
                    ? `values like ${idLike.slice(0, 2).join(', ')}: one series per id`
                    : `label "${label}" is not a known bounded label`,
                fix: 'label with the route template or a category, never an id; put ids in log lines instead',
              }),
            );
        }
      }
      void root;
      return out;
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// ServiceMonitor (rendered from the day 3 chart) and version pins
// ---------------------------------------------------------------------------------------------------------------

interface K8s {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** The release name install.sh gives kube-prometheus-stack: its Prometheus selects that `release` label. */
function prometheusRelease(root: string): string | undefined {
  const script = readFileSync(path.join(root, INSTALL_SCRIPT), 'utf8');
  return /helm upgrade --install (\S+) prometheus-community\/kube-prometheus-stack/.exec(script)?.[1];
}

export function renderDay3(helm: string, root: string): Promise<{ ok: boolean; output: string }> {
  return tool(
    helm,
    [
      'template',
      'taskboard',
      DAY3_CHART,
      '--namespace',
      'taskboard',
      '-f',
      DAY3_DEV_VALUES,
      '-f',
      TASKBOARD_VALUES,
    ],
    root,
  );
}

export function serviceMonitorChecks(helm: () => string): Check[] {
  const rendered = async (root: string) => {
    const { ok, output } = await renderDay3(helm(), root);
    if (!ok) return { error: output, objects: [] as K8s[] };
    const objects = parseAllDocuments(output)
      .map((d) => d.toJS() as K8s | null)
      .filter((o): o is K8s => !!o && typeof o === 'object' && 'kind' in o);
    return { error: undefined, objects };
  };
  const where = `${DAY3_CHART}/templates/servicemonitor.yaml`;
  return [
    defineCheck(
      'the ServiceMonitor carries the release label kube-prometheus-stack selects',
      async (root) => {
        const { error, objects } = await rendered(root);
        const release = prometheusRelease(root);
        const sm = objects.find((o) => o.kind === 'ServiceMonitor');
        if (error || !sm)
          return [
            v(TASKBOARD_VALUES, 'serviceMonitor', 'step-1-install-the-stack', {
              expected: 'helm template of the day 3 chart with these values to render a ServiceMonitor',
              actual: error ? error.slice(0, 600) : 'no ServiceMonitor rendered',
              fix: error
                ? `make \`helm template\` of ${DAY3_CHART} with ${TASKBOARD_VALUES} succeed (the error above names the value)`
                : `set serviceMonitor.enabled: true in ${TASKBOARD_VALUES}`,
            }),
          ];
        const actual = sm.metadata.labels?.release;
        return release && actual === release
          ? []
          : [
              v(
                where,
                `ServiceMonitor ${sm.metadata.name} (values: ${TASKBOARD_VALUES})`,
                'break-it-fix-it',
                {
                  expected: `metadata.labels.release: ${release} (the Helm release of kube-prometheus-stack in ${INSTALL_SCRIPT})`,
                  actual: actual
                    ? `release: ${actual}`
                    : 'no release label: Prometheus ignores this ServiceMonitor without a word',
                  fix: `set serviceMonitor.labels.release: ${release} in ${TASKBOARD_VALUES}`,
                },
              ),
            ];
      },
    ),
    defineCheck('the ServiceMonitor selects the API Service by its labels and port name', async (root) => {
      const { error, objects } = await rendered(root);
      const sm = objects.find((o) => o.kind === 'ServiceMonitor');
      if (error || !sm) return []; // reported by the release-label check
      const spec = sm.spec as {
        selector?: { matchLabels?: Record<string, string> };
        namespaceSelector?: { matchNames?: string[] };
        endpoints?: Array<{ port?: string; path?: string }>;
      };
      const match = spec.selector?.matchLabels ?? {};
      const namespaces = spec.namespaceSelector?.matchNames ?? [sm.metadata.namespace ?? 'taskboard'];
      const services = objects.filter(
        (o) =>
          o.kind === 'Service' &&
          namespaces.includes(o.metadata.namespace ?? 'taskboard') &&
          Object.entries(match).every(([k, val]) => o.metadata.labels?.[k] === val),
      );
      const out: Violation[] = [];
      const object = `ServiceMonitor ${sm.metadata.name}`;
      if (services.length !== 1 || services[0]?.metadata.name !== JOB) {
        out.push(
          v(where, object, 'step-1-install-the-stack', {
            expected: `spec.selector.matchLabels to match exactly the Service ${JOB} (the rules select job="${JOB}")`,
            actual: `matches ${services.length ? services.map((s) => s.metadata.name).join(', ') : 'no Service'} with ${JSON.stringify(match)}`,
            fix: "use the API Service's selector labels (app.kubernetes.io/name, instance, component: api)",
          }),
        );
        return out;
      }
      const ports = ((services[0]?.spec?.ports as Array<{ name?: string }>) ?? []).map((p) => p.name);
      for (const endpoint of spec.endpoints ?? [])
        if (!endpoint.port || !ports.includes(endpoint.port))
          out.push(
            v(where, object, 'step-1-install-the-stack', {
              expected: `endpoints[].port naming a port of Service ${JOB} (${ports.join(', ')})`,
              actual: `port: ${endpoint.port ?? '(none)'}`,
              fix: `set serviceMonitor.port to ${ports[0]}`,
            }),
          );
      if ((spec.endpoints ?? []).length === 0)
        out.push(
          v(where, object, 'step-1-install-the-stack', {
            expected: 'one endpoint',
            actual: 'no endpoints',
            fix: 'add an endpoint with port and path /metrics',
          }),
        );
      return out;
    }),
    defineCheck(
      'the NetworkPolicy lets Prometheus scrape the database exporter of the rendered CNPG cluster',
      async (root) => {
        const { error, objects } = await rendered(root);
        const cluster = objects.find((o) => o.kind === 'Cluster');
        if (error || !cluster) return []; // external database: nothing to scrape; render errors are reported above
        const file = `${DAY}/manifests/networkpolicy-prometheus-to-cnpg.yaml`;
        const policy = parse(readFileSync(path.join(root, file), 'utf8')) as K8s & {
          spec: {
            podSelector?: { matchLabels?: Record<string, string> };
            ingress?: Array<{
              from?: Array<{
                namespaceSelector?: { matchLabels?: Record<string, string> };
                podSelector?: { matchLabels?: Record<string, string> };
              }>;
              ports?: Array<{ port?: number | string }>;
            }>;
          };
        };
        const rule = policy.spec.ingress?.[0];
        const found = {
          cluster: policy.spec.podSelector?.matchLabels?.['cnpg.io/cluster'],
          namespace: policy.metadata.namespace,
          from: rule?.from?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'],
          pods: rule?.from?.[0]?.podSelector?.matchLabels?.['app.kubernetes.io/name'],
          port: rule?.ports?.[0]?.port,
        };
        const wanted = {
          cluster: cluster.metadata.name,
          namespace: cluster.metadata.namespace,
          from: 'monitoring',
          pods: 'prometheus',
          port: 9187,
        };
        const wrong = (Object.keys(wanted) as Array<keyof typeof wanted>).filter(
          (k) => found[k] !== wanted[k],
        );
        return wrong.length === 0
          ? []
          : [
              v(file, `NetworkPolicy ${policy.metadata.name}`, 'step-1-install-the-stack', {
                expected: wrong.map((k) => `${k}: ${wanted[k]}`).join(', '),
                actual: wrong.map((k) => `${k}: ${found[k] ?? '(none)'}`).join(', '),
                fix: `select the pods of CNPG cluster ${wanted.cluster} in ${wanted.namespace} and allow Prometheus (namespace monitoring) on port 9187`,
              }),
            ];
      },
    ),
    defineCheck('the PrometheusRule carries the release label kube-prometheus-stack selects', (root) => {
      const file = PROMETHEUS_RULE;
      const rule = parse(readFileSync(path.join(root, file), 'utf8')) as K8s;
      const release = prometheusRelease(root);
      return rule.metadata?.labels?.release === release
        ? []
        : [
            v(file, `PrometheusRule ${rule.metadata?.name}`, 'step-1-install-the-stack', {
              expected: `metadata.labels.release: ${release}`,
              actual: `release: ${rule.metadata?.labels?.release ?? '(none)'}`,
              fix: 'set PROMETHEUS_RELEASE in day4-observability/lib/generated.ts to the release install.sh uses, and regenerate',
            }),
          ];
    }),
  ];
}

const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

/** One `helm upgrade --install` of install.sh: release, repository alias, chart, and the --version it resolves to. */
interface ChartPin {
  release: string;
  repo: string;
  chart: string;
  version: string | undefined;
}

function chartPins(root: string): ChartPin[] {
  const script = readFileSync(path.join(root, INSTALL_SCRIPT), 'utf8');
  const vars = new Map([...script.matchAll(/^(\w+)=(\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
  return [...script.matchAll(/helm upgrade --install (\S+) (\S+)([^\n]*\\\n)*[^\n]*/g)].map((m) => {
    const flag = /--version\s+"?\$\{?(\w+)\}?"?|--version\s+(\S+)/.exec(m[0]);
    const [repo, chart] = (m[2] as string).split('/') as [string, string];
    return {
      release: m[1] as string,
      repo,
      chart: chart ?? repo,
      version: flag?.[1] ? vars.get(flag[1]) : flag?.[2],
    };
  });
}

/** The Helm repositories install.sh adds: alias -> URL. */
function helmRepos(root: string): Map<string, string> {
  const script = readFileSync(path.join(root, INSTALL_SCRIPT), 'utf8');
  return new Map(
    [...script.matchAll(/^helm repo add (\S+) (\S+)/gm)].map((m) => [m[1] as string, m[2] as string]),
  );
}

/** Loki's open-source chart has lived here since 2026-03-16 (grafana-community/helm-charts, charts/loki/README.md). */
const LOKI_COMMUNITY_REPO = 'https://grafana-community.github.io/helm-charts';

export const pinChecks: Check[] = [
  defineCheck('install.sh pins every Helm chart to an exact version', (root) => {
    const pins = chartPins(root);
    const out: Violation[] = [];
    if (pins.length < 3)
      out.push(
        v(INSTALL_SCRIPT, 'helm upgrade --install', 'prerequisites', {
          expected: 'kube-prometheus-stack, loki and alloy installed by helm upgrade --install',
          actual: `${pins.length} install(s) found`,
          fix: 'install the three charts with helm upgrade --install <release> <repo>/<chart> --version <x.y.z>',
        }),
      );
    for (const pin of pins)
      if (!pin.version || !EXACT_VERSION.test(pin.version))
        out.push(
          v(
            INSTALL_SCRIPT,
            `helm upgrade --install ${pin.release} ${pin.repo}/${pin.chart}`,
            'prerequisites',
            {
              expected: '--version with an exact chart version (x.y.z)',
              actual: pin.version
                ? `--version ${pin.version}`
                : 'no --version: whatever is newest on the day you run it',
              fix: `pin ${pin.repo}/${pin.chart} with --version <x.y.z> (from the chart's Chart.yaml or release tag)`,
            },
          ),
        );
    return out;
  }),
  defineCheck('install.sh installs Loki from the grafana-community Helm repository', (root) => {
    const loki = chartPins(root).find((p) => p.chart === 'loki');
    const url = loki ? helmRepos(root).get(loki.repo) : undefined;
    return url === LOKI_COMMUNITY_REPO
      ? []
      : [
          v(INSTALL_SCRIPT, `helm upgrade --install ${loki?.release ?? 'loki'}`, 'prerequisites', {
            expected: `the loki chart from ${LOKI_COMMUNITY_REPO} (helm repo add grafana-community ${LOKI_COMMUNITY_REPO})`,
            actual: loki
              ? `${loki.repo}/loki, repository ${url ?? '(not added by install.sh)'}`
              : 'no helm upgrade --install of a loki chart',
            fix: `install grafana-community/loki: Loki's open-source chart moved there on 2026-03-16, and grafana/loki is now the enterprise chart`,
          }),
        ];
  }),
  defineCheck("the README's chart table and helm list show the chart versions install.sh pins", (root) => {
    const readme = readFileSync(path.join(root, README), 'utf8');
    // The lab runner's `<!-- lab: expect … -->` marker may sit between the command and its output.
    const list =
      /helm list -n monitoring\n```\n+(?:<!--[^\n]*-->\n+)?```text\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const listed = new Map(
      list
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => cols.length >= 5 && cols[0] !== 'NAME')
        .map((cols) => [cols[0] as string, cols[4] as string]),
    );
    const out: Violation[] = [];
    for (const pin of chartPins(root)) {
      const wanted = `${pin.chart}-${pin.version}`;
      if (listed.get(pin.release) !== wanted)
        out.push(
          v(README, `step 1, helm list row ${pin.release}`, 'step-1-install-the-stack', {
            expected: `CHART ${wanted} (install.sh pins ${pin.repo}/${pin.chart} ${pin.version})`,
            actual: listed.has(pin.release) ? `CHART ${listed.get(pin.release)}` : 'no row for this release',
            fix: `make the expected output what helm list prints for the pinned chart: ${wanted}`,
          }),
        );
      const row = new RegExp(`^\\| \`${pin.repo}/${pin.chart}\` \\| ([^ |]+)`, 'm').exec(readme);
      if (row?.[1] !== pin.version)
        out.push(
          v(README, `Prerequisites, chart ${pin.repo}/${pin.chart}`, 'prerequisites', {
            expected: `version ${pin.version} (install.sh)`,
            actual: row ? `version ${row[1]}` : 'no row for this chart in the chart table',
            fix: `write | \`${pin.repo}/${pin.chart}\` | ${pin.version} | in the Prerequisites chart table`,
          }),
        );
    }
    return out;
  }),
  defineCheck('no values file sets a floating image tag', (root) =>
    ['kube-prometheus-stack', 'loki', 'alloy'].flatMap((name) => {
      const file = `day4-observability/stack/${name}.values.yaml`;
      const text = readFileSync(path.join(root, file), 'utf8');
      return [...text.matchAll(/^\s*tag:\s*['"]?(latest|main|master|stable)?['"]?\s*$/gm)]
        .filter((m) => m[1])
        .map((m) =>
          v(file, 'image tag', 'prerequisites', {
            expected: "no tag override (the pinned chart's tested image) or an exact version",
            actual: `tag: ${m[1]}`,
            fix: 'remove the tag override or pin an exact version',
          }),
        );
    }),
  ),
  defineCheck('every README section a day 4 failure message points to exists', (root) => {
    const readme = readFileSync(path.join(root, README), 'utf8');
    const slugs = new Set(
      [...readme.matchAll(/^#{2,3} (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .trim()
          .replace(/\s/g, '-'),
      ),
    );
    const source = readFileSync(path.join(root, `${DAY}/verify/static-checks.ts`), 'utf8');
    const used = new Set(
      [...source.matchAll(/'([a-z0-9]+(?:-[a-z0-9]+)*)',\s*\{/g)].map((m) => m[1] as string),
    );
    return [...used]
      .filter((anchor) => !slugs.has(anchor))
      .map((anchor) =>
        v(README, `section #${anchor}`, 'verify', {
          expected: `a heading whose anchor is #${anchor}`,
          actual: 'no such heading: failure messages would link nowhere',
          fix: 'restore the heading, or change the anchor in verify/static-checks.ts',
        }),
      );
  }),
];
