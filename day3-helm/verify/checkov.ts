// checkov's kubernetes checks over the chart as `helm template` renders it for every ci/ scenario and both
// environments (the renders the static tier checks), offline, in one process. Failures name the template.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason. The
// toolkit's fixtures (shared/verify/test/checkov.test.ts) run these same checks on broken copies.
import type { Check } from '@taskboard/verify/src/check';
import { checkovCheck, renderedTarget } from '@taskboard/verify/src/checkov';
import { DAY, describeRequest, helmTemplate, scenarios, type RenderRequest } from './helm';

/** Every values file the static tier renders the chart with. */
export function chartRenders(root: string): RenderRequest[] {
  return [
    ...scenarios(root).map((scenario) => ({ valuesFiles: [scenario.file] })),
    ...['dev', 'prod'].map((environment) => ({ valuesFiles: [`${DAY}/environments/${environment}.yaml`] })),
  ];
}

export function checkovChecks(checkov: () => string, helm: () => string): Check[] {
  return [
    checkovCheck(checkov, {
      day: 3,
      title:
        'checkov (kubernetes) passes helm template of every ci/ scenario and environment, but for the skips in skips.yaml',
      target: (root) =>
        renderedTarget(
          chartRenders(root).map((request) => ({
            label: `helm template ${describeRequest(request)}`,
            objects: helmTemplate(helm(), root, request),
          })),
        ),
    }),
  ];
}
