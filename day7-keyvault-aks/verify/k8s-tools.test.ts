import { kubernetesToolTiers } from '@taskboard/verify/src/k8s/tool-tiers';
import { CHART, RELEASE, helmTemplate } from '../../day3-helm/verify/helm';
import { AKS_REQUEST, DAY } from './checks';

// kube-score and the real Kubernetes OpenAPI (kubernetes-validate) over the chart as the lab installs it on AKS.
kubernetesToolTiers('day 7', [
  {
    label: `helm template ${RELEASE} ${CHART} ${(AKS_REQUEST.valuesFiles ?? []).map((f) => `-f ${f}`).join(' ')}`,
    docs: `${DAY}/README.md#verify`,
    needs: ['helm'],
    render: (root, tools) => helmTemplate(tools.helm, root, AKS_REQUEST),
  },
]);
