import { repoRoot } from '@taskboard/verify/src/check';
import { kubernetesToolTiers } from '@taskboard/verify/src/k8s/tool-tiers';
import { CHART, DAY, RELEASE, helmTemplate, scenarios } from './helm';

// kube-score and the real Kubernetes OpenAPI (kubernetes-validate) over the chart rendered with every values
// file the static suite renders: each ci/ scenario and each environment.
const valuesFiles = [
  ...scenarios(repoRoot).map((scenario) => scenario.file),
  ...['dev', 'prod'].map((environment) => `${DAY}/environments/${environment}.yaml`),
];

kubernetesToolTiers(
  'day 3',
  valuesFiles.map((file) => ({
    label: `helm template ${RELEASE} ${CHART} -f ${file}`,
    docs: `${DAY}/README.md#verify`,
    needs: ['helm'],
    render: (root, tools) => helmTemplate(tools.helm, root, { valuesFiles: [file] }),
  })),
);
