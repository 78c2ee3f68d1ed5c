// Process entry point: config, logger, database, migrations, listen, and graceful shutdown on SIGTERM/SIGINT.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, describeDatabase, loadConfig, type Config } from './config';
import { createDatabase, type Database } from './data/database';
import { createTaskRepository } from './data/task-repository';
import { createLogger, type Logger } from './logger';
import { migrationNames } from './migrations';
import { seedDemoTasks } from './services/demo-seed';
import type { Lifecycle } from './services/health';
import { createTaskService } from './services/tasks';

/** Starts listening; resolves once the port is bound (port 0 picks a free one). */
export function listen(
  app: ReturnType<typeof createApp>,
  config: Pick<Config, 'port' | 'host'>,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

async function prepareDatabase(config: Config, db: Database, logger: Logger): Promise<void> {
  if (!config.migrateOnStart) return;
  const ran = await db.migrateLatest();
  logger.info({ migrations: ran }, ran.length > 0 ? 'migrations applied' : 'migrations already current');
  // A brand-new embedded database gets demo tasks, so `npm start` shows a populated board. Never on PostgreSQL.
  if (db.kind === 'pglite' && ran.includes(migrationNames[0] ?? '')) {
    const count = await seedDemoTasks(createTaskService({ repository: createTaskRepository(db) }));
    logger.info({ count }, 'new embedded database seeded with demo tasks');
  }
}

function shutdownOnSignals(
  server: Server,
  db: Database,
  lifecycle: Lifecycle,
  config: Config,
  logger: Logger,
): void {
  const shutdown = async (signal: NodeJS.Signals) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.shuttingDown = true;
    logger.info(
      { signal, delayMs: config.shutdownDelayMs, timeoutMs: config.shutdownTimeoutMs },
      'shutdown started; /readyz now answers 503',
    );
    const deadline = setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdownTimeoutMs },
        'shutdown timed out; closing remaining connections',
      );
      server.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();

    // Grace period: keep serving while load balancers notice the 503 and stop routing here, and answer with
    // Connection: close so keep-alive clients reconnect elsewhere instead of meeting a closed socket. Day 2 and 3
    // have no preStop hook; this delay is their preStop (5 s). SIGINT is a person at a terminal: no wait.
    if (signal === 'SIGTERM' && config.shutdownDelayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    // Stop accepting connections; in-flight requests finish, idle keep-alive sockets are closed now and as they go idle.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    server.on('request', (_req, res) =>
      res.once('finish', () => setImmediate(() => server.closeIdleConnections())),
    );
    const sweeper = setInterval(() => server.closeIdleConnections(), 250);
    await closed;
    clearInterval(sweeper);
    await db.close();
    clearTimeout(deadline);
    logger.info('shutdown complete');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  // once: a second Ctrl-C falls through to Node's default and ends a shutdown that is taking too long.
  process.once('SIGINT', (signal) => void shutdown(signal));
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems : [String(error)];
    createLogger({ level: 'info' }).fatal(
      { problems },
      error instanceof Error ? error.message : 'invalid configuration',
    );
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });

  if (config.databaseKind === 'pglite') {
    logger.info({ dataDir: config.pgliteDataDir }, 'no DATABASE_URL or PG* settings; using embedded PGlite');
  } else {
    logger.info({ database: describeDatabase(config) }, 'using PostgreSQL');
  }
  const db = createDatabase(config, logger);
  try {
    await prepareDatabase(config, db, logger);
  } catch (error) {
    logger.fatal({ err: error, database: describeDatabase(config) }, 'database preparation failed');
    await db.close().catch(() => undefined);
    process.exit(1);
  }

  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({ config, db, logger, lifecycle });
  let server: Server;
  try {
    server = await listen(app, config);
  } catch (error) {
    logger.fatal({ err: error, port: config.port, host: config.host }, 'cannot listen');
    process.exit(1);
  }
  shutdownOnSignals(server, db, lifecycle, config, logger);
  const { port } = server.address() as AddressInfo;
  logger.info(
    { port, host: config.host, database: db.kind, version: config.appVersion },
    `listening on http://${config.host}:${port}`,
  );
}

if (require.main === module) void main();
