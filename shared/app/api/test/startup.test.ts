import { spawnSync } from 'node:child_process';
import { builtServer, assertServerBuilt } from './helpers/postgres-server';

describe('node dist/server.js startup', () => {
  beforeAll(() => assertServerBuilt());

  it('refuses to start on an invalid PORT, naming PORT, with exit code 1', () => {
    const result = spawnSync(process.execPath, [builtServer], {
      env: { PATH: process.env.PATH, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 30_000,
    });

    expect(result.status).toBe(1);
    const line = JSON.parse(result.stdout.trim().split('\n')[0] ?? '{}');
    expect(line).toMatchObject({ level: 'fatal', problems: [expect.stringMatching(/^PORT: /)] });
  });

  it('refuses to start when PGPASSWORD_FILE points nowhere, naming PGPASSWORD_FILE', () => {
    const result = spawnSync(process.execPath, [builtServer], {
      env: { PATH: process.env.PATH, PGHOST: '127.0.0.1', PGPASSWORD_FILE: '/nonexistent/pgpassword' },
      encoding: 'utf8',
      timeout: 30_000,
    });

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('PGPASSWORD_FILE: cannot read /nonexistent/pgpassword');
  });
});
