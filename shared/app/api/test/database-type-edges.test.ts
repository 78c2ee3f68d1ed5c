// Values JSON and a loose schema accept but a PostgreSQL column type refuses (issue 16): each must be the client's
// 400 problem+json naming the field, never a 500. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
import request from 'supertest';
import { normalizeError } from '../src/errors';
import { buildTestApp, type TestApp } from './helpers/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let testDb: TestDatabase | undefined;
let t: TestApp;
let taskId = '';

const cursorFor = (createdAt: string) =>
  Buffer.from(JSON.stringify([createdAt, '00000000-0000-4000-8000-000000000000'])).toString('base64url');

beforeAll(async () => {
  testDb = await createTestDatabase();
  t = buildTestApp(testDb);
  taskId = (await request(t.app).post('/api/tasks').send({ title: 'edge target' }).expect(201)).body.id;
});

afterAll(async () => {
  await testDb?.cleanup();
});

function expectProblem(res: request.Response, field: string): void {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  expect(res.body.errors).toEqual([expect.objectContaining({ path: field })]);
}

describe('values at the edges of the database types', () => {
  it.each(['0000-01-01', '0000-02-29'])(
    'rejects a dueDate of %s (no year 0 in PostgreSQL) with 400',
    async (date) => {
      const res = await request(t.app).post('/api/tasks').send({ title: 'year zero', dueDate: date });

      expectProblem(res, 'dueDate');
    },
  );

  it('accepts the first and last dates PostgreSQL and the schema share (0001-01-01, 9999-12-31)', async () => {
    for (const dueDate of ['0001-01-01', '9999-12-31']) {
      const res = await request(t.app).post('/api/tasks').send({ title: 'edge date', dueDate }).expect(201);
      expect(res.body.dueDate).toBe(dueDate);
    }
  });

  it.each([2 ** 31, 2 ** 31 + 1, Number.MAX_SAFE_INTEGER])(
    'rejects a PATCH version of %d (beyond the integer column) with 400',
    async (version) => {
      const res = await request(t.app).patch(`/api/tasks/${taskId}`).send({ version, title: 'x' });

      expectProblem(res, 'version');
    },
  );

  it('answers a PATCH version of 2^31 - 1 (the largest int4) with 409, the version check', async () => {
    const res = await request(t.app)
      .patch(`/api/tasks/${taskId}`)
      .send({ version: 2 ** 31 - 1, title: 'x' });

    expect(res.status).toBe(409);
    expect(res.body.code).toBe('VERSION_CONFLICT');
  });

  it.each([
    '2024-02-30T10:00:00.000Z',
    '2024-04-31T10:00:00.000Z',
    '2023-02-29T00:00:00.000Z',
    '0000-01-01T00:00:00.000Z',
  ])(
    'rejects a list cursor whose createdAt is %s (rolled over by Date.parse or refused by PostgreSQL) with 400',
    async (createdAt) => {
      const res = await request(t.app)
        .get('/api/tasks')
        .query({ cursor: cursorFor(createdAt) });

      expectProblem(res, 'cursor');
    },
  );

  it('accepts a cursor at a real leap day (2024-02-29)', async () => {
    await request(t.app)
      .get('/api/tasks')
      .query({ cursor: cursorFor('2024-02-29T23:59:59.999Z') })
      .expect(200);
  });
});

describe('the safety net for a data exception the schema missed', () => {
  it('maps every SQLSTATE of class 22 to 400 INVALID_VALUE, never 500', () => {
    for (const code of ['22001', '22003', '22007', '22008', '22P02']) {
      const error = Object.assign(new Error('data exception'), { code });
      expect({ code, status: normalizeError(error).status, appCode: normalizeError(error).code }).toEqual({
        code,
        status: 400,
        appCode: 'INVALID_VALUE',
      });
    }
  });

  it('answers 400 problem+json when the real database refuses a value (a title column narrowed to 10 characters)', async () => {
    // Arrange: a database of its own whose column is narrower than the schema allows, so PostgreSQL raises 22001
    const narrow = await createTestDatabase();
    try {
      await narrow.db.knex.raw('ALTER TABLE tasks ALTER COLUMN title TYPE varchar(10)');
      const app = buildTestApp(narrow);

      const res = await request(app.app).post('/api/tasks').send({ title: 'eleven chars' });

      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'INVALID_VALUE' });
    } finally {
      await narrow.cleanup();
    }
  });
});
