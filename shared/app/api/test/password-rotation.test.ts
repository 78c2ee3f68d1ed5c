import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { startTestPostgres, type TestPostgres } from '@taskboard/testkit';
import { loadConfig } from '../src/config';
import { createDatabase, type Database } from '../src/data/database';
import { buildTestApp, type TestApp } from './helpers/app';
import { testEnv } from './helpers/database';
import { describeWithPostgresServer } from './helpers/postgres-server';

// Day 7's Key Vault CSI driver rewrites the mounted password file when the secret rotates. New pool connections must
// authenticate with the file's current content, without a restart.
describeWithPostgresServer('PGPASSWORD_FILE rotation (real PostgreSQL)', () => {
  let pg: TestPostgres;
  let dir: string;
  let passwordFile: string;
  const role = 'rotating_app';

  async function admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  function envFor(password: { file: string } | { literal: string }): NodeJS.ProcessEnv {
    return testEnv({
      PGHOST: '127.0.0.1',
      PGPORT: String(pg.port),
      PGUSER: role,
      PGDATABASE: 'rotation',
      ...('file' in password ? { PGPASSWORD_FILE: password.file } : { PGPASSWORD: password.literal }),
    });
  }

  /** Holds `count` pool connections at once, so the pool must open new ones (an idle one alone is not enough). */
  async function holdConnections(db: Database, count: number): Promise<void> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const all = Array.from({ length: count }, () =>
      db.knex.transaction(async (trx) => {
        await trx.raw('select 1');
        if (++started === count) release();
        await gate;
      }),
    );
    await Promise.all(all);
  }

  beforeAll(async () => {
    pg = await startTestPostgres();
    await admin(`CREATE ROLE ${role} LOGIN PASSWORD 'first-password'`);
    await admin(`CREATE DATABASE rotation OWNER ${role}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'pgpassword-'));
    passwordFile = path.join(dir, 'db-password');
    writeFileSync(passwordFile, 'first-password\n');
  });

  afterAll(async () => {
    await pg?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('with PGPASSWORD_FILE', () => {
    let db: Database;
    let t: TestApp;

    beforeAll(async () => {
      const config = loadConfig(envFor({ file: passwordFile }));
      db = createDatabase(config);
      await db.migrateLatest();
      t = buildTestApp({ config, db, cleanup: async () => {} });
    });

    afterAll(() => db?.close());

    it('opens new connections with the rotated password after ALTER ROLE and a rewritten file', async () => {
      await request(t.app).post('/api/tasks').send({ title: 'before rotation' }).expect(201);

      await admin(`ALTER ROLE ${role} PASSWORD 'second-password'`);
      writeFileSync(passwordFile, 'second-password\n');
      await holdConnections(db, 4);

      const res = await request(t.app).get('/api/tasks');
      expect(res.status).toBe(200);
      expect(res.body.items.map((task: { title: string }) => task.title)).toContain('before rotation');
    });
  });

  describe('with a literal PGPASSWORD (the control: proves the rotation test can fail)', () => {
    let db: Database;

    afterAll(() => db?.close());

    it('cannot open a new connection once the role password changed', async () => {
      writeFileSync(passwordFile, 'third-password\n');
      await admin(`ALTER ROLE ${role} PASSWORD 'third-password'`);
      db = createDatabase(loadConfig(envFor({ literal: 'second-password' })));

      await expect(db.knex.raw('select 1')).rejects.toThrow(/password authentication failed/);
    });
  });
});
