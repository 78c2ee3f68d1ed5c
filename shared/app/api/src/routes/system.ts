// Probes, metrics and the info/stats endpoints: what operators and the course's verify suites look at.
import os from 'node:os';
import { Router } from 'express';
import type { Config } from '../config';
import { AppError } from '../errors';
import { labelRoute, type Metrics } from '../metrics';
import type { HealthService } from '../services/health';
import type { TaskService } from '../services/tasks';

/** Without `metrics` (METRICS_ENABLED=false) there is no /metrics route: it answers the usual 404. */
export function probesRouter(health: HealthService, metrics: Metrics | undefined): Router {
  const router = Router();

  router.get('/healthz', labelRoute, (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', labelRoute, async (_req, res) => {
    const readiness = await health.readiness();
    if (!readiness.ready) throw new AppError('NOT_READY', readiness.reason, 503);
    res.json({ status: 'ready' });
  });

  if (metrics) {
    router.get('/metrics', labelRoute, async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }

  return router;
}

export function infoRouter(config: Config, health: HealthService, service: TaskService): Router {
  const router = Router();

  router.get('/info', labelRoute, async (_req, res) => {
    // One bounded ping first, so a database outage costs one timeout here, not two.
    const up = await health.databaseUp();
    const readiness = up ? await health.readiness() : { ready: false };
    res.json({
      name: 'taskboard-api',
      version: config.appVersion,
      commit: config.gitCommit,
      hostname: os.hostname(),
      uptimeSeconds: Math.round(process.uptime()),
      node: process.version,
      database: { kind: health.databaseKind, status: up ? 'up' : 'down' },
      ready: readiness.ready,
    });
  });

  router.get('/stats', labelRoute, async (_req, res) => {
    res.json(await service.stats());
  });

  return router;
}
