import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { buildTestApp, type TestApp } from './helpers/app';
import { createTestDatabase, testDatabaseKind, testEnv, type TestDatabase } from './helpers/database';

let testDb: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  testDb = await createTestDatabase();
  t = buildTestApp(testDb);
});

// Guarded: if beforeAll failed there is nothing to clean up, and a TypeError here would hide the real error.
afterAll(async () => {
  await testDb?.cleanup();
});

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"}', async () => {
    const res = await request(t.app).get('/healthz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('answers 200 when the database is reachable and migrations are current', async () => {
    const res = await request(t.app).get('/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
  });

  it('answers 503 problem+json once shutdown has begun', async () => {
    const local = buildTestApp(testDb);
    local.lifecycle.shuttingDown = true;

    const res = await request(local.app).get('/readyz');

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, code: 'NOT_READY' });
    expect(res.headers.connection).toBe('close');
  });

  it('answers 503 naming the pending migration while migrations are not current, and 200 after migrating', async () => {
    const unmigrated = await createTestDatabase({ migrate: false });
    try {
      const app = buildTestApp(unmigrated).app;

      const before = await request(app).get('/readyz');
      await unmigrated.db.migrateLatest();
      const after = await request(app).get('/readyz');

      expect(before.status).toBe(503);
      expect(before.body.detail).toMatch(/20261126090000_create_tasks/);
      expect(after.status).toBe(200);
    } finally {
      await unmigrated.cleanup();
    }
  });

  it('keeps healthz at 200 while readiness is 503', async () => {
    const local = buildTestApp(testDb);
    local.lifecycle.shuttingDown = true;

    await request(local.app).get('/healthz').expect(200);
  });
});

describe('GET /api/info', () => {
  it('describes the running service and its database', async () => {
    const res = await request(t.app).get('/api/info');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'taskboard-api',
      version: testDb.config.appVersion,
      commit: 'unknown',
      hostname: os.hostname(),
      uptimeSeconds: expect.any(Number),
      node: process.version,
      database: { kind: testDatabaseKind, status: 'up' },
      ready: true,
    });
  });
});

describe('GET /api/info from outside the deployment', () => {
  it('hides the host name and the exact Node version from a public client address', async () => {
    // TRUST_PROXY=1: the address the proxy (here: loopback) reports is the client's.
    const res = await request(t.app).get('/api/info').set('X-Forwarded-For', '203.0.113.7');

    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('hostname');
    expect(res.body).not.toHaveProperty('node');
    expect(res.body).toMatchObject({ name: 'taskboard-api', database: { kind: testDatabaseKind } });
  });

  it.each(['10.244.1.7', '172.18.0.3', '192.168.1.20', '::ffff:10.1.2.3', 'fd00::5'])(
    'shows the host name to a client on the private network %s (the labs read it to see which pod answered)',
    async (address) => {
      const res = await request(t.app).get('/api/info').set('X-Forwarded-For', address);

      expect(res.body.hostname).toBe(os.hostname());
    },
  );
});

describe('GET /metrics', () => {
  it('exposes the HTTP, database, task, info and pool metrics with route templates, never raw ids', async () => {
    // Arrange: traffic on a templated route, an unmatched path and a created task
    const created = (await request(t.app).post('/api/tasks').send({ title: 'measured' }).expect(201)).body;
    await request(t.app).get(`/api/tasks/${created.id}`).expect(200);
    await request(t.app).get('/api/tasks').expect(200);
    await request(t.app).get(`/definitely/not/here/${created.id}`).expect(404);

    // Act
    const res = await request(t.app).get('/metrics');

    // Assert
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'http_request_duration_seconds_bucket',
      'db_query_duration_seconds_bucket',
      'tasks_created_total',
      'app_info',
      'db_pool_connections',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/tasks\/:id",status_code="200"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/api\/tasks",status_code="201"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/,
    );
    expect(text).toMatch(/db_query_duration_seconds_count\{operation="insert"\} [1-9]/);
    expect(text).toMatch(/^tasks_created_total 1$/m);
    expect(text).toContain(`app_info{version="${testDb.config.appVersion}",commit="unknown"} 1`);
    expect(text).toMatch(/db_pool_connections\{state="used"\} \d+/);
    expect(text).toMatch(/db_pool_connections\{state="free"\} \d+/);
    expect(text).toMatch(/db_pool_connections\{state="pending"\} \d+/);
    expect(text).not.toContain(created.id);
  });

  it('keeps a separate registry per app, so two apps in one process do not collide', async () => {
    const other = buildTestApp(testDb);

    await request(other.app).post('/api/tasks').send({ title: 'only in the other app' }).expect(201);
    const res = await request(other.app).get('/metrics').expect(200);

    expect(res.text).toMatch(/^tasks_created_total 1$/m);
  });

  it('is a 404 problem when METRICS_ENABLED=false, while the API keeps serving', async () => {
    const { metricsEnabled } = loadConfig(testEnv({ METRICS_ENABLED: 'false' }));
    const app = createApp({
      config: { ...testDb.config, metricsEnabled },
      db: testDb.db,
      logger: createLogger({ level: 'silent' }),
    });

    await request(app).post('/api/tasks').send({ title: 'not counted' }).expect(201);
    const res = await request(app).get('/metrics');

    expect(metricsEnabled).toBe(false);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('request ids', () => {
  it('echoes an incoming X-Request-Id', async () => {
    const res = await request(t.app).get('/healthz').set('X-Request-Id', 'trace-abc-123');

    expect(res.headers['x-request-id']).toBe('trace-abc-123');
  });

  it('generates one when none is sent', async () => {
    const res = await request(t.app).get('/healthz');

    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces a malformed incoming id instead of echoing it', async () => {
    const res = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id with spaces <script>');

    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers', () => {
  it('sets helmet headers and hides x-powered-by', async () => {
    const res = await request(t.app).get('/api/tasks');

    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('sends HSTS only over HTTPS (behind a trusted proxy: X-Forwarded-Proto https), never over plain HTTP', async () => {
    const plain = await request(t.app).get('/api/tasks');
    const viaTls = await request(t.app).get('/api/tasks').set('X-Forwarded-Proto', 'https');

    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(viaTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it("lets a same-origin SPA run: scripts, styles and API calls from 'self', no forced https upgrade", async () => {
    const csp = (await request(t.app).get('/healthz')).headers['content-security-policy'] as string;

    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toMatch(/style-src 'self'/);
    expect(csp).not.toContain('upgrade-insecure-requests');
  });
});

describe('serving the web app', () => {
  let webDir: string;
  let web: ReturnType<typeof createApp>;

  beforeAll(() => {
    webDir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-web-'));
    mkdirSync(path.join(webDir, 'assets'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(webDir, 'favicon.svg'), '<svg/>');
    const config = { ...testDb.config, webDistDir: webDir };
    web = createApp({ config, db: testDb.db, logger: createLogger({ level: 'silent' }) });
  });

  afterAll(() => rmSync(webDir, { recursive: true, force: true }));

  it('serves index.html with no-cache at /', async () => {
    const res = await request(web).get('/');

    expect(res.status).toBe(200);
    expect(res.text).toContain('id="root"');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('falls back to index.html for client-side routes', async () => {
    const res = await request(web).get('/tasks/123/edit');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with a long immutable cache', async () => {
    const res = await request(web).get('/assets/index-abc123.js');

    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 for a missing asset instead of returning index.html', async () => {
    const res = await request(web).get('/assets/missing-123.js');

    expect(res.status).toBe(404);
  });

  it('keeps unknown /api paths as 404 problem+json', async () => {
    const res = await request(web).get('/api/unknown');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('serves the API alone when WEB_DIST_DIR points at a missing directory', async () => {
    const config = loadConfig(
      testEnv({ PGLITE_DATA_DIR: 'memory://', WEB_DIST_DIR: path.join(webDir, 'absent') }),
    );
    const apiOnly = createApp({
      config: { ...testDb.config, webDistDir: config.webDistDir },
      db: testDb.db,
      logger: createLogger({ level: 'silent' }),
    });

    const res = await request(apiOnly).get('/');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
