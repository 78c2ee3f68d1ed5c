// checkov over day 5's Terraform (bootstrap, envs/dev and the modules they call), offline, in one process.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason. The
// toolkit's fixtures (shared/verify/test/checkov.test.ts) run these same checks on broken copies.
import type { Check } from '@taskboard/verify/src/check';
import { checkovCheck } from '@taskboard/verify/src/checkov';

export function checkovChecks(checkov: () => string): Check[] {
  return [
    checkovCheck(checkov, {
      day: 5,
      title: 'checkov (terraform) passes day5-terraform/, but for the skips in skips.yaml',
      target: () => ({ frameworks: ['terraform'], directories: ['day5-terraform'] }),
    }),
  ];
}
