// Request ids and the one completion line per request. Replaces pino-http, which built two child loggers and
// serialised every request (headers through redaction) before the handler ran, even with logging off.
import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import pino, { type Level } from 'pino';
import type { Logger } from './logger';

declare module 'http' {
  interface IncomingMessage {
    /** The request id: a well-formed incoming X-Request-Id, or a fresh UUID. */
    id: string;
    /** A child logger binding `reqId`, created on first use. */
    log: Logger;
  }
  interface ServerResponse {
    /** The cause of a 5xx, set by the error middleware so the completion line can carry it. */
    err?: Error | undefined;
  }
}

const requestIdPattern = /^[\w.:@/+=-]{1,128}$/;

/** Honours a well-formed incoming X-Request-Id (a proxy's or the caller's) and echoes it; otherwise mints one. */
function requestId(req: Request, res: Response): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

function levelFor(statusCode: number, error: Error | undefined): Level {
  return error || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/**
 * Installs request ids, a lazy `req.log` and the completion line on `app`. The line keeps pino-http's shape
 * (reqId, req, res.statusCode, responseTime, err on failures) because the log pipeline parses it.
 */
export function useRequestLogger(app: Express, logger: Logger, quietPaths: ReadonlySet<string>): void {
  // Handler logs carry just reqId. The getter lives on the app's request prototype, so a request that never logs
  // never builds a child logger.
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      const child = logger.child({ reqId: this.id });
      Object.defineProperty(this, 'log', { value: child, writable: true, configurable: true });
      return child;
    },
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    req.id = requestId(req, res);
    if (quietPaths.has(req.url)) return next();

    const startedAt = Date.now();
    // The params this middleware sees (always empty at app level), as pino-http logged them: routers replace
    // req.params later, and whether theirs survive until 'finish' depends on how the request ended.
    const params = req.params;
    const complete = (error?: Error): void => {
      res.removeListener('close', complete);
      res.removeListener('finish', complete);
      res.removeListener('error', complete);
      const failure = error ?? res.err;
      const level = levelFor(res.statusCode, failure);
      // Below the configured level nothing is serialised at all.
      if (!logger.isLevelEnabled(level)) return;
      const base = {
        reqId: req.id,
        req: { ...pino.stdSerializers.req(req), params },
        res: { statusCode: res.statusCode },
      };
      const responseTime = Date.now() - startedAt;
      if (failure || res.statusCode >= 500) {
        const err = failure ?? new Error(`failed with status code ${res.statusCode}`);
        logger[level]({ ...base, err, responseTime }, 'request errored');
      } else {
        logger[level]({ ...base, responseTime }, 'request completed');
      }
    };
    res.on('close', complete);
    res.on('finish', complete);
    res.on('error', complete);
    next();
  });
}
