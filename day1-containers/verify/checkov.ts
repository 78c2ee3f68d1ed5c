// checkov (the field's IaC scanner, pinned in scripts/bootstrap-tools.sh) over day 1's Dockerfiles, offline.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason. The
// toolkit's fixtures (shared/verify/test/checkov.test.ts) run these same checks on broken copies.
import type { Check } from '@taskboard/verify/src/check';
import { checkovCheck } from '@taskboard/verify/src/checkov';

export const DOCKERFILES = ['day1-containers/api.Dockerfile', 'day1-containers/web.Dockerfile'];

export function checkovChecks(checkov: () => string): Check[] {
  return [
    checkovCheck(checkov, {
      day: 1,
      title: `checkov (dockerfile) passes ${DOCKERFILES.join(' and ')}, but for the skips in skips.yaml`,
      target: () => ({ frameworks: ['dockerfile'], files: DOCKERFILES }),
    }),
  ];
}
