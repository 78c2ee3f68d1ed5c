import { repoRoot } from '@taskboard/verify/src/check';
import { kubernetesToolTiers } from '@taskboard/verify/src/k8s/tool-tiers';
import { CHART, RELEASE, helmTemplate } from '../../day3-helm/verify/helm';
import { AKS_REQUEST, DAY, prepareAksRequest } from './checks';

// kube-score and the real Kubernetes OpenAPI (kubernetes-validate) over the chart as the lab installs it on AKS.
// The Terraform values file is written here from outputs.tf: this file must not rely on static.test.ts having
// run first (in a fresh clone it may run first, and artifacts/ is git-ignored).
beforeAll(() => prepareAksRequest(repoRoot));
kubernetesToolTiers('day 7', [
  {
    label: `helm template ${RELEASE} ${CHART} ${(AKS_REQUEST.valuesFiles ?? []).map((f) => `-f ${f}`).join(' ')}`,
    docs: `${DAY}/README.md#verify`,
    needs: ['helm'],
    render: (root, tools) => helmTemplate(tools.helm, root, AKS_REQUEST),
  },
]);
