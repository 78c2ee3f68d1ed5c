// How database failures are answered (issue 16): each must be a 4xx or a 503 with Retry-After, never a 500.
import { normalizeError } from '../src/errors';

const failure = (message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), fields);

describe('normalizeError for database failures', () => {
  it.each([
    ['node-postgres query_timeout', failure('Query read timeout'), 503, 'DB_TIMEOUT'],
    ['node-postgres connectionTimeoutMillis', failure('timeout expired'), 503, 'DB_UNAVAILABLE'],
    [
      'knex pool acquire timeout',
      failure('Knex: Timeout acquiring a connection. The pool is probably full.', {
        name: 'KnexTimeoutError',
      }),
      503,
      'DB_UNAVAILABLE',
    ],
    [
      'statement_timeout on the server',
      failure('canceling statement due to statement timeout', { code: '57014' }),
      503,
      'DB_UNAVAILABLE',
    ],
    [
      'a refused connection',
      failure('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }),
      503,
      'DB_UNAVAILABLE',
    ],
    [
      'a full disk',
      failure('could not extend file: No space left on device', { code: '53100' }),
      503,
      'DB_STORAGE_FULL',
    ],
    [
      'year 0 in a date',
      failure('date/time field value out of range', { code: '22008' }),
      400,
      'INVALID_VALUE',
    ],
    [
      'an int4 overflow',
      failure('value "2147483648" is out of range for type integer', { code: '22003' }),
      400,
      'INVALID_VALUE',
    ],
  ])('answers %s with %d %s', (_what, error, status, code) => {
    const answer = normalizeError(error);

    expect({ status: answer.status, code: answer.code }).toEqual({ status, code });
  });

  it('asks for a retry after 2 s on every 503 from the database', () => {
    for (const error of [
      failure('Query read timeout'),
      failure('timeout expired'),
      failure('x', { code: '53100' }),
    ])
      expect(normalizeError(error).extra.retryAfterSeconds).toBe(2);
  });

  it('says that the outcome of a timed-out write is unknown, and how to retry it safely', () => {
    expect(normalizeError(failure('Query read timeout')).message).toMatch(
      /may or may not have been applied.*Idempotency-Key/,
    );
  });

  it('keeps an unknown error an opaque 500', () => {
    expect(normalizeError(new Error('something else')).status).toBe(500);
  });
});
