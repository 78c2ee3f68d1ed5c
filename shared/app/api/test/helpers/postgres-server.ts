// Runtime tests (outage, shutdown) need a PostgreSQL server process of their own. Missing binaries skip
// loudly with the reason and the fix; under CI=true they fail, because CI must exercise these paths.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { findPostgresBin, startProcess, waitFor, type RunningProcess } from '@taskboard/testkit';

export const postgresBin = findPostgresBin();

const missing =
  'PostgreSQL server binaries not found (install them: apt-get install postgresql, or set PG_BIN)';

/** `describe` when PostgreSQL can be started here; otherwise a loud skip, or a failing test under CI=true. */
export function describeWithPostgresServer(name: string, body: () => void): void {
  if (postgresBin) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('has PostgreSQL server binaries available (required when CI=true)', () => {
        throw new Error(missing);
      });
    });
    return;
  }
  process.stderr.write(`\n[api tests] SKIPPED "${name}": ${missing}\n`);
  describe.skip(`${name} (skipped: ${missing})`, body);
}

const apiRoot = path.resolve(__dirname, '..', '..');
export const builtServer = path.join(apiRoot, 'dist', 'server.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Tests that run the real process need dist/; say how to get it rather than failing obscurely. */
export function assertServerBuilt(): void {
  if (!existsSync(builtServer)) {
    throw new Error(
      `${builtServer} is missing: run \`npm run build\` (or \`npm run build -w @taskboard/api\`) before these tests.`,
    );
  }
  if (newestMtime(path.join(apiRoot, 'src')) > statSync(builtServer).mtimeMs) {
    throw new Error(
      `${builtServer} is older than src/: run \`npm run build -w @taskboard/api\` so the test runs the current code.`,
    );
  }
}

/**
 * Starts the built server (`node dist/server.js`) on `port` against `databaseUrl`, migrating on start, with `env`
 * on top, and resolves once /readyz answers 200. Start-up time is not under test: the wait is generous, so a busy
 * machine does not fail it.
 */
export async function startBuiltServer(
  port: number,
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningProcess> {
  const base = `http://127.0.0.1:${port}`;
  const server = startProcess(process.execPath, [builtServer], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      WEB_DIST_DIR: '',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  await waitFor(
    `the API on ${base} to be ready`,
    async () => {
      if (server.child.exitCode !== null) throw new Error(`API exited:\n${server.output()}`);
      return (await fetch(`${base}/readyz`)).status === 200;
    },
    60_000,
    200,
  );
  return server;
}
