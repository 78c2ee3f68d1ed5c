// SLOs and error budget: the two SLIs the burn-rate alerts watch, how much budget is left, and how fast it burns.
// The objectives here must match rules/taskboard.rules.yml; the verify suite checks both use the same numbers.
import {
  DashboardBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
} from '@grafana/grafana-foundation-sdk/common';
import { JOB, OVERVIEW_UID, SLO_UID, datasourceVariables, promql } from './common.ts';

export interface Slo {
  /** Name used in recording rules: job:slo_<name>_error_ratio:rate<window>. */
  name: 'availability' | 'latency';
  title: string;
  /** Objective, e.g. 0.995; the error budget is 1 - objective. */
  objective: number;
  sli: string;
}

export const slos: Slo[] = [
  {
    name: 'availability',
    title: 'Availability',
    objective: 0.995,
    sli: 'share of user requests not answered with 5xx',
  },
  {
    name: 'latency',
    title: 'Latency',
    objective: 0.99,
    sli: 'share of user requests served in under 250 ms',
  },
];

function budget(slo: Slo): string {
  return String(Number((1 - slo.objective).toFixed(6)));
}

function thresholds(steps: Array<[number | null, string]>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

function sloRow(builder: DashboardBuilder, slo: Slo): DashboardBuilder {
  const ratio = (window: string) => `job:slo_${slo.name}_error_ratio:rate${window}{job="${JOB}"}`;
  return builder
    .withRow(new RowBuilder(`${slo.title} SLO: ${slo.objective * 100}% (${slo.sli})`))
    .withPanel(
      new StatPanel()
        .title(`${slo.title} over 3 days`)
        .description(`The SLI over the longest recorded window; the objective is ${slo.objective * 100}%.`)
        .unit('percentunit')
        .decimals(3)
        .height(6)
        .span(6)
        .thresholds(
          thresholds([
            [null, 'red'],
            [slo.objective, 'green'],
          ]),
        )
        .withTarget(promql(`1 - ${ratio('3d')}`, 'SLI')),
    )
    .withPanel(
      new StatPanel()
        .title('Error budget left (3-day window)')
        .description(
          'Share of the error budget not yet spent over the last 3 days. Below 0 the SLO is missed for that window.',
        )
        .unit('percentunit')
        .decimals(1)
        .height(6)
        .span(6)
        .thresholds(
          thresholds([
            [null, 'red'],
            [0.25, 'orange'],
            [0.5, 'green'],
          ]),
        )
        .withTarget(promql(`1 - (${ratio('3d')} / ${budget(slo)})`, 'budget left')),
    )
    .withPanel(
      new TimeseriesPanel()
        .title('Burn rate (1 = spending the budget exactly over the SLO period)')
        .description(
          'Error ratio divided by the budget. The page fires above 14.4 (1 h and 5 m) or 6 (6 h and 30 m); the ticket above 3 (1 d and 2 h) or 1 (3 d and 6 h).',
        )
        .unit('x')
        .min(0)
        .height(6)
        .span(12)
        .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
        .thresholds(
          thresholds([
            [null, 'green'],
            [6, 'orange'],
            [14.4, 'red'],
          ]),
        )
        .withTarget(promql(`${ratio('5m')} / ${budget(slo)}`, '5m'))
        .withTarget(promql(`${ratio('1h')} / ${budget(slo)}`, '1h'))
        .withTarget(promql(`${ratio('6h')} / ${budget(slo)}`, '6h'))
        .withTarget(promql(`${ratio('1d')} / ${budget(slo)}`, '1d')),
    );
}

export function sloDashboard(): Dashboard {
  const [prometheusVariable, lokiVariable] = datasourceVariables();
  let builder = new DashboardBuilder('Taskboard API / SLOs and error budget')
    .uid(SLO_UID)
    .tags(['taskboard', 'slo', 'generated'])
    .description('Generated from day4-observability/dashboards/src: edit the code, not this JSON.')
    .refresh('1m')
    .time({ from: 'now-3d', to: 'now' })
    .timezone('browser')
    .editable()
    .withVariable(prometheusVariable!)
    .withVariable(lokiVariable!)
    .link(
      new DashboardLinkBuilder('Service overview')
        .type(DashboardLinkType.Link)
        .url(`/d/${OVERVIEW_UID}`)
        .icon('dashboard')
        .tooltip('RED by route, saturation and logs')
        .includeVars(true)
        .keepTime(true),
    );
  for (const slo of slos) builder = sloRow(builder, slo);
  return builder.build();
}
