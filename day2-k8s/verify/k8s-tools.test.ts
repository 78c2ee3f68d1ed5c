import { kubernetesToolTiers } from '@taskboard/verify/src/k8s/tool-tiers';
import { DAY, render } from './checks';

// kube-score and the real Kubernetes OpenAPI (kubernetes-validate) over the base and every overlay.
kubernetesToolTiers(
  'day 2',
  [`${DAY}/base`, `${DAY}/overlays/gateway`].map((target) => ({
    label: `kubectl kustomize ${target}`,
    docs: `${DAY}/README.md#verify`,
    needs: ['kubectl'],
    render: (root, tools) => render(tools.kubectl, root, target).objects,
  })),
);
