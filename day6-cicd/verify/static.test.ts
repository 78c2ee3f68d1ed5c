import { registerChecks, repoRoot } from '@taskboard/verify';
import { staticChecks } from './checks';

describe('day 6 static: workflows linted, schema-checked, held to policy and cross-referenced', () => {
  registerChecks(staticChecks, repoRoot);
});
