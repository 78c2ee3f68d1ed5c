import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { DAY, manifestChecks, render, repositoryChecks } from './checks';

// Static tier: render with the real kubectl, then schema, policy and cross-reference checks. No cluster needed.
localRuntimeTier('day 2 static: kustomize base', ['kubectl'], repoRoot, (tools) => {
  beforeAll(() => {
    const { substituted } = render(tools.kubectl, repoRoot, `${DAY}/base`);
    // Loud, not silent: the learner's real secret file is missing, so the check rendered the placeholder.
    for (const file of substituted) {
      process.stderr.write(
        `\nℹ ${file} does not exist: rendered with ${file}.example (cp it and set a password before applying)\n`,
      );
    }
  });
  registerChecks(
    manifestChecks(() => tools.kubectl, `${DAY}/base`),
    repoRoot,
  );
});

localRuntimeTier('day 2 static: Gateway API variant (overlays/gateway)', ['kubectl'], repoRoot, (tools) => {
  const wanted = /renders|schema|HTTPRoute|TLS|default-deny|exactly/;
  registerChecks(
    manifestChecks(() => tools.kubectl, `${DAY}/overlays/gateway`).filter((c) => wanted.test(c.title)),
    repoRoot,
  );
});

describe('day 2 static: cluster config and secrets', () => {
  registerChecks(repositoryChecks(), repoRoot);
});
