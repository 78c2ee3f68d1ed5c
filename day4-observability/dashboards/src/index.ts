// Every dashboard of day 4, keyed by the file name it is generated into (generated/dashboards/<uid>.json).
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { OVERVIEW_UID, SLO_UID } from './common.ts';
import { overviewDashboard } from './overview.ts';
import { sloDashboard } from './slo.ts';

export function dashboards(): Record<string, Dashboard> {
  return {
    [`${OVERVIEW_UID}.json`]: overviewDashboard(),
    [`${SLO_UID}.json`]: sloDashboard(),
  };
}
