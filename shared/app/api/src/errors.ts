// One error type for everything the API answers on purpose; the error middleware renders it as problem+json.
import { STATUS_CODES } from 'node:http';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `title` or `dueDate`; '' for the body as a whole. */
  readonly path: string;
  readonly message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly extra: {
      errors?: readonly FieldError[];
      current?: unknown;
      /** Sent as `Retry-After` (seconds): the failure is temporary and the same request may be sent again. */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(errors: readonly FieldError[], message = 'The request is invalid.'): AppError {
    return new AppError('VALIDATION_FAILED', message, 400, { errors });
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} was not found.`, 404);
  }
}

/** RFC 9457 body. `type` stays about:blank, so `title` is the HTTP status phrase and `code` is the stable key. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: readonly FieldError[];
  current?: unknown;
}

export function toProblem(error: AppError): ProblemBody {
  return {
    type: 'about:blank',
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.extra.errors ? { errors: error.extra.errors } : {}),
    ...(error.extra.current !== undefined ? { current: error.extra.current } : {}),
  };
}

/** Seconds a client should wait before retrying after a 503 from the database (sent as `Retry-After`). */
export const DB_RETRY_AFTER_SECONDS = 2;

// SQLSTATE classes and driver errors that mean "the database is not there right now", not "your request is bad".
// Almost always the statement never ran or the server aborted it (57014 is statement_timeout or a cancel; 57P0x
// a terminated session, whose transaction is rolled back). The exception is a connection lost in the instant
// between COMMIT and its answer; retries stay safe all the same (Idempotency-Key on POST, version on PATCH).
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '53300',
]);

function errorFields(error: unknown): { code?: unknown; name?: unknown; message?: unknown } {
  // Duck-typed, not `instanceof Error`: driver errors may come from another realm (jest's VM, worker threads).
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
}

/** True for connection failures, pool acquire timeouts, connect timeouts and server-side statement timeouts. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, name, message } = errorFields(error);
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  if (name === 'KnexTimeoutError') return true;
  return (
    typeof message === 'string' &&
    // `timeout expired` is node-postgres's connectionTimeoutMillis: the server accepted TCP but never answered;
    // `timeout exceeded when trying to connect` is pg.Pool's: every connection stayed busy for that long.
    /Connection terminated|connection timeout|timeout expired|timeout exceeded when trying to connect|Timeout acquiring a connection|Client has encountered a connection error|ECONNREFUSED/i.test(
      message,
    )
  );
}

/**
 * The client-side bound on a statement (the pool's statement watchdog in data/database.ts, and node-postgres's
 * query_timeout, which used the same message): the statement was sent and no answer came back in time (a frozen
 * or partitioned server). The server may still run and commit it later, so the outcome of a write is unknown.
 */
export function isDatabaseTimeout(error: unknown): boolean {
  const { message } = errorFields(error);
  return typeof message === 'string' && /Query read timeout/i.test(message);
}

/** SQLSTATE class 22 (data exception): a value the column type refuses, such as year 0 or an int4 overflow. */
export function isDataException(error: unknown): boolean {
  const { code } = errorFields(error);
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/** SQLSTATE 53100 disk_full: the database cannot write (typically the embedded database's volume is full). */
export function isStorageFull(error: unknown): boolean {
  return errorFields(error).code === '53100';
}

/** Maps anything thrown to an AppError; unknown errors become an opaque 500 (the cause is logged, never sent). */
export function normalizeError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const http = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: unknown;
    statusCode?: unknown;
    type?: unknown;
    expose?: unknown;
  };
  const status =
    typeof http.status === 'number'
      ? http.status
      : typeof http.statusCode === 'number'
        ? http.statusCode
        : undefined;
  // body-parser (express.json) errors carry a status and a stable `type`.
  if (http.type === 'entity.parse.failed') {
    return new AppError('INVALID_JSON', 'The request body is not valid JSON.', 400, {
      errors: [{ path: '', message: 'malformed JSON' }],
    });
  }
  if (http.type === 'entity.too.large')
    return new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than the server accepts.', 413);
  if (status === 415)
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json in UTF-8.', 415);
  if (status !== undefined && status >= 400 && status < 500) {
    const message = (error as { message?: unknown }).message;
    return new AppError(
      'BAD_REQUEST',
      http.expose === true && typeof message === 'string' ? message : 'The request could not be processed.',
      status,
    );
  }
  // The schemas reject every value the tasks table cannot store; this is the safety net for one they missed.
  if (isDataException(error))
    return new AppError(
      'INVALID_VALUE',
      'A value in the request is outside what the database can store (for example a date before year 1).',
      400,
    );
  const retry = { retryAfterSeconds: DB_RETRY_AFTER_SECONDS };
  if (isDatabaseTimeout(error))
    return new AppError(
      'DB_TIMEOUT',
      'The database did not answer in time; a write may or may not have been applied. Retry it: POST with the ' +
        'same Idempotency-Key, PATCH with the same version (a 409 whose current shows your change means it was applied).',
      503,
      retry,
    );
  if (isStorageFull(error))
    return new AppError(
      'DB_STORAGE_FULL',
      'The database has no space left to write; try again later.',
      503,
      retry,
    );
  if (isDatabaseUnavailable(error))
    return new AppError('DB_UNAVAILABLE', 'The database is unavailable; try again shortly.', 503, retry);
  return new AppError('INTERNAL', 'An unexpected error occurred.', 500);
}
