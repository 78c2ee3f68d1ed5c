// checkov's github_actions checks over the course's workflows, offline, in one process.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason.
import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { checkovCheck } from '@taskboard/verify/src/checkov';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';

localRuntimeTier('day 6 checkov: GitHub workflows', ['checkov'], repoRoot, (tools) => {
  registerChecks(
    [
      checkovCheck(() => tools.checkov, {
        day: 6,
        title: 'checkov (github_actions) passes .github/workflows/, but for the skips in skips.yaml',
        target: () => ({ frameworks: ['github_actions'], directories: ['.github'] }),
      }),
    ],
    repoRoot,
  );
});
