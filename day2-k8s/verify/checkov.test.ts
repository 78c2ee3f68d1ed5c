// checkov's kubernetes checks over what `kubectl kustomize` renders for the base and each overlay, offline, in one
// process. Failures name the manifest the object came from. Skips: shared/verify/checkov/skips.yaml.
import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { checkovCheck, renderedTarget } from '@taskboard/verify/src/checkov';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { DAY, render } from './checks';

export const KUSTOMIZE_TARGETS = [`${DAY}/base`, `${DAY}/overlays/gateway`];

localRuntimeTier('day 2 checkov: kustomize output', ['kubectl', 'checkov'], repoRoot, (tools) => {
  registerChecks(
    [
      checkovCheck(() => tools.checkov, {
        day: 2,
        title: `checkov (kubernetes) passes kubectl kustomize of ${KUSTOMIZE_TARGETS.join(' and ')}, but for the skips in skips.yaml`,
        target: (root) =>
          renderedTarget(
            KUSTOMIZE_TARGETS.map((target) => ({
              label: `kubectl kustomize ${target}`,
              objects: render(tools.kubectl, root, target).objects,
            })),
          ),
      }),
    ],
    repoRoot,
  );
});
