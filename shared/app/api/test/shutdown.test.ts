import { Client } from 'pg';
import {
  freePort,
  startTestPostgres,
  waitFor,
  type RunningProcess,
  type TestPostgres,
} from '@taskboard/testkit';
import { adminUrl, createFreshPostgresDatabase } from './helpers/database';
import { assertServerBuilt, describeWithPostgresServer, startBuiltServer } from './helpers/postgres-server';

// The real process (node dist/server.js) on real PostgreSQL. A genuinely slow request: a PATCH blocked on a row
// lock this test holds, so "in flight" lasts exactly as long as the test decides, with no test-only route.
describeWithPostgresServer('graceful shutdown of node dist/server.js', () => {
  let pg: TestPostgres | undefined;
  let database: { url: string; drop(): Promise<void> };
  let server: RunningProcess;
  let base: string;
  let locker: Client;

  beforeAll(async () => {
    assertServerBuilt();
    let serverUrl = adminUrl;
    if (!serverUrl) {
      pg = await startTestPostgres();
      serverUrl = pg.url;
    }
    database = await createFreshPostgresDatabase(serverUrl);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startBuiltServer(port, database.url, {
      LOG_LEVEL: 'info',
      // Long enough to look at /readyz during the grace period; the held lock must outlast no timeout.
      SHUTDOWN_DELAY_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '60000',
      DB_TIMEOUT_MS: '60000',
    });
    locker = new Client({ connectionString: database.url });
    await locker.connect();
  });

  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    // Only the API process: stopAll() would also stop the PostgreSQL server the drop below needs.
    await server?.stop();
    await database?.drop();
    await pg?.destroy();
  });

  it('finishes the in-flight request, answers /readyz 503 from the signal on, stops accepting connections and exits 0', async () => {
    // Arrange: a task, and a transaction holding its row lock so the PATCH below blocks inside the server
    const created = (await (
      await fetch(`${base}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"in flight"}',
      })
    ).json()) as { id: string };
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM tasks WHERE id = $1 FOR UPDATE', [created.id]);
    const inFlight = fetch(`${base}/api/tasks/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, status: 'done' }),
    });
    await waitFor('the PATCH to wait on the row lock', async () => {
      const { rows } = await locker.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'taskboard-api' AND wait_event_type = 'Lock'",
      );
      return rows[0].n > 0;
    });

    // Act
    server.child.kill('SIGTERM');

    // Assert: readiness flips while the process still serves (the grace period) ...
    await waitFor(
      '/readyz to answer 503',
      async () => (await fetch(`${base}/readyz`)).status === 503,
      2500,
      50,
    );
    // ... then the listener closes while the blocked PATCH keeps the process alive
    await waitFor('new connections to be refused', async () => {
      try {
        await fetch(`${base}/healthz`);
        return false;
      } catch {
        return true;
      }
    });
    expect(server.child.exitCode).toBeNull();

    await locker.query('COMMIT');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: created.id, status: 'done', version: 2 });
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutdown complete');
  });

  it('logged JSON lines only, and never the DATABASE_URL password', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');

    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(server.output()).not.toContain(new URL(database.url).password);
  });
});
