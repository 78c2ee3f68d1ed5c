// Probes, metrics and the info/stats endpoints: what operators and the course's verify suites look at.
import { BlockList, isIPv4 } from 'node:net';
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

/** Loopback, private (RFC 1918, IPv6 ULA) and link-local ranges: the cluster, the compose network, a laptop. */
const privateNetworks = new BlockList();
for (const [network, prefix] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
] as const)
  privateNetworks.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  privateNetworks.addSubnet(network, prefix, 'ipv6');

/**
 * Whether the client (req.ip, which honours TRUST_PROXY) is on a private network. The host name and the exact
 * Node version help an attacker pick an exploit, so /api/info shows them only to clients inside the deployment
 * (the course's labs read the host name to see which pod answered), never to the internet.
 */
export function isPrivateClient(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return isIPv4(v4) ? privateNetworks.check(v4, 'ipv4') : privateNetworks.check(ip, 'ipv6');
}

export function infoRouter(config: Config, health: HealthService, service: TaskService): Router {
  const router = Router();

  router.get('/info', labelRoute, async (req, res) => {
    // One bounded ping first, so a database outage costs one timeout here, not two.
    const up = await health.databaseUp();
    const readiness = up ? await health.readiness() : { ready: false };
    res.json({
      name: 'taskboard-api',
      version: config.appVersion,
      commit: config.gitCommit,
      ...(isPrivateClient(req.ip) ? { hostname: os.hostname() } : {}),
      uptimeSeconds: Math.round(process.uptime()),
      ...(isPrivateClient(req.ip) ? { node: process.version } : {}),
      database: { kind: health.databaseKind, status: up ? 'up' : 'down' },
      ready: readiness.ready,
    });
  });

  router.get('/stats', labelRoute, async (_req, res) => {
    res.json(await service.stats());
  });

  return router;
}
