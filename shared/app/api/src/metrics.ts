// Every metric the API exports, each with help text and bounded labels. One registry per app instance.
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database, PoolStats } from './data/database';

/** Label for requests no route matched: raw URLs would make the series count unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface Metrics {
  readonly registry: Registry;
  readonly tasksCreated: Counter;
  /** Times every request and labels it with the route template recorded in res.locals.route. */
  httpMiddleware(req: Request, res: Response, next: NextFunction): void;
  /** Times every statement the database runs, labelled by operation (select, insert, update, delete, raw). */
  instrumentDatabase(db: Pick<Database, 'onQuery'>): void;
}

export interface MetricsOptions {
  version: string;
  commit: string;
  poolStats: () => PoolStats;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dbDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database query duration in seconds, by operation.',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const tasksCreated = new Counter({
    name: 'tasks_created_total',
    help: 'Tasks created since the process started.',
    registers: [registry],
  });
  const appInfo = new Gauge({
    name: 'app_info',
    help: 'Always 1; labels carry the running version and commit.',
    labelNames: ['version', 'commit'] as const,
    registers: [registry],
  });
  appInfo.set({ version: options.version, commit: options.commit }, 1);
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state: used, free, pending (waiting to acquire).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = options.poolStats();
      this.set({ state: 'used' }, stats.used);
      this.set({ state: 'free' }, stats.free);
      this.set({ state: 'pending' }, stats.pending);
    },
  });

  return {
    registry,
    tasksCreated,
    httpMiddleware(req, res, next) {
      const stop = httpDuration.startTimer();
      res.on('finish', () => {
        const route = typeof res.locals.route === 'string' ? res.locals.route : UNMATCHED_ROUTE;
        stop({
          method: knownMethods.has(req.method) ? req.method : 'OTHER',
          route,
          status_code: String(res.statusCode),
        });
      });
      next();
    },
    instrumentDatabase(db) {
      db.onQuery((operation, seconds) => dbDuration.observe({ operation }, seconds));
    },
  };
}

/** Route-level middleware: records the matched template (e.g. /api/tasks/:id) for the duration histogram. */
export function labelRoute(req: Request, res: Response, next: NextFunction): void {
  const template = `${req.baseUrl}${typeof req.route?.path === 'string' ? req.route.path : ''}`;
  res.locals.route = template.length > 1 ? template.replace(/\/$/, '') : template || '/';
  next();
}
