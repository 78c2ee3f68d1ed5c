// Everything under day4-observability/generated/, rendered in memory: `cli/generate.ts` writes it and the verify
// suite compares it with the committed files, so a hand edit of a generated file is caught as drift.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { dashboards } from '../dashboards/src/index.ts';

export const DAY = 'day4-observability';
export const RULES_FILE = `${DAY}/rules/taskboard.rules.yml`;
export const GENERATED_DIR = `${DAY}/generated`;
export const DASHBOARDS_CONFIGMAP = `${GENERATED_DIR}/grafana-dashboards.configmap.yaml`;
export const PROMETHEUS_RULE = `${GENERATED_DIR}/taskboard.prometheusrule.yaml`;
/** Namespace and Helm release of kube-prometheus-stack (stack/install.sh). */
export const MONITORING_NAMESPACE = 'monitoring';
export const PROMETHEUS_RELEASE = 'kube-prometheus-stack';

const header = (source: string) =>
  `# Generated from ${source} by \`npm run generate -w @taskboard/day4-observability\`. Do not edit:\n` +
  `# npm run verify:day4 fails when this file and its source disagree.\n`;

function yamlDocument(source: string, value: unknown): string {
  return header(source) + stringify(value, { lineWidth: 0 });
}

/** The plain rule file, wrapped as the operator's PrometheusRule; the release label is what its ruleSelector matches. */
function prometheusRule(root: string): string {
  const rules = parse(readFileSync(path.join(root, RULES_FILE), 'utf8')) as { groups: unknown[] };
  return yamlDocument(RULES_FILE, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'taskboard-api',
      namespace: MONITORING_NAMESPACE,
      labels: { 'app.kubernetes.io/part-of': 'taskboard', release: PROMETHEUS_RELEASE },
    },
    spec: { groups: rules.groups },
  });
}

/** One ConfigMap holding every dashboard; Grafana's sidecar loads ConfigMaps labelled grafana_dashboard=1. */
function dashboardsConfigMap(files: Record<string, string>): string {
  return yamlDocument(`${DAY}/dashboards/src`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'taskboard-dashboards',
      namespace: MONITORING_NAMESPACE,
      labels: { 'app.kubernetes.io/part-of': 'taskboard', grafana_dashboard: '1' },
      annotations: { grafana_folder: 'Taskboard' },
    },
    data: files,
  });
}

/** Repository-relative path -> exact file content, for every generated file. */
export function generatedFiles(root: string): Record<string, string> {
  const json: Record<string, string> = {};
  for (const [name, dashboard] of Object.entries(dashboards()))
    json[name] = `${JSON.stringify(dashboard, null, 2)}\n`;
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(json)) out[`${GENERATED_DIR}/dashboards/${name}`] = text;
  out[DASHBOARDS_CONFIGMAP] = dashboardsConfigMap(json);
  out[PROMETHEUS_RULE] = prometheusRule(root);
  return out;
}
