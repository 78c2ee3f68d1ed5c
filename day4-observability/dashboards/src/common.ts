// Building blocks shared by the Taskboard dashboards: data sources, variables and query helpers.
import {
  DashboardLinkBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder as LokiQuery } from '@grafana/grafana-foundation-sdk/loki';
import { DataqueryBuilder as PromQuery } from '@grafana/grafana-foundation-sdk/prometheus';

/** The job the ServiceMonitor gives the API's targets: Prometheus names it after the Service, `taskboard-api`. */
export const JOB = 'taskboard-api';
/** The `app` label Alloy puts on the API's log streams (see logs/config.alloy). */
export const LOG_APP = 'taskboard-api';
/** Probe and scrape traffic, left out of user-facing panels as it is in the SLIs. */
export const NOT_PROBES = 'route!~"/healthz|/readyz|/metrics"';

export const OVERVIEW_UID = 'taskboard-api-overview';
export const SLO_UID = 'taskboard-api-slo';
/** Panel id of the logs panel, the target of the latency panels' data links. */
export const LOGS_PANEL_ID = 40;

export const prometheus = { type: 'prometheus', uid: '${datasource}' };
export const loki = { type: 'loki', uid: '${loki}' };

export function datasourceVariables(): DatasourceVariableBuilder[] {
  return [
    new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'),
    new DatasourceVariableBuilder('loki').label('Loki').type('loki'),
  ];
}

/** Route filter, fed from the routes the API has actually served. */
export function routeVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('route')
    .label('Route')
    .datasource(prometheus)
    .query(`label_values(http_request_duration_seconds_count{job="${JOB}", ${NOT_PROBES}}, route)`)
    .multi(true)
    .includeAll(true)
    .allValue('.+')
    .refresh(2); // 2 = on time range change, so new routes appear without a reload.
}

export function promql(expr: string, legend: string): PromQuery {
  return new PromQuery().expr(expr).legendFormat(legend).datasource(prometheus);
}

export function logql(expr: string): LokiQuery {
  return new LokiQuery().expr(expr).datasource(loki).refId('A');
}

/** From a latency series to the log lines of that route in the same time range. */
export function logsForRouteLink(): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Slow and failed requests on ${__field.labels.route}')
    .url(
      `/d/${OVERVIEW_UID}?\${__url_time_range}&\${datasource:queryparam}&\${loki:queryparam}` +
        `&var-route=\${__field.labels.route}&viewPanel=${LOGS_PANEL_ID}`,
    )
    .targetBlank(false);
}
