// Builds the Express app from its dependencies. Listening, signals and process exit live in server.ts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Config } from './config';
import type { Database } from './data/database';
import { createTaskRepository } from './data/task-repository';
import { AppError, normalizeError, toProblem } from './errors';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { useRequestLogger } from './request-logger';
import { infoRouter, probesRouter } from './routes/system';
import { tasksRouter } from './routes/tasks';
import { createHealthService, type Lifecycle } from './services/health';
import { createTaskService } from './services/tasks';

/** One year, subdomains included: helmet's default policy. */
const HSTS_POLICY = 'max-age=31536000; includeSubDomains';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Shared with server.ts, which flips it on SIGTERM. */
  lifecycle?: Lifecycle;
  /** Defaults to a fresh registry, so several apps can live in one test process. */
  metrics?: Metrics;
}

const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

function serveWebApp(app: Express, webDistDir: string): void {
  const indexHtml = path.join(webDistDir, 'index.html');
  app.use(
    express.static(webDistDir, {
      index: false,
      setHeaders(res, filePath) {
        (res as unknown as Response).locals.route = 'static';
        // Vite fingerprints everything under assets/, so a name never changes content: cache it for a year.
        const immutable = path.relative(webDistDir, filePath).split(path.sep)[0] === 'assets';
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  // History fallback: client-side routes (/tasks/123) get index.html; API paths and missing assets stay 404.
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/api' || req.path.startsWith('/api/') || req.path.startsWith('/assets/')) return next();
    res.locals.route = 'spa';
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml, (error) => {
      if (error) next(error);
    });
  });
}

export function createApp(deps: AppDeps): Express {
  const { config, db, logger } = deps;
  const lifecycle = deps.lifecycle ?? { shuttingDown: false };
  // METRICS_ENABLED=false: no registry, no timers on requests or queries, no /metrics route.
  const metrics = !config.metricsEnabled
    ? undefined
    : (deps.metrics ??
      createMetrics({
        version: config.appVersion,
        commit: config.gitCommit,
        poolStats: () => db.poolStats(),
      }));
  metrics?.instrumentDatabase(db);
  const service = createTaskService({
    repository: createTaskRepository(db),
    idempotencyKeyTtlSeconds: config.idempotencyKeyTtlSeconds,
    onTaskCreated: () => metrics?.tasksCreated.inc(),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  if (metrics) app.use(metrics.httpMiddleware);
  useRequestLogger(app, logger, quietPaths, { mode: config.accessLog, slowMs: config.accessLogSlowMs });
  app.use((_req, res, next) => {
    // Once shutdown has begun, tell keep-alive clients to reconnect elsewhere after this response.
    if (lifecycle.shuttingDown) res.setHeader('Connection', 'close');
    next();
  });
  app.use(
    helmet({
      // Sent below only over HTTPS: over plain HTTP browsers ignore HSTS, and it would mislead a reader.
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        directives: {
          // The Vite build is same-origin scripts and styles only; no inline script is emitted.
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          // Plain-HTTP deployments (compose, kind) must not have their asset requests rewritten to https.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.use((req, res, next) => {
    // req.secure is true for TLS here or, behind a trusted proxy, for X-Forwarded-Proto: https.
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS_POLICY);
    next();
  });

  const health = createHealthService(db, lifecycle);
  app.use(probesRouter(health, metrics));
  app.use('/api/tasks', tasksRouter(service, config.bodyLimit));
  app.use('/api', infoRouter(config, health, service));
  app.use('/api', (req, _res, next) =>
    next(new AppError('NOT_FOUND', `No API route for ${req.method} ${req.originalUrl.split('?')[0]}.`, 404)),
  );

  if (config.webDistDir && existsSync(path.join(config.webDistDir, 'index.html'))) {
    serveWebApp(app, config.webDistDir);
  } else if (config.webDistDir) {
    logger.info(
      { webDistDir: config.webDistDir },
      'no built web app found; serving the API only (run npm run build to add the UI)',
    );
  }

  app.use((req, _res, next) => next(new AppError('NOT_FOUND', `Nothing at ${req.method} ${req.path}.`, 404)));

  // The one error middleware: every failure leaves as problem+json; causes of 5xx are logged, never sent.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const appError = normalizeError(error);
    if (res.headersSent) return next(error);
    if (appError.status >= 500 && appError.code !== 'NOT_READY') {
      res.err = (typeof error === 'object' && error !== null ? error : new Error(String(error))) as Error;
    }
    if (appError.extra.retryAfterSeconds !== undefined)
      res.setHeader('Retry-After', String(appError.extra.retryAfterSeconds));
    if (appError.code === 'INVALID_VALUE')
      logger.warn({ err: error }, 'the database refused a value the request schema accepted (answered 400)');
    res.status(appError.status).type('application/problem+json').json(toProblem(appError));
  });

  return app;
}
