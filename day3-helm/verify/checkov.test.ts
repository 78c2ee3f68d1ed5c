// checkov's kubernetes checks over the chart as `helm template` renders it for every ci/ scenario and both
// environments (the renders the static tier checks), offline, in one process. Failures name the template.
// Skips: shared/verify/checkov/skips.yaml.
import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { checkovCheck, renderedTarget } from '@taskboard/verify/src/checkov';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { DAY, describeRequest, helmTemplate, scenarios, type RenderRequest } from './helm';

/** Every values file the static tier renders the chart with. */
export function chartRenders(root: string): RenderRequest[] {
  return [
    ...scenarios(root).map((scenario) => ({ valuesFiles: [scenario.file] })),
    ...['dev', 'prod'].map((environment) => ({ valuesFiles: [`${DAY}/environments/${environment}.yaml`] })),
  ];
}

localRuntimeTier('day 3 checkov: rendered chart', ['helm', 'checkov'], repoRoot, (tools) => {
  registerChecks(
    [
      checkovCheck(() => tools.checkov, {
        day: 3,
        title:
          'checkov (kubernetes) passes helm template of every ci/ scenario and environment, but for the skips in skips.yaml',
        target: (root) =>
          renderedTarget(
            chartRenders(root).map((request) => ({
              label: `helm template ${describeRequest(request)}`,
              objects: helmTemplate(tools.helm, root, request),
            })),
          ),
      }),
    ],
    repoRoot,
  );
});
