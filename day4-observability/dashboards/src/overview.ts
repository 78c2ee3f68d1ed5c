// Service overview: RED by route (rate, errors, duration), saturation of the Node.js process and the DB pool, and
// the log lines of slow or failed requests, which the latency panels link to.
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as LogsPanel } from '@grafana/grafana-foundation-sdk/logs';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  JOB,
  LOG_APP,
  LOGS_PANEL_ID,
  OVERVIEW_UID,
  SLO_UID,
  datasourceVariables,
  logql,
  logsForRouteLink,
  promql,
  routeVariable,
} from './common.ts';

const byRoute = `job="${JOB}", route=~"\${route:regex}"`;

function tableLegend(): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder()
    .displayMode(LegendDisplayMode.Table)
    .placement(LegendPlacement.Right)
    .showLegend(true)
    .calcs(['mean', 'max']);
}

function timeseries(title: string, description: string, unit: string): TimeseriesPanel {
  return new TimeseriesPanel()
    .title(title)
    .description(description)
    .unit(unit)
    .min(0)
    .height(8)
    .span(12)
    .legend(tableLegend());
}

export function overviewDashboard(): Dashboard {
  const [prometheusVariable, lokiVariable] = datasourceVariables();
  return new DashboardBuilder('Taskboard API / Service overview')
    .uid(OVERVIEW_UID)
    .tags(['taskboard', 'generated'])
    .description('Generated from day4-observability/dashboards/src: edit the code, not this JSON.')
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .editable()
    .withVariable(prometheusVariable!)
    .withVariable(lokiVariable!)
    .withVariable(routeVariable())
    .link(
      new DashboardLinkBuilder('SLOs and error budget')
        .type(DashboardLinkType.Link)
        .url(`/d/${SLO_UID}`)
        .icon('dashboard')
        .tooltip('Availability and latency SLOs of the API')
        .includeVars(true)
        .keepTime(true),
    )
    .withRow(new RowBuilder('Rate, errors, duration by route'))
    .withPanel(
      timeseries(
        'Request rate by route',
        'Requests per second each route template served.',
        'reqps',
      ).withTarget(
        promql(
          `sum by (route) (rate(http_request_duration_seconds_count{${byRoute}}[$__rate_interval]))`,
          '{{route}}',
        ),
      ),
    )
    .withPanel(
      timeseries(
        '5xx ratio by route',
        'Share of each route’s responses that were 5xx (recorded over 5 minutes).',
        'percentunit',
      )
        .max(1)
        .withTarget(promql(`route:http_request_errors:ratio_rate5m{${byRoute}}`, '{{route}}')),
    )
    .withPanel(
      timeseries(
        'p95 latency by route',
        '95th percentile duration per route. Click a series to open the log lines of that route.',
        's',
      )
        .dataLinks([logsForRouteLink()])
        .withTarget(
          promql(
            `route:http_request_duration_seconds:histogram_quantile{quantile="0.95", ${byRoute}}`,
            '{{route}}',
          ),
        ),
    )
    .withPanel(
      timeseries(
        'Latency quantiles (p50, p95, p99)',
        'The three recorded quantiles of the selected routes. Click a series to open its log lines.',
        's',
      )
        .dataLinks([logsForRouteLink()])
        .withTarget(
          promql(
            `route:http_request_duration_seconds:histogram_quantile{${byRoute}}`,
            '{{route}} p{{quantile}}',
          ),
        ),
    )
    .withRow(new RowBuilder('Saturation'))
    .withPanel(
      timeseries(
        'Event-loop lag p99',
        'How late timers fire: above ~100 ms, every request waits.',
        's',
      ).withTarget(promql(`nodejs_eventloop_lag_p99_seconds{job="${JOB}"}`, '{{pod}}')),
    )
    .withPanel(
      timeseries('Heap used / total', 'V8 heap of each API process.', 'bytes')
        .withTarget(promql(`nodejs_heap_size_used_bytes{job="${JOB}"}`, '{{pod}} used'))
        .withTarget(promql(`nodejs_heap_size_total_bytes{job="${JOB}"}`, '{{pod}} total')),
    )
    .withPanel(
      timeseries(
        'DB pool connections',
        'Used and free connections per pod; "pending" above 0 means requests wait for a connection (raise DB_POOL_MAX or find the slow query).',
        'short',
      ).withTarget(promql(`sum by (state) (db_pool_connections{job="${JOB}"})`, '{{state}}')),
    )
    .withPanel(
      timeseries(
        'DB query p95 by operation',
        'Database time, which usually explains API latency.',
        's',
      ).withTarget(
        promql(
          `histogram_quantile(0.95, sum by (operation, le) (rate(db_query_duration_seconds_bucket{job="${JOB}"}[$__rate_interval])))`,
          '{{operation}}',
        ),
      ),
    )
    .withRow(new RowBuilder('Logs'))
    .withPanel(
      new LogsPanel()
        .id(LOGS_PANEL_ID)
        .title('Slow (> 250 ms) and failed requests')
        .description(
          'Completion lines of the selected routes that took over 250 ms or failed; expand one for its reqId, then search that id to see every line of the request.',
        )
        .height(12)
        .span(24)
        .showTime(true)
        .wrapLogMessage(true)
        .enableLogDetails(true)
        .withTarget(
          logql(
            `{app="${LOG_APP}"} | route=~"\${route:regex}" | json | responseTime > 250 or res_statusCode >= 500 | line_format "{{.req_method}} {{.req_url}} {{.res_statusCode}} {{.responseTime}}ms reqId={{.reqId}}"`,
          ),
        ),
    )
    .build();
}
