import request from 'supertest';
import { startTestPostgres, waitFor, type TestPostgres } from '@taskboard/testkit';
import { loadConfig } from '../src/config';
import { createDatabase, type Database } from '../src/data/database';
import { buildTestApp, type TestApp } from './helpers/app';
import { testEnv } from './helpers/database';
import { describeWithPostgresServer } from './helpers/postgres-server';

// Needs a PostgreSQL server of its own to stop and start, whatever TEST_DATABASE_URL says.
describeWithPostgresServer('database outage (real PostgreSQL stopped and restarted)', () => {
  let pg: TestPostgres;
  let db: Database;
  let t: TestApp;

  beforeAll(async () => {
    pg = await startTestPostgres();
    const config = loadConfig(testEnv({ DATABASE_URL: pg.url }));
    db = createDatabase(config);
    await db.migrateLatest();
    t = buildTestApp({ config, db, cleanup: async () => {} });
    await request(t.app).post('/api/tasks').send({ title: 'written before the outage' }).expect(201);
  });

  afterAll(async () => {
    await db?.close();
    await pg?.destroy();
  });

  it('is ready while PostgreSQL is up', async () => {
    await request(t.app).get('/readyz').expect(200);
  });

  it('answers /readyz with 503 within 2 s once PostgreSQL stops', async () => {
    await pg.stop();

    // The request timeout is the assertion: a readiness check that hangs fails here instead of answering late.
    const res = await request(t.app).get('/readyz').timeout(2000);

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('NOT_READY');
  });

  it('keeps /healthz at 200 during the outage (liveness must not restart the pod for a database problem)', async () => {
    await request(t.app).get('/healthz').timeout(2000).expect(200);
  });

  it('answers API calls with 503 problem+json instead of hanging', async () => {
    const res = await request(t.app).get('/api/tasks').timeout(5000);

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE' });
    expect(res.headers['retry-after']).toBe('2');
  });

  it('reports the database as down in /api/info', async () => {
    const res = await request(t.app).get('/api/info').timeout(5000);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ database: { kind: 'postgres', status: 'down' }, ready: false });
  });

  it('recovers without a restart when PostgreSQL returns, with the earlier data intact', async () => {
    await pg.start();

    await waitFor(
      '/readyz to answer 200 again',
      async () => (await request(t.app).get('/readyz')).status === 200,
      20_000,
      250,
    );
    const res = await request(t.app).get('/api/tasks');

    expect(res.status).toBe(200);
    expect(res.body.items.map((task: { title: string }) => task.title)).toContain(
      'written before the outage',
    );
  });

  it('never logged the database password while failing', () => {
    expect(t.logLines().some((line) => line.level === 'error')).toBe(true);
    expect(t.rawLog()).not.toContain(new URL(pg.url).password);
  });
});
