// Probes, metrics and the info/stats endpoints: what operators and the course's verify suites look at.
import os from 'node:os';
import { Router } from 'express';
import type { Config } from '../config';
import type { Database } from '../data/database';
import { AppError } from '../errors';
import { labelRoute, type Metrics } from '../metrics';
import { checkReadiness, type Lifecycle } from '../services/health';
import type { TaskService } from '../services/tasks';

export function probesRouter(db: Database, lifecycle: Lifecycle, metrics: Metrics): Router {
  const router = Router();

  router.get('/healthz', labelRoute, (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', labelRoute, async (_req, res) => {
    const readiness = await checkReadiness(db, lifecycle);
    if (!readiness.ready) throw new AppError('NOT_READY', readiness.reason, 503);
    res.json({ status: 'ready' });
  });

  router.get('/metrics', labelRoute, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}

export function infoRouter(config: Config, db: Database, lifecycle: Lifecycle, service: TaskService): Router {
  const router = Router();

  router.get('/info', labelRoute, async (_req, res) => {
    const readiness = await checkReadiness(db, lifecycle);
    const up = readiness.ready || (await db.ping(500));
    res.json({
      name: 'taskboard-api',
      version: config.appVersion,
      commit: config.gitCommit,
      hostname: os.hostname(),
      uptimeSeconds: Math.round(process.uptime()),
      node: process.version,
      database: { kind: db.kind, status: up ? 'up' : 'down' },
      ready: readiness.ready,
    });
  });

  router.get('/stats', labelRoute, async (_req, res) => {
    res.json(await service.stats());
  });

  return router;
}
