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
    readonly extra: { errors?: readonly FieldError[]; current?: unknown } = {},
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

// SQLSTATE classes and driver errors that mean "the database is not there right now", not "your request is bad".
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '53300',
]);

/** True for connection failures, pool acquire timeouts and statement timeouts. */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: driver errors may come from another realm (jest's VM, worker threads).
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  if (name === 'KnexTimeoutError') return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Timeout acquiring a connection|Client has encountered a connection error|ECONNREFUSED/i.test(
      message,
    )
  );
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
  if (isDatabaseUnavailable(error))
    return new AppError('DB_UNAVAILABLE', 'The database is unavailable; try again shortly.', 503);
  return new AppError('INTERNAL', 'An unexpected error occurred.', 500);
}
