import { registerChecks, repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import { stopAll } from '@taskboard/testkit';
import { exerciseRoutes, scrapeMetrics, startApiSession, type ApiSession } from './api-session';
import {
  dashboardChecks,
  logChecks,
  metricChecks,
  pinChecks,
  promtoolChecks,
  ruleChecks,
  serviceMonitorChecks,
} from './static-checks';

describe('day 4 static: rules, dashboards, logs, pins', () => {
  registerChecks([...ruleChecks, ...dashboardChecks, ...logChecks, ...pinChecks], repoRoot);
});

localRuntimeTier('day 4 static: promtool check and test rules', ['promtool'], repoRoot, (tools) => {
  registerChecks(
    promtoolChecks(() => tools.promtool),
    repoRoot,
  );
});

localRuntimeTier(
  'day 4 static: ServiceMonitor rendered from the day 3 chart',
  ['helm'],
  repoRoot,
  (tools) => {
    registerChecks(
      serviceMonitorChecks(() => tools.helm),
      repoRoot,
    );
  },
);

// The metric names and labels in every query are compared with what the API really exports: the API runs on a
// real PostgreSQL and serves every route once, then /metrics is read. No list of metrics is kept by hand.
localRuntimeTier('day 4 static: queries against the real API /metrics', ['postgres'], repoRoot, () => {
  let session: ApiSession | undefined;
  let metricsText = '';
  beforeAll(async () => {
    session = await startApiSession(repoRoot);
    await exerciseRoutes(session.api.url);
    metricsText = await scrapeMetrics(session.api.url);
  });
  afterAll(async () => {
    await session?.stop();
    await stopAll();
  });
  registerChecks(
    metricChecks(() => metricsText),
    repoRoot,
  );
});
