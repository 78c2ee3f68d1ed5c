// checkov over day 7's Terraform root, offline; it follows the day 5 modules the root calls. One process.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason. The
// toolkit's fixtures (shared/verify/test/checkov.test.ts) run these same checks on broken copies.
import type { Check } from '@taskboard/verify/src/check';
import { checkovCheck } from '@taskboard/verify/src/checkov';

export function checkovChecks(checkov: () => string): Check[] {
  return [
    checkovCheck(checkov, {
      day: 7,
      title:
        'checkov (terraform) passes day7-keyvault-aks/terraform/ and the modules it calls, but for the skips in skips.yaml',
      target: () => ({ frameworks: ['terraform'], directories: ['day7-keyvault-aks/terraform'] }),
    }),
  ];
}
