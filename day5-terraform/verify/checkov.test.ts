// checkov over day 5's Terraform (bootstrap, envs/dev and the modules they call), offline, in one process.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason.
import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { checkovCheck } from '@taskboard/verify/src/checkov';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';

localRuntimeTier('day 5 checkov: Terraform', ['checkov'], repoRoot, (tools) => {
  registerChecks(
    [
      checkovCheck(() => tools.checkov, {
        day: 5,
        title: 'checkov (terraform) passes day5-terraform/, but for the skips in skips.yaml',
        target: () => ({ frameworks: ['terraform'], directories: ['day5-terraform'] }),
      }),
    ],
    repoRoot,
  );
});
