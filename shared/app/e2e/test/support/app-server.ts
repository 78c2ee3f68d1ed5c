import { existsSync } from 'node:fs';
import path from 'node:path';
import { startProcess, waitFor, type RunningProcess } from '@taskboard/testkit';

export const repoRoot = path.resolve(__dirname, '../../../../..');
const apiDir = path.join(repoRoot, 'shared/app/api');
const serverJs = path.join(apiDir, 'dist/server.js');
const webIndex = path.join(repoRoot, 'shared/app/web/dist/index.html');

/** Any of these would switch the API to a real PostgreSQL; the e2e run proves the zero-setup embedded path. */
const DATABASE_ENV = ['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'];

/** Fails early, naming the fix, when `npm run build` has not produced what `npm start` would run. */
export function assertBuilt(): void {
  for (const file of [serverJs, webIndex]) {
    if (!existsSync(file)) {
      throw new Error(
        `${path.relative(repoRoot, file)} is missing: run \`npm run build\` at the repository root first.`,
      );
    }
  }
}

export interface AppServer {
  readonly url: string;
  readonly process: RunningProcess;
  stop(): Promise<void>;
}

/**
 * Starts the app the way `npm start` does after its build: `node dist/server.js` in the API workspace, on
 * `port`, with the embedded database in `dataDir`, serving the built SPA. Resolves once /readyz says ready.
 */
export async function startAppServer(port: number, dataDir: string): Promise<AppServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: dataDir,
    // No load balancer to drain in a test: stop at once instead of the production default's 5 s.
    SHUTDOWN_DELAY_MS: '0',
  };
  for (const name of [...DATABASE_ENV, 'WEB_DIST_DIR', 'MIGRATE_ON_START']) {
    delete env[name];
    delete env[`${name}_FILE`];
  }
  const server = startProcess(process.execPath, [serverJs], { cwd: apiDir, env });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `${url}/readyz`,
      async () => {
        if (server.child.exitCode !== null)
          throw new Error(`the server exited with ${server.child.exitCode}`);
        const response = await fetch(`${url}/readyz`);
        return response.ok;
      },
      // Start-up time is not what these tests measure: PGlite's WebAssembly start took over 30 s at a load
      // average of 9 (two CPU burners beside npm test, docs/reliability.md), so allow two minutes.
      120_000,
    );
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${server.output()}`, {
      cause: error,
    });
  }
  return {
    url,
    process: server,
    async stop() {
      const code = await server.stop('SIGTERM', 15_000);
      if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM\n${server.output()}`);
    },
  };
}
