// checkov's kubernetes checks over what `kubectl kustomize` renders for the base and each overlay, offline, in one
// process. Failures name the manifest the object came from.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason. The
// toolkit's fixtures (shared/verify/test/checkov.test.ts) run these same checks on broken copies.
import type { Check } from '@taskboard/verify/src/check';
import { checkovCheck, renderedTarget } from '@taskboard/verify/src/checkov';
import { DAY, render } from './checks';

export const KUSTOMIZE_TARGETS = [`${DAY}/base`, `${DAY}/overlays/gateway`];

export function checkovChecks(checkov: () => string, kubectl: () => string): Check[] {
  return [
    checkovCheck(checkov, {
      day: 2,
      title: `checkov (kubernetes) passes kubectl kustomize of ${KUSTOMIZE_TARGETS.join(' and ')}, but for the skips in skips.yaml`,
      target: (root) =>
        renderedTarget(
          KUSTOMIZE_TARGETS.map((target) => ({
            label: `kubectl kustomize ${target}`,
            objects: render(kubectl(), root, target).objects,
          })),
        ),
    }),
  ];
}
