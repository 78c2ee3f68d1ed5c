// Tier "container": the real images and compose stack. Runs only where a Docker engine answers.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CheckFailedError, containerTier, repoRoot, runCommand, waitFor } from '@taskboard/verify';
import { COMPOSE, DAY, docs } from './model';

containerTier(
  'container: docker compose up --build --wait, smoke test on :8080, down -v',
  repoRoot,
  (tools) => {
    const project = ['compose', '-p', 'taskboard-verify', '-f', path.join(repoRoot, COMPOSE)];
    const secret = path.join(repoRoot, DAY, 'secrets', 'db_password.txt');
    let createdSecret = false;

    beforeAll(async () => {
      if (!existsSync(secret)) {
        writeFileSync(secret, randomBytes(24).toString('hex'), { mode: 0o600 });
        createdSecret = true;
      }
      await runCommand(tools.docker, [...project, 'up', '-d', '--build', '--wait'], {
        cwd: repoRoot,
        timeoutMs: 900_000,
      });
    }, 900_000);

    afterAll(async () => {
      await runCommand(tools.docker, [...project, 'down', '-v'], { cwd: repoRoot }).catch(() => undefined);
      if (createdSecret) rmSync(secret);
    }, 120_000);

    it('the stack answers /api/info through the web container on :8080', async () => {
      let body = '';
      await waitFor(
        'http://127.0.0.1:8080/api/info',
        async () => {
          const res = await fetch('http://127.0.0.1:8080/api/info');
          body = await res.text();
          return res.ok;
        },
        30_000,
      ).catch(() => {
        throw new CheckFailedError('the stack answers /api/info through :8080', [
          {
            file: COMPOSE,
            object: 'service "web"',
            expected: '200 from /api/info',
            actual: body || 'no answer',
            fix: 'docker compose -p taskboard-verify logs web api',
            docs: docs.compose,
          },
        ]);
      });
    });
  },
);
