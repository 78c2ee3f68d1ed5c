import request from 'supertest';
import { buildTestApp, type TestApp } from './helpers/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';

interface Task {
  id: string;
  title: string;
  description: string;
  status: string;
  priority: string;
  dueDate: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

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

beforeEach(async () => {
  await testDb?.db.knex('tasks').delete();
});

async function createTask(body: Record<string, unknown> = {}): Promise<Task> {
  const res = await request(t.app)
    .post('/api/tasks')
    .send({ title: 'Write tests', ...body })
    .expect(201);
  return res.body as Task;
}

function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: 'about:blank', status, code });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\(.+:\d+:\d+\)/); // no stack frames
}

function errorPaths(res: request.Response): string[] {
  return (res.body.errors as { path: string }[]).map((error) => error.path);
}

describe('POST /api/tasks', () => {
  it('creates a task with defaults, a uuid, version 1 and a Location header', async () => {
    const res = await request(t.app).post('/api/tasks').send({ title: 'Ship Day 1' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      title: 'Ship Day 1',
      description: '',
      status: 'todo',
      priority: 'medium',
      dueDate: null,
      version: 1,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      updatedAt: res.body.createdAt,
    });
    expect(res.headers.location).toBe(`/api/tasks/${res.body.id}`);
  });

  it('stores every field it is given, including a due date that round-trips exactly', async () => {
    const body = {
      title: 'Plan',
      description: 'Outline',
      status: 'in_progress',
      priority: 'high',
      dueDate: '2026-12-31',
    };

    const created = await createTask(body);
    const fetched = await request(t.app).get(`/api/tasks/${created.id}`).expect(200);

    expect(fetched.body).toMatchObject(body);
  });

  it('trims the title', async () => {
    const created = await createTask({ title: '  padded  ' });

    expect(created.title).toBe('padded');
  });

  it('accepts a title of exactly 200 chars', async () => {
    await createTask({ title: 'x'.repeat(200) });
  });

  it('rejects a title over 200 chars with 400', async () => {
    const res = await request(t.app)
      .post('/api/tasks')
      .send({ title: 'x'.repeat(201) });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['title']);
  });

  it('rejects a NUL character in title or description with 400 (PostgreSQL text cannot store it)', async () => {
    const res = await request(t.app).post('/api/tasks').send({ title: 'a\u0000b', description: '\u0000' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['title', 'description']);
  });

  it('rejects a missing title with 400 naming the field', async () => {
    const res = await request(t.app).post('/api/tasks').send({ description: 'no title' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['title']);
  });

  it('rejects a blank title with 400', async () => {
    const res = await request(t.app).post('/api/tasks').send({ title: '   ' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['title']);
  });

  it('rejects a description over 5000 chars with 400', async () => {
    const res = await request(t.app)
      .post('/api/tasks')
      .send({ title: 'ok', description: 'd'.repeat(5001) });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['description']);
  });

  it('rejects wrong types with one error per field', async () => {
    const res = await request(t.app)
      .post('/api/tasks')
      .send({ title: 42, description: false, dueDate: 20261231 });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res).sort()).toEqual(['description', 'dueDate', 'title']);
  });

  it('rejects a status outside the enum with 400', async () => {
    const res = await request(t.app).post('/api/tasks').send({ title: 'ok', status: 'blocked' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ path: 'status', message: 'must be one of todo, in_progress, done' }]);
  });

  it('rejects a priority outside the enum with 400', async () => {
    const res = await request(t.app).post('/api/tasks').send({ title: 'ok', priority: 'urgent' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['priority']);
  });

  it('rejects an impossible due date with 400', async () => {
    const res = await request(t.app).post('/api/tasks').send({ title: 'ok', dueDate: '2026-02-30' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['dueDate']);
  });

  it('rejects unknown fields with 400 naming each one', async () => {
    const res = await request(t.app).post('/api/tasks').send({ title: 'ok', id: 'mine', owner: 'me' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res).sort()).toEqual(['id', 'owner']);
  });

  it('rejects invalid JSON with 400', async () => {
    const res = await request(t.app)
      .post('/api/tasks')
      .set('Content-Type', 'application/json')
      .send('{"title": "unterminated');

    expectProblem(res, 400, 'INVALID_JSON');
  });

  it('rejects a JSON body that is not an object with 400', async () => {
    const res = await request(t.app)
      .post('/api/tasks')
      .set('Content-Type', 'application/json')
      .send('"just a string"');

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('rejects a body with no JSON content type with 400, not 500', async () => {
    const res = await request(t.app).post('/api/tasks').set('Content-Type', 'text/plain').send('title=hello');

    expectProblem(res, 400, 'VALIDATION_FAILED');
  });

  it('rejects an oversized body with 413', async () => {
    const res = await request(t.app)
      .post('/api/tasks')
      .send({ title: 'big', description: 'x'.repeat(200 * 1024) });

    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('GET /api/tasks/:id', () => {
  it('returns the task', async () => {
    const created = await createTask();

    const res = await request(t.app).get(`/api/tasks/${created.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
  });

  it('answers 404 problem+json for a well-formed unknown id', async () => {
    const res = await request(t.app).get('/api/tasks/0b6f5e2c-2f0a-4a47-9a38-1f7f2d7f9e11');

    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('rejects a malformed uuid with 400, never 500', async () => {
    const res = await request(t.app).get('/api/tasks/not-a-uuid');

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['id']);
  });
});

describe('PATCH /api/tasks/:id', () => {
  it('applies the change and increments the version', async () => {
    const created = await createTask();

    const res = await request(t.app)
      .patch(`/api/tasks/${created.id}`)
      .send({ version: 1, status: 'done', dueDate: '2027-01-15' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      title: created.title,
      status: 'done',
      dueDate: '2027-01-15',
      version: 2,
    });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
  });

  it('clears the due date with null', async () => {
    const created = await createTask({ dueDate: '2026-12-01' });

    const res = await request(t.app).patch(`/api/tasks/${created.id}`).send({ version: 1, dueDate: null });

    expect(res.status).toBe(200);
    expect(res.body.dueDate).toBeNull();
  });

  it('answers 409 with the current task when the version is stale', async () => {
    const created = await createTask();
    await request(t.app)
      .patch(`/api/tasks/${created.id}`)
      .send({ version: 1, title: 'first edit' })
      .expect(200);

    const res = await request(t.app)
      .patch(`/api/tasks/${created.id}`)
      .send({ version: 1, title: 'stale edit' });

    expectProblem(res, 409, 'VERSION_CONFLICT');
    expect(res.body.current).toMatchObject({ id: created.id, title: 'first edit', version: 2 });
  });

  it('requires the version with 400', async () => {
    const created = await createTask();

    const res = await request(t.app).patch(`/api/tasks/${created.id}`).send({ title: 'no version' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['version']);
  });

  it('rejects a version that is not an integer with 400', async () => {
    const created = await createTask();

    const res = await request(t.app).patch(`/api/tasks/${created.id}`).send({ version: '1', title: 'x' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['version']);
  });

  it('rejects a patch that changes nothing with 400', async () => {
    const created = await createTask();

    const res = await request(t.app).patch(`/api/tasks/${created.id}`).send({ version: 1 });

    expectProblem(res, 400, 'VALIDATION_FAILED');
  });

  it('rejects unknown fields and invalid values with 400', async () => {
    const created = await createTask();

    const res = await request(t.app)
      .patch(`/api/tasks/${created.id}`)
      .send({ version: 1, status: 'blocked', createdAt: 'now' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res).sort()).toEqual(['createdAt', 'status']);
  });

  it('rejects invalid JSON with 400', async () => {
    const created = await createTask();

    const res = await request(t.app)
      .patch(`/api/tasks/${created.id}`)
      .set('Content-Type', 'application/json')
      .send('{version: 1}');

    expectProblem(res, 400, 'INVALID_JSON');
  });

  it('answers 404 for an unknown id', async () => {
    const res = await request(t.app)
      .patch('/api/tasks/0b6f5e2c-2f0a-4a47-9a38-1f7f2d7f9e11')
      .send({ version: 1, title: 'x' });

    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('rejects a malformed uuid with 400', async () => {
    const res = await request(t.app).patch('/api/tasks/123').send({ version: 1, title: 'x' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
  });
});

describe('DELETE /api/tasks/:id', () => {
  it('deletes the task with 204 and it is gone afterwards', async () => {
    const created = await createTask();

    const res = await request(t.app).delete(`/api/tasks/${created.id}`);

    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    await request(t.app).get(`/api/tasks/${created.id}`).expect(404);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await request(t.app).delete('/api/tasks/0b6f5e2c-2f0a-4a47-9a38-1f7f2d7f9e11');

    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('rejects a malformed uuid with 400', async () => {
    const res = await request(t.app).delete('/api/tasks/%E2%9C%93');

    expectProblem(res, 400, 'VALIDATION_FAILED');
  });
});

describe('GET /api/tasks', () => {
  async function createMany(count: number, body: Record<string, unknown> = {}): Promise<Task[]> {
    const tasks: Task[] = [];
    for (let i = 0; i < count; i += 1) tasks.push(await createTask({ title: `task ${i}`, ...body }));
    return tasks;
  }

  /** Newest first, ties on createdAt broken by id descending: the API's documented order. */
  function newestFirst(tasks: Task[]): string[] {
    return [...tasks]
      .sort((a, b) =>
        a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
      )
      .map((task) => task.id);
  }

  async function readAllPages(
    query: Record<string, string>,
  ): Promise<{ pages: Task[][]; cursors: (string | null)[] }> {
    const pages: Task[][] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app)
        .get('/api/tasks')
        .query(cursor ? { ...query, cursor } : query)
        .expect(200);
      pages.push(res.body.items as Task[]);
      cursor = res.body.nextCursor as string | null;
      cursors.push(cursor);
    } while (cursor && pages.length < 50);
    return { pages, cursors };
  }

  it('returns an empty page with a null cursor when there are no tasks', async () => {
    const res = await request(t.app).get('/api/tasks');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it('lists newest first with a default page size of 20', async () => {
    const tasks = await createMany(21);

    const res = await request(t.app).get('/api/tasks').expect(200);

    expect(res.body.items).toHaveLength(20);
    expect(res.body.items.map((task: Task) => task.id)).toEqual(newestFirst(tasks).slice(0, 20));
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it('returns a null nextCursor when the tasks fill the page exactly', async () => {
    await createMany(5);

    const res = await request(t.app).get('/api/tasks').query({ limit: '5' }).expect(200);

    expect(res.body.items).toHaveLength(5);
    expect(res.body.nextCursor).toBeNull();
  });

  it('walks every task exactly once across pages, ending with a null cursor', async () => {
    const tasks = await createMany(7);

    const { pages, cursors } = await readAllPages({ limit: '3' });

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat().map((task) => task.id)).toEqual(newestFirst(tasks));
    expect(cursors[cursors.length - 1]).toBeNull();
  });

  it('ends on an exact page boundary without an empty extra page', async () => {
    await createMany(6);

    const { pages } = await readAllPages({ limit: '3' });

    expect(pages.map((page) => page.length)).toEqual([3, 3]);
  });

  it('filters by status', async () => {
    await createMany(2, { status: 'done' });
    const todo = await createMany(3, { status: 'todo' });

    const res = await request(t.app).get('/api/tasks').query({ status: 'todo' }).expect(200);

    expect(res.body.items.map((task: Task) => task.id)).toEqual(newestFirst(todo));
  });

  it('searches titles case-insensitively, treating % and _ literally', async () => {
    const match = await createTask({ title: 'Fix 100% of the BUGS' });
    await createTask({ title: 'Fix 1000 of the bugs' });

    const res = await request(t.app).get('/api/tasks').query({ q: '100% of the bugs' }).expect(200);

    expect(res.body.items.map((task: Task) => task.id)).toEqual([match.id]);
  });

  it('combines status filter and search with pagination', async () => {
    const wanted = [
      ...(await createMany(3, { title: 'deploy api', status: 'in_progress' })),
      ...(await createMany(2, { title: 'Deploy web', status: 'in_progress' })),
    ];
    await createMany(2, { title: 'deploy db', status: 'done' });
    await createMany(2, { title: 'write docs', status: 'in_progress' });

    const { pages } = await readAllPages({ status: 'in_progress', q: 'deploy', limit: '2' });

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((task) => task.id)).toEqual(newestFirst(wanted));
  });

  it('treats empty query values as no filter', async () => {
    await createMany(2);

    const res = await request(t.app).get('/api/tasks?status=&q=&limit=&cursor=').expect(200);

    expect(res.body.items).toHaveLength(2);
  });

  it.each([
    ['0', 'zero'],
    ['101', 'above 100'],
    ['abc', 'not a number'],
    ['2.5', 'a fraction'],
    ['-1', 'negative'],
  ])('rejects limit=%s (%s) with 400', async (limit) => {
    const res = await request(t.app).get('/api/tasks').query({ limit });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['limit']);
  });

  it.each([
    ['garbage', 'not base64 JSON'],
    [Buffer.from('{"a":1}').toString('base64url'), 'JSON of the wrong shape'],
    [
      Buffer.from('["yesterday","0b6f5e2c-2f0a-4a47-9a38-1f7f2d7f9e11"]').toString('base64url'),
      'a bad timestamp',
    ],
    [Buffer.from('["2026-01-01T00:00:00.000Z","not-a-uuid"]').toString('base64url'), 'a bad id'],
  ])('rejects cursor=%s (%s) with 400', async (cursor) => {
    const res = await request(t.app).get('/api/tasks').query({ cursor });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['cursor']);
  });

  it('rejects a status filter outside the enum with 400', async () => {
    const res = await request(t.app).get('/api/tasks').query({ status: 'archived' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['status']);
  });

  it('rejects a repeated parameter with 400', async () => {
    const res = await request(t.app).get('/api/tasks?status=todo&status=done');

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['status']);
  });

  it('rejects unknown query parameters with 400', async () => {
    const res = await request(t.app).get('/api/tasks').query({ sort: 'title' });

    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(errorPaths(res)).toEqual(['sort']);
  });
});

describe('GET /api/stats', () => {
  it('counts tasks in total and by status', async () => {
    await createTask({ status: 'todo' });
    await createTask({ status: 'todo' });
    await createTask({ status: 'done' });

    const res = await request(t.app).get('/api/stats');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: 3, byStatus: { todo: 2, in_progress: 0, done: 1 } });
  });
});

describe('unknown API routes', () => {
  it('answers 404 problem+json for an unknown /api path', async () => {
    const res = await request(t.app).get('/api/nope');

    expectProblem(res, 404, 'NOT_FOUND');
  });

  it('answers 404 problem+json for an unsupported method on a known path', async () => {
    const res = await request(t.app).put('/api/tasks');

    expectProblem(res, 404, 'NOT_FOUND');
  });
});
