import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createDatabase } from '../src/data/database';
import { createLogger } from '../src/logger';
import { STARTUP_TIMEOUT_MS, testEnv } from './helpers/database';

// The no-configuration default is PGlite on disk; a task created there must survive a restart.
describe('embedded PGlite on disk', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-pglite-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a created task after the database is closed and reopened', async () => {
    // Arrange
    // A generous DB_TIMEOUT_MS: PGlite starts twice here, and start-up time is not what this test measures.
    const config = loadConfig(testEnv({ PGLITE_DATA_DIR: dataDir, DB_TIMEOUT_MS: STARTUP_TIMEOUT_MS }));
    const logger = createLogger({ level: 'silent' });
    const first = createDatabase(config);
    await first.migrateLatest();
    const created = (
      await request(createApp({ config, db: first, logger }))
        .post('/api/tasks')
        .send({ title: 'survives restarts' })
        .expect(201)
    ).body;
    await first.close();

    // Act
    const second = createDatabase(config);
    const res = await request(createApp({ config, db: second, logger })).get(`/api/tasks/${created.id}`);
    const status = await second.migrationStatus();
    await second.close();

    // Assert
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
    expect(status.pending).toEqual([]);
  });
});
