// Tier 2, local runtime: real nginx, the real API and a throwaway PostgreSQL. Nothing here needs Docker.
import { localRuntimeTier, registerChecks, repoRoot, stopAll } from '@taskboard/verify';
import { RuntimeSession, runtimeChecks } from './runtime-checks';

localRuntimeTier(
  'local runtime: nginx serves the SPA and proxies the API',
  ['nginx', 'postgres'],
  repoRoot,
  (tools) => {
    // Constructed while jest collects tests; it starts nothing until beforeAll (a skipped tier never gets there).
    const session = new RuntimeSession(tools.nginx);
    beforeAll(() => session.start(repoRoot));
    // A process left running keeps jest, and so `npm run verify:day1`, from exiting: stop the session's own,
    // then anything else started through testkit, even when the first step throws.
    afterAll(async () => {
      try {
        await session.stop();
      } finally {
        await stopAll();
      }
    });
    registerChecks(runtimeChecks(session), repoRoot);
  },
);
