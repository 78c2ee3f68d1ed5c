// Chooses PostgreSQL (pg pool) or embedded PGlite from the config and owns the knex instance.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { describeDatabase, type Config } from '../config';
import { isDatabaseTimeout, isDatabaseUnavailable, isStorageFull } from '../errors';
import type { Logger } from '../logger';
import { migrationNames, migrationSource } from '../migrations';

type PgliteClient = typeof import('knex-pglite');

export type DatabaseKind = 'postgres' | 'pglite';

export interface PoolStats {
  used: number;
  free: number;
  pending: number;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** Operation label of a statement in db_query_duration_seconds. */
export type StatementOperation = 'select' | 'insert' | 'update' | 'delete' | 'raw' | 'other';

/**
 * A hot statement compiled once by knex (issue 20): `native` ($1, $2 ...) goes straight to the pg pool, `positional`
 * (?) through knex.raw (PGlite, transactions). Both are the text knex's builder sends, so pg_stat_statements, the
 * bench's same-SQL check and the per-operation metric labels see no difference.
 */
export interface PreparedStatement {
  readonly operation: StatementOperation;
  readonly native: string;
  readonly positional: string;
}

/** Receives the duration of every statement, knex's and the prepared ones alike. */
export type QueryListener = (operation: StatementOperation, seconds: number) => void;

export interface Database {
  readonly kind: DatabaseKind;
  readonly knex: Knex;
  /** Compiles `query` once; its bindings at run time must come in the order knex puts them (`toSQL().bindings`). */
  prepare(operation: StatementOperation, query: Knex.QueryBuilder): PreparedStatement;
  /** Runs a prepared statement without knex's builder, compiler or runner; resolves its rows. */
  run<T>(statement: PreparedStatement, bindings: readonly unknown[]): Promise<T[]>;
  /** Times every statement from now on (the metrics' db_query_duration_seconds). */
  onQuery(listener: QueryListener): void;
  /** Resolves true when a trivial query answers within `timeoutMs`; never rejects, never waits longer. */
  ping(timeoutMs: number): Promise<boolean>;
  /** Compares knex_migrations with the compiled migration list without creating any table (unlike knex's helpers). */
  migrationStatus(): Promise<MigrationStatus>;
  /** Applies pending migrations; returns the names it ran. */
  migrateLatest(): Promise<string[]>;
  rollback(): Promise<string[]>;
  poolStats(): PoolStats;
  /** True while a write failed for lack of disk space (SQLSTATE 53100) within the last STORAGE_FULL_WINDOW_MS. */
  storageFull(): boolean;
  close(): Promise<void>;
}

/** How long one "disk full" error keeps readiness at 503: long enough for a load balancer to notice. */
export const STORAGE_FULL_WINDOW_MS = 30_000;

const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' };

function postgresConnection(config: Config): Knex.PgConnectionConfig {
  const connection: Knex.PgConnectionConfig & Record<string, unknown> = {
    application_name: 'taskboard-api',
    // An outage must surface as a fast 503, not a hung request: bound connect, statement and round trip.
    connectionTimeoutMillis: config.dbTimeoutMs,
    // Sent in the startup message, so it is a session setting of every pooled connection: the server cancels a
    // statement that runs longer (57014, answered 503) and rolls its write back.
    statement_timeout: config.dbTimeoutMs,
    // No query_timeout (issue 20): its timer per query kept every query and its rows alive past the young
    // generation. watchStatements() below is the client-side bound instead, one timer for the whole pool.
    // A session left inside a transaction by a vanished client must not hold its locks for long.
    idle_in_transaction_session_timeout: config.dbTimeoutMs * 5,
    // Probes an idle connection after 10 s of silence, so a peer that vanished (host gone, packets dropped) is
    // found before a request draws that connection from the pool. It cannot see a wedged path whose near end
    // still acknowledges (a stalled proxy or NAT, a frozen server): that is the statement bound's job.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  if (config.databaseUrl) connection.connectionString = config.databaseUrl;
  if (config.pgHost) connection.host = config.pgHost;
  if (config.pgPort) connection.port = config.pgPort;
  if (config.pgUser) connection.user = config.pgUser;
  if (config.pgPasswordFile) {
    // pg calls this for every new connection: after a rotation (the CSI driver rewrites the mounted file) new
    // connections authenticate with the new password while open ones keep their session. No restart needed.
    const file = config.pgPasswordFile;
    connection.password = async () => (await readFile(file, 'utf8')).trim();
  } else if (config.pgPassword) connection.password = config.pgPassword;
  if (config.pgDatabase) connection.database = config.pgDatabase;
  if (config.pgSslMode === 'disable') connection.ssl = false;
  else if (config.pgSslMode) connection.ssl = { rejectUnauthorized: config.pgSslMode === 'verify-full' };
  return connection;
}

/** knex reports pool and connection trouble through this hook; by default it would console.log. */
function knexLog(logger: Logger | undefined): Knex.Config['log'] {
  const log = logger?.child({ component: 'knex' });
  return {
    warn: (message: unknown) => log?.warn({ detail: String(message) }, 'knex warning'),
    error: (message: unknown) => log?.error({ detail: String(message) }, 'knex error'),
    deprecate: (method: string, alternative: string) =>
      log?.warn({ method, alternative }, 'knex deprecation'),
    debug: (message: unknown) => log?.debug({ detail: message }, 'knex debug'),
  };
}

/** How much longer than DB_TIMEOUT_MS (the server's statement_timeout) the API waits for a statement's answer. */
export const STATEMENT_BOUND_GRACE_MS = 1000;

/**
 * The client-side bound on a statement in flight, for when the server cannot run its own statement_timeout or
 * its answer cannot arrive: a frozen server, or a silent partition (no FIN, no RST, and a near end that still
 * acknowledges, so TCP keepalive sees nothing). node-postgres's query_timeout did this with one timer per query,
 * which kept each query and its rows alive until it fired or was cleared (issue 20: 12.8 KB per request surviving
 * the young generation). Here one timer per pool samples each connection's statement in flight: a statement
 * still running `boundMs` after it was first seen fails with "Query read timeout" (answered 503 DB_TIMEOUT with
 * Retry-After: the outcome is unknown, the server may still run it), and its connection is destroyed, so nothing
 * is ever queued behind it. A statement is failed between `boundMs` and `boundMs + tick` after it started.
 */
function watchStatements(pool: pg.Pool, boundMs: number): () => void {
  type Watched = pg.PoolClient & {
    _activeQuery?: unknown;
    connection?: { stream?: { destroy(error: Error): void } };
  };
  const clients = new Set<Watched>();
  const seen = new Map<Watched, { query: unknown; at: number }>();
  pool.on('connect', (client) => clients.add(client as Watched));
  pool.on('remove', (client) => {
    clients.delete(client as Watched);
    seen.delete(client as Watched);
  });
  const tickMs = Math.max(10, Math.min(250, Math.floor(boundMs / 8)));
  const timer = setInterval(() => {
    const now = performance.now();
    for (const client of clients) {
      const query = client._activeQuery;
      const entry = seen.get(client);
      if (!query) {
        if (entry) seen.delete(client);
      } else if (entry?.query !== query) {
        seen.set(client, { query, at: now });
      } else if (now - entry.at >= boundMs) {
        seen.delete(client);
        client.connection?.stream?.destroy(
          new Error(`Query read timeout: no answer from the database within ${boundMs} ms`),
        );
      }
    }
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The one PostgreSQL pool (issue 20): knex borrows its connections for transactions, migrations and the cold
 * queries, and the hot statements run on it directly, so there is one set of connections, one bound (DB_POOL_MAX)
 * and one acquire queue instead of knex's tarn pool in front of its own timers.
 */
function createPgPool(config: Config, logger: Logger | undefined): pg.Pool {
  const pool = new pg.Pool({
    ...(postgresConnection(config) as pg.PoolConfig),
    min: 0,
    max: config.dbPoolMax,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that breaks (server restart, network) is dropped by the pool, which then emits 'error':
  // without a listener that would crash the process. The next checkout opens a fresh connection.
  const log = logger?.child({ component: 'pg-pool' });
  pool.on('error', (error) => log?.warn({ err: error }, 'a database connection failed; dropped'));
  // A connection that breaks while checked out (by knex, which adds no listener of its own to a shared pool's
  // connections) emits 'error' on the client: unhandled, that would crash the process. The statement in flight
  // already fails with that error (and its request answers 503), and the pool drops the connection on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

function createKnex(config: Config, logger: Logger | undefined, pool: pg.Pool | undefined): Knex {
  if (pool) {
    const knex = knexFactory({ log: knexLog(logger), client: 'pg', connectionPool: pool });
    // A connection that is not idle (a statement still in flight, a transaction whose ROLLBACK failed) would run
    // the next request's statements behind it, or inside it. Only an idle connection goes back to the pool; any
    // other is destroyed on release. (pool.query does the same
    // for the hot statements: it releases a connection whose query failed with the error, which destroys it.)
    const adapter = (knex.client as { pool: { release(connection: unknown): boolean } }).pool;
    const release = adapter.release.bind(adapter);
    adapter.release = (connection: unknown) => {
      const client = connection as { readyForQuery?: boolean; _ending?: boolean; __knex__disposed?: unknown };
      if (client.readyForQuery !== true || client._ending === true) client.__knex__disposed ??= 'not idle';
      return release(connection);
    };
    return knex;
  }
  const ClientPgLite = loadPgliteClient();
  const inMemory = config.pgliteDataDir.startsWith('memory://');
  if (!inMemory) assertWritableDirectory(config.pgliteDataDir);
  // knex-pglite fixes the pool at one connection: PGlite is a single-user database in this process.
  return knexFactory({
    log: knexLog(logger),
    client: ClientPgLite,
    connection: inMemory ? {} : { filename: config.pgliteDataDir },
    acquireConnectionTimeout: config.dbTimeoutMs,
  });
}

/**
 * PGlite reports an unwritable data directory only as "PGlite failed to initialize properly". Creating the
 * directory and writing a probe file first turns that into a message that names the directory and the OS error.
 */
function assertWritableDirectory(dir: string): void {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new Error(
      `the embedded database directory ${dir} is not writable (${code ?? 'error'}: ${message}). ` +
        'Make it writable by this user, or set PGLITE_DATA_DIR to a writable directory (memory:// keeps no data).',
      { cause: error },
    );
  }
}

/**
 * One line for a failure to reach the database, naming where it was looked for: "cannot connect to PostgreSQL at
 * db:5432/taskboard: no answer within 2000 ms (DB_TIMEOUT_MS)" instead of knex's "the pool is probably full".
 * Errors that are not about reaching the database are returned unchanged.
 */
export function explainDatabaseError(error: unknown, config: Config): unknown {
  if (!isDatabaseUnavailable(error) && !isDatabaseTimeout(error)) return error;
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  const text = String(message ?? error);
  let reason: string;
  if (code === 'ECONNREFUSED')
    reason = 'connection refused (is the server running and listening on that port?)';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = 'the host name does not resolve';
  else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') reason = 'the host is unreachable';
  else if (
    name === 'KnexTimeoutError' ||
    /timeout expired|connection timeout|timeout exceeded when trying to connect|Query read timeout/i.test(
      text,
    )
  )
    reason =
      `no answer within ${config.dbTimeoutMs} ms (DB_TIMEOUT_MS): the server accepted the connection but never ` +
      'replied, or a firewall drops the packets';
  else reason = text;
  return new Error(`cannot connect to ${describeDatabase(config)}: ${reason}`, { cause: error });
}

/**
 * PGlite is an optional dependency: `npm install` brings it for laptops, while the production image is built with
 * `--omit=optional` and must be given PostgreSQL. Loading it lazily lets that image start without it.
 */
export function loadPgliteClient(): PgliteClient {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when PGlite is selected
    const loaded = require('knex-pglite') as PgliteClient | { default: PgliteClient };
    // The package assigns module.exports; a transpiled copy (jest) exposes it as .default.
    return 'default' in loaded ? loaded.default : loaded;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      'no DATABASE_URL or PG* variable is set, and the embedded PGlite database is not installed ' +
        '(this build omitted optional dependencies). Set DATABASE_URL (or PGHOST, PGUSER, PGPASSWORD, PGDATABASE) ' +
        'to a PostgreSQL server.',
      { cause: error },
    );
  }
}

function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Duration listeners fed from knex's query events; prepared statements run through knex.raw keep their label. */
function timeKnexQueries(
  knex: Knex,
  listeners: QueryListener[],
  operations: ReadonlyMap<string, StatementOperation>,
): void {
  const started = new Map<string, { operation: StatementOperation; at: number }>();
  const finish = (data: { __knexQueryUid?: string }) => {
    const uid = data.__knexQueryUid;
    const start = uid === undefined ? undefined : started.get(uid);
    if (!start || uid === undefined) return;
    started.delete(uid);
    const seconds = (performance.now() - start.at) / 1000;
    for (const listener of listeners) listener(start.operation, seconds);
  };
  knex.on('query', (data: { __knexQueryUid?: string; method?: string; sql?: string }) => {
    if (!data.__knexQueryUid || listeners.length === 0) return;
    const operation =
      (data.sql !== undefined ? operations.get(data.sql) : undefined) ?? operationOf(data.method);
    started.set(data.__knexQueryUid, { operation, at: performance.now() });
  });
  knex.on('query-response', (_response: unknown, data: { __knexQueryUid?: string }) => finish(data));
  knex.on('query-error', (_error: unknown, data: { __knexQueryUid?: string }) => finish(data));
}

function operationOf(method: unknown): StatementOperation {
  switch (method) {
    case 'select':
    case 'first':
    case 'pluck':
      return 'select';
    case 'insert':
    case 'update':
    case 'raw':
      return method;
    case 'del':
    case 'delete':
      return 'delete';
    default:
      return 'other';
  }
}

/** `logger` receives knex's own warnings (connection errors, pool trouble); without one they are dropped. */
export function createDatabase(config: Config, logger?: Logger): Database {
  const pool = config.databaseKind === 'postgres' ? createPgPool(config, logger) : undefined;
  const knex = createKnex(config, logger, pool);
  const unwatch = pool && watchStatements(pool, config.dbTimeoutMs + STATEMENT_BOUND_GRACE_MS);
  let storageFullAt = Number.NEGATIVE_INFINITY;
  knex.on('query-error', (error: unknown) => {
    if (isStorageFull(error)) storageFullAt = Date.now();
  });
  const listeners: QueryListener[] = [];
  const preparedOperations = new Map<string, StatementOperation>();
  timeKnexQueries(knex, listeners, preparedOperations);

  const runOnPool = async <T>(
    onPool: pg.Pool,
    statement: PreparedStatement,
    bindings: readonly unknown[],
  ): Promise<T[]> => {
    const startedAt = listeners.length > 0 ? performance.now() : 0;
    try {
      const result = await onPool.query(statement.native, bindings as unknown[]);
      return result.rows as T[];
    } catch (error) {
      if (isStorageFull(error)) storageFullAt = Date.now();
      throw error;
    } finally {
      if (listeners.length > 0) {
        const seconds = (performance.now() - startedAt) / 1000;
        for (const listener of listeners) listener(statement.operation, seconds);
      }
    }
  };

  return {
    kind: config.databaseKind,
    knex,
    prepare(operation, query) {
      const positional = query.toSQL().sql;
      const statement = { operation, native: query.toSQL().toNative().sql, positional };
      // knex reports a raw query by the text it sends, which its pg dialects number ($1) first.
      preparedOperations.set(positional, operation).set(statement.native, operation);
      return statement;
    },
    run<T>(statement: PreparedStatement, bindings: readonly unknown[]): Promise<T[]> {
      if (pool) return runOnPool<T>(pool, statement, bindings);
      return knex
        .raw(statement.positional, bindings as Knex.RawBinding[])
        .then((result) => rowsOf<T>(result));
    },
    onQuery(listener) {
      listeners.push(listener);
    },
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const query = knex.raw('select 1').then(
        () => true,
        () => false,
      );
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async migrationStatus() {
      const table = rowsOf<{ name: string | null }>(
        await knex.raw("select to_regclass('knex_migrations')::text as name"),
      );
      const applied =
        table[0]?.name == null
          ? []
          : (await knex('knex_migrations').select<{ name: string }[]>('name').orderBy('id')).map(
              (row) => row.name,
            );
      const done = new Set(applied);
      return { applied, pending: migrationNames.filter((name) => !done.has(name)) };
    },
    async migrateLatest() {
      const [, ran] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
      return ran;
    },
    async rollback() {
      const [, ran] = (await knex.migrate.rollback(migrationConfig)) as [number, string[]];
      return ran;
    },
    poolStats() {
      if (pool) {
        return { used: pool.totalCount - pool.idleCount, free: pool.idleCount, pending: pool.waitingCount };
      }
      // tarn's pool (PGlite) exists once knex has initialised; report zeros before that.
      const tarn = (
        knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }
      ).pool;
      if (!tarn) return { used: 0, free: 0, pending: 0 };
      return { used: tarn.numUsed(), free: tarn.numFree(), pending: tarn.numPendingAcquires() };
    },
    storageFull() {
      return Date.now() - storageFullAt < STORAGE_FULL_WINDOW_MS;
    },
    async close() {
      await knex.destroy();
      // knex does not own the pg pool: end it here, after knex has returned its connections.
      unwatch?.();
      await pool?.end();
    },
  };
}
