import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { providerTierCheck, schemaVersions } from '@taskboard/verify/src/terraform';

/*
 * Provider tier: terraform init -backend=false, validate and test (mock_provider, command = plan) on day 7's root,
 * offline, with azurerm and random served from a local filesystem mirror by terraform-schema-provider on their
 * real schemas (ADR 0012). Day 5's modules, which the root calls, are checked by day 5's own tier.
 */
localRuntimeTier(
  `day 7 provider tier: init, validate, test against the real schemas (${schemaVersions()})`,
  ['terraform', 'terraform-schema-provider'],
  repoRoot,
  (tools) => {
    registerChecks(
      [providerTierCheck(() => tools, 'day7-keyvault-aks/terraform', 'day7-keyvault-aks/README.md#verify')],
      repoRoot,
    );
  },
);
