import { repoRoot, registerChecks } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { chartChecks, environmentChecks } from './checks';
import { CHART, DAY, scenarios } from './helm';
import { repositoryChecks } from './repo-checks';

// Static tier: the real helm lints and renders the chart, then day 2's validators check the objects. No cluster.

localRuntimeTier('day 3 static: chart files, schema and platform pins', ['helm'], repoRoot, (tools) => {
  registerChecks(
    repositoryChecks(() => tools.helm),
    repoRoot,
  );
});

for (const scenario of scenarios(repoRoot)) {
  localRuntimeTier(`day 3 static: scenario ${scenario.file}`, ['helm'], repoRoot, (tools) => {
    registerChecks(
      chartChecks(() => tools.helm, { valuesFiles: [scenario.file] }),
      repoRoot,
    );
  });
}

for (const environment of ['dev', 'prod']) {
  const file = `${DAY}/environments/${environment}.yaml`;
  localRuntimeTier(
    `day 3 static: environment ${file} over ${CHART}/values.yaml`,
    ['helm'],
    repoRoot,
    (tools) => {
      registerChecks(
        environmentChecks(() => tools.helm, file),
        repoRoot,
      );
    },
  );
}
