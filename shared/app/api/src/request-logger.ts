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

/** Which completed requests get a line: every one, or only failures (4xx, 5xx) and those slower than a bound. */
export type AccessLogMode = 'all' | 'errors-and-slow';

export interface AccessLogOptions {
  readonly mode: AccessLogMode;
  /** With `errors-and-slow`: a 2xx or 3xx answered in at least this many milliseconds is still logged. */
  readonly slowMs: number;
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
 * Installs request ids, a lazy `req.log` and the completion line on `app`. The line keeps pino-http's field names
 * (reqId, req.id, req.method, req.url, res.statusCode, responseTime, err on failures), which the log pipeline parses.
 * A success or client error carries only the access fields (issue 20: serialising every header, the query and the
 * params through the redaction paths cost a tenth of the API's CPU); a 5xx carries the whole request, headers
 * included, through the full redaction.
 */
export function useRequestLogger(
  app: Express,
  logger: Logger,
  quietPaths: ReadonlySet<string>,
  access: AccessLogOptions = { mode: 'all', slowMs: 1000 },
): void {
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
  const everyRequest = access.mode === 'all';

  app.use((req: Request, res: Response, next: NextFunction) => {
    req.id = requestId(req, res);
    if (quietPaths.has(req.url)) return next();

    const startedAt = performance.now();
    const complete = (error?: Error): void => {
      res.removeListener('close', complete);
      res.removeListener('finish', complete);
      res.removeListener('error', complete);
      const failure = error ?? res.err;
      const level = levelFor(res.statusCode, failure);
      // Below the configured level nothing is serialised at all.
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Math.round((performance.now() - startedAt) * 1000) / 1000;
      if (level === 'error') {
        const err = failure ?? new Error(`failed with status code ${res.statusCode}`);
        logger.error(
          {
            reqId: req.id,
            req: pino.stdSerializers.req(req),
            res: { statusCode: res.statusCode },
            err,
            responseTime,
          },
          'request errored',
        );
        return;
      }
      if (!everyRequest && level === 'info' && responseTime < access.slowMs) return;
      logger[level](
        {
          reqId: req.id,
          req: {
            id: req.id,
            method: req.method,
            url: req.originalUrl,
            remoteAddress: req.socket.remoteAddress,
            userAgent: req.headers['user-agent'],
          },
          res: { statusCode: res.statusCode },
          responseTime,
        },
        'request completed',
      );
    };
    res.on('close', complete);
    res.on('finish', complete);
    res.on('error', complete);
    next();
  });
}
