import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
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

describe('node dist/cli/migrate.js against a server that never answers', () => {
  let silent: net.Server | undefined;
  const sockets = new Set<net.Socket>();

  beforeAll(() => assertServerBuilt());

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  });

  it('names host:port and says no answer came within DB_TIMEOUT_MS, not "the pool is probably full"', async () => {
    // Arrange: a TCP server that accepts and then says nothing, like a frozen or firewalled PostgreSQL
    silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const cli = path.join(path.dirname(builtServer), 'cli', 'migrate.js');

    // Act
    const child = spawn(process.execPath, [cli, 'status'], {
      env: {
        PATH: process.env.PATH,
        PGHOST: '127.0.0.1',
        PGPORT: String(port),
        PGUSER: 'x',
        DB_TIMEOUT_MS: '500',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    // Assert
    expect({ code, stderr: stderr.trim() }).toEqual({
      code: 1,
      stderr: expect.stringMatching(
        new RegExp(
          `^migration failed: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/x: no answer within 500 ms`,
        ),
      ),
    });
    expect(stderr).not.toMatch(/pool is probably full/);
  });
});
