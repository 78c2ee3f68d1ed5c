import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { buildTestApp } from './helpers/app';
import { createTestDatabase, testEnv, type TestDatabase } from './helpers/database';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

// Guarded: if beforeAll failed there is nothing to clean up, and a TypeError here would hide the real error.
afterAll(async () => {
  await testDb?.cleanup();
});

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('request logging', () => {
  it('writes one JSON object per line carrying the request id, for the request and for handler logs', async () => {
    const t = buildTestApp(testDb);

    const res = await request(t.app)
      .post('/api/tasks')
      .set('X-Request-Id', 'req-log-42')
      .send({ title: 'logged' })
      .expect(201);

    const lines = t.logLines();
    const completed = lines.find((line) => line.msg === 'request completed');
    const created = lines.find((line) => line.msg === 'task created');
    expect(completed).toMatchObject({
      level: 'info',
      req: { id: 'req-log-42', method: 'POST', url: '/api/tasks' },
      res: { statusCode: 201 },
    });
    expect(created).toMatchObject({ reqId: 'req-log-42', taskId: res.body.id });
  });

  it('logs client errors at warn and keeps their details out of error level', async () => {
    const t = buildTestApp(testDb);

    await request(t.app).post('/api/tasks').send({ title: '' }).expect(400);

    const completed = t
      .logLines()
      .find((line) => line.msg === 'request failed' || line.msg === 'request completed');
    expect(completed).toMatchObject({ level: 'warn', res: { statusCode: 400 } });
  });

  it('logs a 5xx at error level with its cause, the request and the request id', async () => {
    // No migrations: the tasks table is missing, so listing fails inside the database with an unexpected error.
    const bare = await createTestDatabase({ migrate: false });
    try {
      const t = buildTestApp(bare);

      await request(t.app).get('/api/tasks').set('X-Request-Id', 'req-5xx').expect(500);

      const failed = t.logLines().find((line) => line.msg === 'request errored');
      expect(failed).toMatchObject({
        level: 'error',
        reqId: 'req-5xx',
        req: { id: 'req-5xx', method: 'GET', url: '/api/tasks' },
        res: { statusCode: 500 },
        err: { message: expect.stringContaining('tasks') },
      });
      expect(typeof failed?.responseTime).toBe('number');
    } finally {
      await bare.cleanup();
    }
  });

  it('writes a lean access line for a success: id, method, url, status, duration, address and user agent', async () => {
    const t = buildTestApp(testDb);

    await request(t.app).get('/api/stats?x=1').set('User-Agent', 'lean-agent/1.0').expect(200);

    const completed = t.logLines().find((line) => line.msg === 'request completed');
    expect(completed).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'taskboard-api',
      reqId: expect.any(String),
      req: {
        id: completed?.reqId,
        method: 'GET',
        url: '/api/stats?x=1',
        remoteAddress: expect.any(String),
        userAgent: 'lean-agent/1.0',
      },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
  });

  it('redacts Authorization and Cookie headers', async () => {
    // A success's access line carries no headers at all; a 5xx line carries every header, through the redaction.
    const t = buildTestApp(testDb);
    const bare = await createTestDatabase({ migrate: false });
    try {
      const failing = buildTestApp(bare);

      await request(t.app)
        .get('/api/stats')
        .set('Authorization', 'Bearer top-secret-token')
        .set('Cookie', 'session=cookie-secret')
        .expect(200);
      await request(failing.app)
        .get('/api/tasks')
        .set('Authorization', 'Bearer top-secret-token')
        .set('Cookie', 'session=cookie-secret')
        .expect(500);

      expect(t.rawLog()).not.toContain('top-secret-token');
      expect(t.rawLog()).not.toContain('cookie-secret');
      const failed = failing.logLines().find((line) => line.msg === 'request errored');
      expect(failed).toMatchObject({
        req: { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]' } },
      });
      expect(failing.rawLog()).not.toContain('top-secret-token');
      expect(failing.rawLog()).not.toContain('cookie-secret');
    } finally {
      await bare.cleanup();
    }
  });

  it('with ACCESS_LOG=errors-and-slow logs failures and slow answers only', async () => {
    const quiet = buildTestApp({ ...testDb, config: { ...testDb.config, accessLog: 'errors-and-slow' } });
    const everySlow = buildTestApp({
      ...testDb,
      config: { ...testDb.config, accessLog: 'errors-and-slow', accessLogSlowMs: 1 },
    });

    await request(quiet.app).post('/api/tasks').send({ title: 'not logged' }).expect(201);
    await request(quiet.app).post('/api/tasks').send({ title: '' }).expect(400);
    // A 1 ms bound: an answer that went through the database is slower than that.
    await request(everySlow.app).get('/api/tasks').expect(200);

    const quietLines = quiet.logLines().filter((line) => line.msg === 'request completed');
    expect(quietLines).toEqual([expect.objectContaining({ level: 'warn', res: { statusCode: 400 } })]);
    expect(everySlow.logLines().filter((line) => line.msg === 'request completed')).toEqual([
      expect.objectContaining({ level: 'info', res: { statusCode: 200 } }),
    ]);
  });

  it('skips probe and metrics requests so they do not drown the log', async () => {
    const t = buildTestApp(testDb);

    await request(t.app).get('/healthz').expect(200);
    await request(t.app).get('/metrics').expect(200);

    expect(t.logLines().filter((line) => line.msg === 'request completed')).toEqual([]);
  });

  it('honours the log level', async () => {
    const t = buildTestApp(testDb, { logLevel: 'warn' });

    await request(t.app).post('/api/tasks').send({ title: 'quiet' }).expect(201);

    expect(t.logLines()).toEqual([]);
  });

  it('never writes the database password, even when a test database URL with one is in use', async () => {
    // On PostgreSQL this is the real URL of this file's database; on PGlite there is no password to leak.
    const t = buildTestApp(testDb);
    const password = testDb.url ? new URL(testDb.url).password : undefined;

    await request(t.app).post('/api/tasks').send({ title: 'x' }).expect(201);
    await request(t.app).get('/api/tasks/not-a-uuid').expect(400);
    await request(t.app).get('/readyz').expect(200);

    if (password) expect(t.rawLog()).not.toContain(password);
    expect(t.logLines().length).toBeGreaterThan(0);
  });
});

describe('the logger', () => {
  const url = 'postgresql://taskboard:S3cr3t%2Fpw@db.internal:5432/taskboard';
  const config = loadConfig(testEnv({ DATABASE_URL: url }));

  it('scrubs the DATABASE_URL password from messages, errors and nested objects', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', secrets: config.secrets, destination: out.stream as never });

    logger.error({ err: new Error(`could not connect to ${url}`) }, 'database connect failed');
    logger.info({ target: { connection: url } }, `connecting to ${url}`);
    logger.info({ note: 'password is S3cr3t/pw' }, 'decoded form');
    logger.info({ config }, 'effective configuration');

    expect(out.text()).not.toContain('S3cr3t');
    expect(out.text().split('\n').filter(Boolean)).toHaveLength(4);
    expect(out.text()).toContain('db.internal');
  });

  it('redacts password-like keys even without knowing the secret', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream as never });

    logger.info({ db: { password: 'hunter2hunter2' }, databaseUrl: 'anything' }, 'settings');

    expect(out.text()).not.toContain('hunter2hunter2');
    expect(out.text()).not.toContain('anything');
  });

  it('puts metadata in fields, not in the message', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', destination: out.stream as never });

    logger.info({ taskId: 't-1' }, 'task created');

    expect(JSON.parse(out.text())).toMatchObject({
      level: 'info',
      msg: 'task created',
      taskId: 't-1',
      service: 'taskboard-api',
    });
  });
});
