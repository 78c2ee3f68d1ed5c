import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, waitFor } from './ports';
import { startProcess, type RunningProcess } from './processes';

/** A throwaway PostgreSQL server on loopback, with its data in a temp dir. */
export interface TestPostgres {
  readonly port: number;
  /** Superuser URL of the `postgres` database, with a password. */
  readonly url: string;
  readonly dataDir: string;
  readonly pid: () => number | undefined;
  /** Fast shutdown; the data stays, so start() brings the same cluster back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  destroy(): Promise<void>;
}

/** Finds PostgreSQL's server binaries: PG_BIN, then PATH, then Debian's /usr/lib/postgresql/<major>/bin. */
export function findPostgresBin(): string | undefined {
  const candidates = [process.env.PG_BIN];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) candidates.push(dir);
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    for (const major of readdirSync(debianRoot).sort().reverse())
      candidates.push(path.join(debianRoot, major, 'bin'));
  }
  const found = candidates.find(
    (dir) => dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres')),
  );
  // Debian links initdb and postgres into /usr/local/bin; pg_isready and psql live beside the real files.
  return found && path.dirname(realpathSync(path.join(found, 'initdb')));
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb and postgres refuse to run as root, so as root they run as the `postgres` OS user (same PID, no wrapper). */
function serviceUser(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries not found. Install them (Debian: apt-get install postgresql) or set PG_BIN.',
    );
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-pg-'));
  chmodSync(dataDir, 0o777);
  if (isRoot) execFileSync('chown', ['postgres:postgres', dataDir]);
  const password = randomBytes(12).toString('hex');
  const pwFile = path.join(dataDir, '..', `${path.basename(dataDir)}.pw`);
  execFileSync('sh', ['-c', `umask 077; printf %s "$1" > "$2"`, 'sh', password, pwFile]);
  if (isRoot) execFileSync('chown', ['postgres', pwFile]);
  const user = serviceUser();
  execFileSync(
    path.join(bin, 'initdb'),
    [
      '-D',
      path.join(dataDir, 'data'),
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwFile}`,
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ],
    { stdio: 'pipe', ...user },
  );
  rmSync(pwFile);

  const port = await freePort();
  let server: RunningProcess | undefined;
  const start = async () => {
    server = startProcess(
      path.join(bin, 'postgres'),
      [
        '-D',
        path.join(dataDir, 'data'),
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dataDir}`,
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      user,
    );
    const [ready, readyArgs] = [path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']];
    await waitFor(
      `PostgreSQL on 127.0.0.1:${port}`,
      () => {
        if (server?.child.exitCode !== null) throw new Error(`postgres exited:\n${server?.output()}`);
        try {
          execFileSync(ready, readyArgs, { stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      },
      // Generous: on a busy machine (a learner's laptop, a shared CI runner) start-up is slow, not broken.
      60_000,
    );
  };
  // SIGINT is PostgreSQL's "fast" shutdown: it rolls back open transactions and disconnects clients.
  const stop = async () => {
    await server?.stop('SIGINT', 15_000);
    server = undefined;
  };
  await start();
  return {
    port,
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    dataDir,
    pid: () => server?.pid,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
