// Tier 2, local runtime: real nginx, the real API and a throwaway PostgreSQL. Nothing here needs Docker.
import { localRuntimeTier, registerChecks, repoRoot } from '@taskboard/verify';
import { RuntimeSession, runtimeChecks } from './runtime-checks';

localRuntimeTier(
  'local runtime: nginx serves the SPA and proxies the API',
  ['nginx', 'postgres'],
  repoRoot,
  (tools) => {
    // Constructed while jest collects tests; it starts nothing until beforeAll (a skipped tier never gets there).
    const session = new RuntimeSession(tools.nginx);
    beforeAll(() => session.start(repoRoot));
    afterAll(() => session.stop());
    registerChecks(runtimeChecks(session), repoRoot);
  },
);
