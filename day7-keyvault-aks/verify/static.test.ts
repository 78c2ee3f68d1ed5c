import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { chartChecks } from '../../day3-helm/verify/checks';
import { AKS_REQUEST, crossChecks, day5Rules, prepareAksRequest } from './checks';

// Day 5's Terraform rules (imported, not copied) on day 7's root and the day 5 modules it calls. Needs only Node.
describe('day 7 static: Terraform rules from day 5 on day7-keyvault-aks/terraform', () => {
  registerChecks(day5Rules.staticChecks, repoRoot);
});

localRuntimeTier('day 7 terraform fmt (offline)', ['terraform'], repoRoot, () => {
  registerChecks([day5Rules.fmtCheck], repoRoot);
});

// Day 3's chart, rendered as the lab installs it (values-aks.yaml, then the Terraform output), through day 3's
// lint and day 2's validators (schema, security, probes, cross-references, NetworkPolicy flows).
localRuntimeTier(
  'day 7 static: the chart in keyvault mode passes day 2 and day 3 checks',
  ['helm'],
  repoRoot,
  (tools) => {
    // The Terraform output comes from outputs.tf itself (output "helm_values"), written where AKS_REQUEST reads it.
    beforeAll(() => prepareAksRequest(repoRoot));
    registerChecks(
      chartChecks(() => tools.helm, AKS_REQUEST),
      repoRoot,
    );
  },
);

// Terraform, chart and app against each other.
localRuntimeTier('day 7 static: Terraform, chart and app agree', ['helm'], repoRoot, (tools) => {
  registerChecks(
    crossChecks(() => tools.helm),
    repoRoot,
  );
});
