// The bench's database: a throwaway PostgreSQL (testkit) with pg_stat_statements, the API's migrations,
// 10,000 seeded tasks and one login role per server, so statement statistics tell the servers apart.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '@taskboard/testkit';

const run = promisify(execFile);

export interface BenchDatabase {
  readonly postgres: TestPostgres;
  /** Superuser URL of the bench database (migrations, ceiling, statistics). */
  readonly adminUrl: string;
  /** Login URL of the role the API servers use. */
  readonly apiUrl: string;
  /** Login URL of the role the bare baseline uses. */
  readonly baselineUrl: string;
  readonly serverVersion: string;
  /** Seeded task ids in random order, for GET /api/tasks/:id. */
  readonly ids: string[];
}

export async function prepareBenchDatabase(repoRoot: string, seededTasks: number): Promise<BenchDatabase> {
  const postgres = await startTestPostgres();
  try {
    const query = async (url: string, ...statements: string[]) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const results = [];
        for (const statement of statements) results.push(await client.query(statement));
        return results;
      } finally {
        await client.end();
      }
    };
    // pg_stat_statements must be preloaded: set it, then restart the throwaway server.
    await query(postgres.url, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
    await postgres.stop();
    await postgres.start();
    await query(postgres.url, 'CREATE DATABASE taskboard_bench');

    const urlFor = (user?: string) => {
      const url = new URL(postgres.url);
      if (user) {
        url.username = user;
        url.password = `${user}-password`;
      }
      url.pathname = '/taskboard_bench';
      return url.toString();
    };
    const adminUrl = urlFor();
    await run(process.execPath, [path.join(repoRoot, 'shared/app/api/dist/cli/migrate.js')], {
      env: { PATH: process.env.PATH, HOME: os.tmpdir(), DATABASE_URL: adminUrl },
    });
    const roles = ['taskboard_api', 'bench_baseline'];
    const results = await query(
      adminUrl,
      'SHOW server_version',
      'CREATE EXTENSION pg_stat_statements',
      ...roles.flatMap((role) => [
        `CREATE ROLE ${role} LOGIN PASSWORD '${role}-password'`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
      ]),
      `INSERT INTO tasks (id, title, description, status, priority, due_date, version, created_at, updated_at)
       SELECT gen_random_uuid(), 'Seeded task ' || i, 'Seeded for the benchmark, row ' || i,
              (ARRAY['todo', 'in_progress', 'done'])[1 + i % 3], (ARRAY['low', 'medium', 'high'])[1 + i % 3],
              CASE WHEN i % 4 = 0 THEN date '2027-01-01' + i % 365 END, 1,
              now() - make_interval(secs => i), now() - make_interval(secs => i)
         FROM generate_series(1, ${seededTasks}) AS i`,
      'ANALYZE tasks',
      'SELECT id FROM tasks ORDER BY random() LIMIT 500',
      'SELECT pg_stat_statements_reset()',
    );
    const version = (results[0]?.rows[0] as { server_version?: string } | undefined)?.server_version;
    const ids = (results.at(-2)?.rows ?? []).map((row) => (row as { id: string }).id);
    return {
      postgres,
      adminUrl,
      apiUrl: urlFor('taskboard_api'),
      baselineUrl: urlFor('bench_baseline'),
      serverVersion: version ?? 'unknown',
      ids,
    };
  } catch (error) {
    await postgres.destroy();
    throw error;
  }
}
