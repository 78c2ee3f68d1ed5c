// checkov's github_actions checks over the course's workflows (.github/workflows), offline, in one process.
// Skips the course accepts on purpose live in shared/verify/checkov/skips.yaml, each with its reason. The
// toolkit's fixtures (shared/verify/test/checkov.test.ts) run these same checks on broken copies.
import type { Check } from '@taskboard/verify/src/check';
import { checkovCheck } from '@taskboard/verify/src/checkov';

export function checkovChecks(checkov: () => string): Check[] {
  return [
    checkovCheck(checkov, {
      day: 6,
      title: 'checkov (github_actions) passes .github/workflows/, but for the skips in skips.yaml',
      target: () => ({ frameworks: ['github_actions'], directories: ['.github'] }),
    }),
  ];
}
