// POST /api/tasks with an Idempotency-Key: a retry after an unknown outcome (a timeout) must never create a second
// task. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL (where concurrent requests really overlap).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildTestApp, type TestApp } from './helpers/app';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './helpers/database';

let testDb: TestDatabase | undefined;
let t: TestApp;

beforeAll(async () => {
  testDb = await createTestDatabase();
  t = buildTestApp(testDb);
});

afterAll(async () => {
  await testDb?.cleanup();
});

const db = () => (testDb as TestDatabase).db.knex;

async function tasksTitled(title: string): Promise<number> {
  const [row] = await db()('tasks').where({ title }).count<{ count: string | number }[]>('* as count');
  return Number(row?.count ?? 0);
}

const post = (key: string | undefined, body: Record<string, unknown>) => {
  const req = request(t.app).post('/api/tasks');
  return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
};

describe('POST /api/tasks with an Idempotency-Key', () => {
  it('answers a repeat of the same key and body with the same task (201, Idempotent-Replayed: true), stored once', async () => {
    const key = randomUUID();
    const body = { title: 'idempotent create', priority: 'high' };

    const first = await post(key, body);
    const second = await post(key, body);

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.body).toEqual(first.body);
    expect(await tasksTitled('idempotent create')).toBe(1);
  });

  it('treats a body that spells out the defaults as the same request', async () => {
    const key = randomUUID();
    const first = await post(key, { title: 'defaults spelled out' }).expect(201);

    const second = await post(key, {
      priority: 'medium',
      title: 'defaults spelled out',
      status: 'todo',
      description: '',
      dueDate: null,
    });

    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
  });

  it('refuses the same key with a different body with 422 problem+json and writes nothing', async () => {
    const key = randomUUID();
    await post(key, { title: 'first body' }).expect(201);

    const res = await post(key, { title: 'second body' });

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await tasksTitled('second body')).toBe(0);
  });

  it.each([
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['a non-ASCII character', 'clé'],
  ])('rejects a key of %s with 400 naming the header', async (_what, key) => {
    const res = await post(key, { title: 'bad key' });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
    expect(await tasksTitled('bad key')).toBe(0);
  });

  it('replays the first answer even after that task was deleted', async () => {
    const key = randomUUID();
    const first = await post(key, { title: 'deleted later' }).expect(201);
    await request(t.app).delete(`/api/tasks/${first.body.id}`).expect(204);

    const again = await post(key, { title: 'deleted later' });

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await tasksTitled('deleted later')).toBe(0);
  });

  it('forgets a key once it has expired: the same key then creates a new task', async () => {
    const key = randomUUID();
    const first = await post(key, { title: 'expiring key' }).expect(201);
    // Arrange the passing of the TTL without waiting for it.
    await db()('idempotency_keys')
      .where({ key })
      .update({ expires_at: db().raw("now() - interval '1 second'") });

    const again = await post(key, { title: 'expiring key' });

    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.id).not.toBe(first.body.id);
    expect(await tasksTitled('expiring key')).toBe(2);
  });

  it('creates exactly one task for 20 concurrent requests with one key', async () => {
    const key = randomUUID();
    const body = { title: 'concurrent duplicates' };

    const answers = await Promise.all(Array.from({ length: 20 }, () => post(key, body)));

    expect(answers.map((res) => res.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((res) => res.body.id)).size).toBe(1);
    expect(answers.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await tasksTitled('concurrent duplicates')).toBe(1);
  });

  it('deletes expired keys on a later keyed create', async () => {
    await db()('idempotency_keys').insert({
      key: `stale-${randomUUID()}`,
      request_hash: 'x',
      expires_at: db().raw("now() - interval '2 days'"),
    });
    // A fresh app: the purge runs at most once a minute per process, and this one has not purged yet.
    const fresh = buildTestApp(testDb as TestDatabase);

    await request(fresh.app)
      .post('/api/tasks')
      .set('Idempotency-Key', randomUUID())
      .send({ title: 'purger' });

    const [row] = await db()('idempotency_keys')
      .where('expires_at', '<=', db().raw('now()'))
      .count<{ count: string | number }[]>('* as count');
    expect(Number(row?.count)).toBe(0);
  });

  it('leaves requests without the header as they were: every POST creates a task', async () => {
    await post(undefined, { title: 'no key' }).expect(201);
    await post(undefined, { title: 'no key' }).expect(201);

    expect(await tasksTitled('no key')).toBe(2);
  });
});

const onPostgres = testDatabaseKind === 'postgres' ? describe : describe.skip;
if (testDatabaseKind !== 'postgres')
  process.stderr.write(
    '\n[api tests] SKIPPED "statement_timeout per session": needs PostgreSQL (set TEST_DATABASE_URL)\n',
  );

onPostgres('server-side statement bound (PostgreSQL)', () => {
  it('sets statement_timeout to DB_TIMEOUT_MS on every pooled session', async () => {
    // pg_settings reports the session's value in its unit, milliseconds.
    const rows = (await db().raw("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")) as {
      rows: { setting: string }[];
    };

    expect(rows.rows[0]?.setting).toBe(String((testDb as TestDatabase).config.dbTimeoutMs));
  });
});
