// checkov (the field's IaC scanner, pinned in scripts/bootstrap-tools.sh) over day 1's Dockerfiles, offline.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason.
import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { checkovCheck } from '@taskboard/verify/src/checkov';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';

export const DOCKERFILES = ['day1-containers/api.Dockerfile', 'day1-containers/web.Dockerfile'];

localRuntimeTier('day 1 checkov: Dockerfiles', ['checkov'], repoRoot, (tools) => {
  registerChecks(
    [
      checkovCheck(() => tools.checkov, {
        day: 1,
        title: `checkov (dockerfile) passes ${DOCKERFILES.join(' and ')}, but for the skips in skips.yaml`,
        target: () => ({ frameworks: ['dockerfile'], files: DOCKERFILES }),
      }),
    ],
    repoRoot,
  );
});
