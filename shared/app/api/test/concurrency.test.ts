import request from 'supertest';
import { buildTestApp, type TestApp } from './helpers/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';

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

describe('PATCH /api/tasks/:id under concurrency', () => {
  it('lets exactly one of two PATCHes with the same version win; the loser gets 409 and can reapply without losing either change', async () => {
    // Arrange
    const created = (
      await request(t.app).post('/api/tasks').send({ title: 'original', status: 'todo' }).expect(201)
    ).body;
    const edits = [
      { version: 1, title: 'renamed by A' },
      { version: 1, status: 'done' },
    ];

    // Act: both leave before either answers
    const responses = await Promise.all(
      edits.map((edit) => request(t.app).patch(`/api/tasks/${created.id}`).send(edit)),
    );

    // Assert: one winner, one conflict carrying the winner's state
    const statuses = responses.map((res) => res.status).sort();
    expect(statuses).toEqual([200, 409]);
    const winnerIndex = responses.findIndex((res) => res.status === 200);
    const winner = responses[winnerIndex]!;
    const loser = responses[1 - winnerIndex]!;
    expect(winner.body.version).toBe(2);
    expect(loser.body.current).toEqual(winner.body);
    const stored = (await request(t.app).get(`/api/tasks/${created.id}`).expect(200)).body;
    expect(stored).toEqual(winner.body);

    // The loser re-applies its edit on the current version: both changes survive.
    const { version: _stale, ...loserChange } = edits[1 - winnerIndex]!;
    const retried = await request(t.app)
      .patch(`/api/tasks/${created.id}`)
      .send({ ...loserChange, version: loser.body.current.version });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ title: 'renamed by A', status: 'done', version: 3 });
  });

  it('keeps every one of many concurrent PATCHes accounted for: one 200 per version, the rest 409', async () => {
    const created = (await request(t.app).post('/api/tasks').send({ title: 'contended' }).expect(201)).body;

    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        request(t.app)
          .patch(`/api/tasks/${created.id}`)
          .send({ version: 1, description: `writer ${i}` }),
      ),
    );

    expect(responses.filter((res) => res.status === 200)).toHaveLength(1);
    expect(responses.filter((res) => res.status === 409)).toHaveLength(7);
    const stored = (await request(t.app).get(`/api/tasks/${created.id}`).expect(200)).body;
    expect(stored.version).toBe(2);
    expect(stored.description).toBe(responses.find((res) => res.status === 200)!.body.description);
  });
});
