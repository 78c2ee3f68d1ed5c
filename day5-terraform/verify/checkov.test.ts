// The checkov tier (checks in ./checkov.ts): runs with CI=true; elsewhere, without checkov, a loud skip that
// names `bash scripts/bootstrap-tools.sh`.
import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { checkovChecks } from './checkov';

localRuntimeTier('day 5 checkov: Terraform', ['checkov'], repoRoot, (tools) => {
  registerChecks(
    checkovChecks(() => tools.checkov),
    repoRoot,
  );
});
