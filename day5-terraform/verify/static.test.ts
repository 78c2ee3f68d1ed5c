import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { OFFLINE_MODULES, fmtCheck, staticChecks } from './checks';
import { offlineModuleCheck } from './offline';

// Static tier: parse (hcl2json), structure, cross-references and security policy. Needs only Node.
describe('day 5 static: parse, structure, cross-references, security policy', () => {
  registerChecks(staticChecks, repoRoot);
});

// The real terraform CLI, offline: fmt on everything; init, validate and test on the built-ins-only modules.
localRuntimeTier(
  'day 5 terraform (offline): fmt and the built-ins-only modules',
  ['terraform'],
  repoRoot,
  (tools) => {
    registerChecks(
      [fmtCheck, ...OFFLINE_MODULES.map((dir) => offlineModuleCheck(() => tools.terraform, dir))],
      repoRoot,
    );
  },
);
