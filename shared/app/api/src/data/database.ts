// Chooses PostgreSQL (pg pool) or embedded PGlite from the config and owns the knex instance.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import knexFactory, { type Knex } from 'knex';
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

export interface Database {
  readonly kind: DatabaseKind;
  readonly knex: Knex;
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
    // Kept although it costs one timer per query (issue 20): it is the only bound when the server cannot run its
    // own timer (frozen, partitioned). The query may still run when the server resumes, so this 503 says the
    // outcome is unknown (DB_TIMEOUT) and the pool's validate below never hands that connection out again.
    query_timeout: config.dbTimeoutMs + 1000,
    // A session left inside a transaction by a vanished client must not hold its locks for long.
    idle_in_transaction_session_timeout: config.dbTimeoutMs * 5,
    keepAlive: true,
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

function createKnex(config: Config, logger: Logger | undefined): Knex {
  if (config.databaseKind === 'postgres') {
    return knexFactory({
      log: knexLog(logger),
      client: 'pg',
      connection: postgresConnection(config),
      pool: {
        min: 0,
        max: config.dbPoolMax,
        idleTimeoutMillis: 30_000,
        // After a query read timeout the connection still has that query in flight (and may be inside a
        // transaction whose ROLLBACK timed out too): reusing it would run the next request's statements behind it,
        // or inside it. Only an idle connection is handed out; tarn destroys the others.
        validate: (connection: { readyForQuery?: boolean; _ending?: boolean }) =>
          connection.readyForQuery === true && connection._ending !== true,
      },
      // Half a second beyond the connect timeout, so a server that accepts TCP and never answers is reported by
      // the driver's own error ("timeout expired": cannot connect) rather than knex's "pool is probably full".
      acquireConnectionTimeout: config.dbTimeoutMs + 500,
    });
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
  else if (name === 'KnexTimeoutError' || /timeout expired|connection timeout|Query read timeout/i.test(text))
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

/** `logger` receives knex's own warnings (connection errors, pool trouble); without one they are dropped. */
export function createDatabase(config: Config, logger?: Logger): Database {
  const knex = createKnex(config, logger);
  let storageFullAt = Number.NEGATIVE_INFINITY;
  knex.on('query-error', (error: unknown) => {
    if (isStorageFull(error)) storageFullAt = Date.now();
  });
  return {
    kind: config.databaseKind,
    knex,
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
      // tarn's pool exists once knex has initialised; report zeros before that.
      const pool = (
        knex.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }
      ).pool;
      if (!pool) return { used: 0, free: 0, pending: 0 };
      return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires() };
    },
    storageFull() {
      return Date.now() - storageFullAt < STORAGE_FULL_WINDOW_MS;
    },
    async close() {
      await knex.destroy();
    },
  };
}
