// Day 4's files as the checks see them: rule files, dashboards, the Alloy pipeline and the API's /metrics output.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const DAY = 'day4-observability';
export const RULES = `${DAY}/rules/taskboard.rules.yml`;
export const RULE_TESTS = [`${DAY}/rules/taskboard.rules.test.yml`, `${DAY}/rules/taskboard.slo.test.yml`];
export const DASHBOARDS_DIR = `${DAY}/generated/dashboards`;
/** The code the dashboards are generated from: what a failure about a dashboard must name (issue 19). */
export const DASHBOARDS_SRC = `${DAY}/dashboards/src`;
export const ALLOY_CONFIG = `${DAY}/logs/config.alloy`;
export const INSTALL_SCRIPT = `${DAY}/stack/install.sh`;
export const KPS_VALUES = `${DAY}/stack/kube-prometheus-stack.values.yaml`;
export const ALLOY_VALUES = `${DAY}/stack/alloy.values.yaml`;
export const TASKBOARD_VALUES = `${DAY}/taskboard-values.yaml`;
export const DAY3_CHART = 'day3-helm/charts/taskboard';
export const DAY3_DEV_VALUES = 'day3-helm/environments/dev.yaml';
export const README = `${DAY}/README.md`;

/** Every file a check or fixture reads, for copyToTemp. */
export const fixturePaths = [
  `${DAY}/rules`,
  `${DAY}/generated`,
  `${DAY}/logs`,
  `${DAY}/stack`,
  `${DAY}/dashboards`,
  `${DAY}/lib`,
  `${DAY}/manifests`,
  `${DAY}/README.md`,
  `${DAY}/verify/static-checks.ts`,
  TASKBOARD_VALUES,
  DAY3_CHART,
  DAY3_DEV_VALUES,
  'docs/runbooks',
];

export const docs = (section: string) => `${README}#${section}`;

/** The job label the ServiceMonitor produces (the API Service's name) and every rule and panel selects. */
export const JOB = 'taskboard-api';

export interface Rule {
  group: string;
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function loadRules(root: string, file = RULES): Rule[] {
  const doc = parse(readFileSync(path.join(root, file), 'utf8')) as {
    groups?: Array<{ name: string; rules?: Array<Omit<Rule, 'group'>> }>;
  };
  return (doc.groups ?? []).flatMap((g) => (g.rules ?? []).map((r) => ({ ...r, group: g.name })));
}

export const ruleName = (r: Rule) => r.record ?? r.alert ?? '(unnamed)';

export interface PanelQuery {
  file: string;
  panel: string;
  /** `prometheus` or `loki`, from the query's data source. */
  language: 'promql' | 'logql';
  expr: string;
}

interface DashboardJson {
  title?: string;
  panels?: Array<{
    title?: string;
    targets?: Array<{ expr?: string; datasource?: { type?: string } }>;
    datasource?: { type?: string };
  }>;
  templating?: {
    list?: Array<{ name: string; type: string; query?: unknown; datasource?: { type?: string } }>;
  };
}

export function dashboardFiles(root: string): string[] {
  const dir = path.join(root, DASHBOARDS_DIR);
  return readdirSync(dir)
    .filter((f: string) => f.endsWith('.json'))
    .sort()
    .map((f: string) => `${DASHBOARDS_DIR}/${f}`);
}

/**
 * Where a panel or variable of a generated dashboard is written in dashboards/src: the first line quoting its
 * title or name (`file.ts:line`), else the folder. The object keeps the generated file, which is what Grafana loads.
 */
export function dashboardSource(
  root: string,
  generated: string,
  item: string,
): { file: string; object: string } {
  const name = /^(?:panel|variable) "(.*)"$/.exec(item)?.[1];
  const object = `${item}, generated into ${generated}`;
  const dir = path.join(root, DASHBOARDS_SRC);
  if (name) {
    const quoted = [`'${name}'`, `"${name}"`, `\`${name}\``];
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort()) {
      const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
      const at = lines.findIndex((line) => quoted.some((q) => line.includes(q)));
      if (at >= 0) return { file: `${DASHBOARDS_SRC}/${file}:${at + 1}`, object };
    }
  }
  return { file: DASHBOARDS_SRC, object };
}

/** Every query of every panel and query variable in the committed dashboard JSON, located in dashboards/src. */
export function dashboardQueries(root: string): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const file of dashboardFiles(root)) {
    const dashboard = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as DashboardJson;
    for (const panel of dashboard.panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr !== 'string') continue;
        const type = target.datasource?.type ?? panel.datasource?.type;
        const source = dashboardSource(root, file, `panel "${panel.title ?? '?'}"`);
        out.push({
          file: source.file,
          panel: source.object,
          language: type === 'loki' ? 'logql' : 'promql',
          expr: target.expr,
        });
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query' || typeof variable.query !== 'string') continue;
      // label_values(<selector>, <label>) is Grafana's, not PromQL: check the selector inside it.
      const inner = /^label_values\((.*),\s*(\w+)\)$/s.exec(variable.query);
      const source = dashboardSource(root, file, `variable "${variable.name}"`);
      out.push({
        file: source.file,
        panel: source.object,
        language: 'promql',
        expr: inner?.[1] ?? variable.query,
      });
    }
  }
  return out;
}

/** Metric name -> label names -> values seen, from Prometheus text exposition. */
export type Exposition = Map<string, Map<string, Set<string>>>;

export function parseExposition(text: string): Exposition {
  const metrics: Exposition = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s/.exec(line);
    if (!match) continue;
    const name = match[1] as string;
    const labels = metrics.get(name) ?? new Map<string, Set<string>>();
    metrics.set(name, labels);
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      const values = labels.get(pair[1] as string) ?? new Set<string>();
      values.add(pair[2] as string);
      labels.set(pair[1] as string, values);
    }
  }
  return metrics;
}

/** Stream labels Alloy sets (target_label of relabel rules, stage.labels / stage.static_labels keys). */
export function alloyStreamLabels(text: string): string[] {
  const labels = new Set<string>();
  for (const m of text.matchAll(/target_label\s*=\s*"([^"]+)"/g)) labels.add(m[1] as string);
  for (const block of text.matchAll(/stage\.(?:labels|static_labels)\s*\{[^}]*values\s*=\s*\{([^}]*)\}/g)) {
    for (const key of (block[1] as string).matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=/g))
      labels.add(key[1] as string);
  }
  if (/action\s*=\s*"labelmap"/.test(text)) labels.add('(labelmap: every matching pod label)');
  return [...labels].filter((l) => !l.startsWith('__')).sort();
}
