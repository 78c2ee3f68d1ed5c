// The one place tests choose their database: a fresh PostgreSQL database per test file when TEST_DATABASE_URL
// is set (an admin URL), else an in-memory PGlite. Every file gets its own, so jest workers never share state.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig, type Config } from '../../src/config';
import { createDatabase, type Database } from '../../src/data/database';

export const adminUrl = process.env.TEST_DATABASE_URL || undefined;
export const testDatabaseKind: 'postgres' | 'pglite' = adminUrl ? 'postgres' : 'pglite';

/** DB_TIMEOUT_MS for test databases: generous, because the test machine may be busy. */
export const STARTUP_TIMEOUT_MS = '30000';

export interface TestDatabase {
  readonly config: Config;
  readonly db: Database;
  /** The connection URL of this file's own database (PostgreSQL only). */
  readonly url?: string;
  cleanup(): Promise<void>;
}

/** Base environment for tests: quiet logs, no SPA, nothing from the developer's shell leaking in. */
export function testEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { LOG_LEVEL: 'silent', WEB_DIST_DIR: '', ...overrides };
}

async function withAdmin<T>(url: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates `taskboard_test_<random>` on the server behind `serverUrl` and returns its URL and a drop function. */
export async function createFreshPostgresDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `taskboard_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export async function createTestDatabase(
  options: { migrate?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<TestDatabase> {
  let url: string | undefined;
  let drop = async () => {};
  if (adminUrl) {
    ({ url, drop } = await createFreshPostgresDatabase(adminUrl));
  }
  // Start-up is not what these tests measure: on a busy machine PGlite's WASM start (and a PostgreSQL connection)
  // can outlast the 2 s default and fail with KnexTimeoutError. Tests of timeouts pass their own DB_TIMEOUT_MS.
  const generous = { DB_TIMEOUT_MS: STARTUP_TIMEOUT_MS };
  const config = loadConfig(
    testEnv(
      url
        ? { DATABASE_URL: url, ...generous, ...options.env }
        : { PGLITE_DATA_DIR: 'memory://', ...generous, ...options.env },
    ),
  );
  const db = createDatabase(config);
  // Start the engine now, under the generous timeout: a test's first request (a 1 s readiness ping, say) must
  // meet a running database, not PGlite's WASM start-up.
  await db.knex.raw('select 1');
  if (options.migrate !== false) await db.migrateLatest();
  return {
    config,
    db,
    url,
    async cleanup() {
      await db.close();
      await drop();
    },
  };
}
