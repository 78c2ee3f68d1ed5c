import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CheckFailedError, repoRoot, type Check } from '../../src/check';
import { readYaml } from '../../src/files';
import { kubeScoreCheck } from '../../src/k8s/tool-tiers';
import { localRuntimeTier, type Tools } from '../../src/tiers';
import { manifestChecks, render } from '../../../../day2-k8s/verify/checks';

// Every broken scenario under day2-k8s/tests/ must make its check fail with the message its expect.yaml names,
// and the same check must pass on the unbroken kustomization it builds on: the failure is the mutation's doing, nothing else's.

interface Expectation {
  /** A check title prefix, or with `tool: kube-score` the kube-score test ID that must fail. */
  check: string;
  tool?: 'kube-score';
  contains: string[];
  /** The unbroken kustomization the scenario builds on (default: the base). */
  baseline?: string;
}

const scenariosDir = 'day2-k8s/tests';
const scenarios = readdirSync(path.join(repoRoot, scenariosDir), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function pick(checks: Check[], prefix: string, where: string): Check {
  const check = checks.find((c) => c.title.startsWith(prefix));
  if (!check) throw new Error(`${where}: no check title starts with "${prefix}"`);
  return check;
}

async function failureMessage(check: Check): Promise<string | undefined> {
  const violations = await check.run(repoRoot);
  return violations.length > 0 ? new CheckFailedError(check.title, violations).message : undefined;
}

const expectationOf = (scenario: string) =>
  readYaml(repoRoot, `${scenariosDir}/${scenario}/expect.yaml`) as Expectation;
const byKubeScore = (scenario: string) => expectationOf(scenario).tool === 'kube-score';

/** kube-score over the kustomization, as day2-k8s/verify/k8s-tools.test.ts runs it. */
function kubeScoreOn(tools: Tools, target: string): Check {
  return kubeScoreCheck(tools, {
    label: `kubectl kustomize ${target}`,
    docs: 'day2-k8s/README.md#verify',
    needs: ['kubectl'],
    render: (root, t) => render(t.kubectl, root, target).objects,
  });
}

localRuntimeTier('day 2 broken scenarios', ['kubectl'], repoRoot, (tools) => {
  it('has a scenario for every acceptance variant', () => {
    expect(scenarios).toEqual(
      expect.arrayContaining([
        'misspelled-field',
        'replicas-string',
        'selector-typo',
        'target-port-mismatch',
        'wrong-readiness-path',
        'missing-resources',
        'run-as-non-root-removed',
        'ingress-missing-service',
        'required-env-missing',
        'api-db-blocked',
        'default-deny-removed',
      ]),
    );
  });

  for (const scenario of scenarios.filter((s) => !byKubeScore(s))) {
    const target = `${scenariosDir}/${scenario}`;
    const expectation = expectationOf(scenario);

    it(`${target}: "${expectation.check}…" fails with its precise message`, async () => {
      const check = pick(
        manifestChecks(() => tools.kubectl, target),
        expectation.check,
        `${target}/expect.yaml`,
      );
      const message = await failureMessage(check);
      expect(message).toBeDefined();
      for (const fragment of expectation.contains) expect(message).toContain(fragment);
    });

    const baseline = expectation.baseline ?? 'day2-k8s/base';
    it(`${target}: the same check passes on the unbroken ${baseline}`, async () => {
      const check = pick(
        manifestChecks(() => tools.kubectl, baseline),
        expectation.check,
        baseline,
      );
      expect(await failureMessage(check)).toBeUndefined();
    });
  }
});

// Scenarios whose rule the real kube-score checks (docs/decisions/0013-kube-score-replaces-policy-rules.md): the
// kube-score check fails on the scenario with the test ID its expect.yaml names, and passes on the baseline.
localRuntimeTier(
  'day 2 broken scenarios caught by kube-score',
  ['kubectl', 'kube-score'],
  repoRoot,
  (tools) => {
    for (const scenario of scenarios.filter(byKubeScore)) {
      const target = `${scenariosDir}/${scenario}`;
      const expectation = expectationOf(scenario);

      it(`${target}: kube-score ${expectation.check} fails with its precise message`, async () => {
        const message = await failureMessage(kubeScoreOn(tools, target));
        expect(message).toBeDefined();
        expect(message).toContain(`expected: kube-score ${expectation.check} (`);
        for (const fragment of expectation.contains) expect(message).toContain(fragment);
      });

      const baseline = expectation.baseline ?? 'day2-k8s/base';
      it(`${target}: kube-score passes on the unbroken ${baseline}`, async () => {
        expect(await failureMessage(kubeScoreOn(tools, baseline))).toBeUndefined();
      });
    }
  },
);
