import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@taskboard/verify/src/check';
import { localRuntimeTier } from '@taskboard/verify/src/tiers';
import {
  freePort,
  startProcess,
  startTestPostgres,
  stopAll,
  waitFor,
  type RunningProcess,
  type TestPostgres,
} from '@taskboard/testkit';

/*
 * Local runtime tier: the real API process (shared/app/api/dist/server.js) reads PGPASSWORD_FILE from a temp
 * folder that stands in for the CSI mount. The role's password and the file change together, as they do when
 * `terraform apply -replace=random_password.db` updates the server and Key Vault and the CSI driver rewrites the
 * file. Requests must keep succeeding and the process must be the same one: no restart.
 */

const server = path.join(repoRoot, 'shared/app/api/dist/server.js');
const role = 'taskboard_app';

localRuntimeTier('day 7 local runtime: the API survives a password rotation', ['postgres'], repoRoot, () => {
  let pg: TestPostgres;
  let api: RunningProcess;
  let mount: string;
  let passwordFile: string;
  let base: string;

  async function asSuperuser(sql: string): Promise<void> {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  /** The CSI driver swaps files atomically; a half-written password must never be read. */
  function writeMountedPassword(password: string): void {
    const staging = path.join(mount, '.staging');
    writeFileSync(staging, password);
    renameSync(staging, passwordFile);
  }

  async function canLogIn(password: string): Promise<boolean> {
    const url = new URL(pg.url);
    const client = new Client({
      host: '127.0.0.1',
      port: Number(url.port),
      user: role,
      password,
      database: 'taskboard',
    });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      return false;
    }
  }

  async function createTask(title: string): Promise<Response> {
    return fetch(`${base}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title }),
    });
  }

  beforeAll(async () => {
    if (!existsSync(server)) {
      throw new Error(
        `${server} is missing: run \`npm run build -w @taskboard/api\` before npm run verify:day7`,
      );
    }
    pg = await startTestPostgres();
    await asSuperuser(`CREATE ROLE ${role} LOGIN PASSWORD 'first-rotation-password'`);
    await asSuperuser(`CREATE DATABASE taskboard OWNER ${role}`);
    mount = mkdtempSync(path.join(os.tmpdir(), 'day7-secrets-store-'));
    passwordFile = path.join(mount, 'db-password');
    writeMountedPassword('first-rotation-password');

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = startProcess(process.execPath, [server], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        WEB_DIST_DIR: '',
        SHUTDOWN_DELAY_MS: '0',
        PGHOST: '127.0.0.1',
        PGPORT: String(pg.port),
        PGUSER: role,
        PGDATABASE: 'taskboard',
        PGPASSWORD_FILE: passwordFile,
        MIGRATE_ON_START: 'true',
      },
    });
    await waitFor(
      `the API on ${base}/readyz`,
      async () => {
        if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.output()}`);
        return (await fetch(`${base}/readyz`)).status === 200;
      },
      30_000,
    );
  });

  afterAll(async () => {
    await stopAll();
    await pg?.destroy();
    if (mount) rmSync(mount, { recursive: true, force: true });
  });

  it('serves requests with the password read from PGPASSWORD_FILE', async () => {
    expect((await createTask('before the rotation')).status).toBe(201);
  });

  it('keeps serving after the role password and the mounted file change together, in the same process', async () => {
    const pid = api.pid;
    await asSuperuser(`ALTER ROLE ${role} PASSWORD 'second-rotation-password'`);
    writeMountedPassword('second-rotation-password');
    // Drop the API's open sessions, so every later query needs a new connection, which must authenticate afresh.
    await asSuperuser(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}' AND pid <> pg_backend_pid()`,
    );
    await waitFor(
      '/readyz 200 on fresh connections after the rotation (new pool connections must re-read PGPASSWORD_FILE: shared/app/api/src/data/database.ts)',
      async () => {
        if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.output()}`);
        return (await fetch(`${base}/readyz`)).status === 200;
      },
    );

    const created = await createTask('after the rotation');
    const list = (await (await fetch(`${base}/api/tasks`)).json()) as { items: { title: string }[] };

    expect({
      created: created.status,
      titles: list.items.map((task) => task.title).sort(),
      samePid: api.pid === pid && api.child.exitCode === null,
      oldPasswordStillWorks: await canLogIn('first-rotation-password'),
    }).toEqual({
      created: 201,
      titles: ['after the rotation', 'before the rotation'],
      samePid: true,
      oldPasswordStillWorks: false,
    });
  });
});
