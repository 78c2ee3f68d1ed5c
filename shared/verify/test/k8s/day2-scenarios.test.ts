import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CheckFailedError, repoRoot, type Check } from '../../src/check';
import { readYaml } from '../../src/files';
import { localRuntimeTier } from '../../src/tiers';
import { manifestChecks } from '../../../../day2-k8s/verify/checks';

// Every broken scenario under day2-k8s/tests/ must make its check fail with the message its expect.yaml names,
// and the same check must pass on the unbroken kustomization it builds on: the failure is the mutation's doing, nothing else's.

interface Expectation {
  check: string;
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

  for (const scenario of scenarios) {
    const target = `${scenariosDir}/${scenario}`;
    const expectation = readYaml(repoRoot, `${target}/expect.yaml`) as Expectation;

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
