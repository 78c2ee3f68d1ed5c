import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { providerTierCheck, schemaVersions } from '@taskboard/verify/src/terraform';
import { OFFLINE_MODULES, terraformDirs } from './checks';

/*
 * Provider tier: terraform init -backend=false, validate and test (mock_provider, command = plan) for every root
 * and module that uses azurerm, offline. The providers come from a local filesystem mirror: azurerm 4.73.0's and
 * random 3.9.1's real schemas (extracted from the @cdktn/provider-* packages generated from them) served by a
 * stand-in, terraform-schema-provider. So terraform itself checks every block and argument against the real
 * schema; the provider's own ValidateFunc logic does not run (ADR 0012).
 */
const providerDirs = terraformDirs(repoRoot).filter((d) => !OFFLINE_MODULES.includes(d));

localRuntimeTier(
  `day 5 provider tier: init, validate, test against the real schemas (${schemaVersions()})`,
  ['terraform', 'terraform-schema-provider'],
  repoRoot,
  (tools) => {
    registerChecks(
      providerDirs.map((dir) => providerTierCheck(() => tools, dir, 'day5-terraform/README.md#verify')),
      repoRoot,
    );
  },
);
