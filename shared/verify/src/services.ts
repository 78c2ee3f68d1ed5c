import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startProcess, waitFor, type RunningProcess } from '@taskboard/testkit';

const run = promisify(execFile);

/** Runs a command to completion; on failure throws with its output, so a broken build explains itself. */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 300_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `\`${command} ${args.join(' ')}\` failed in ${options.cwd}: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      { cause: error },
    );
  }
}

export interface RunningApi {
  url: string;
  port: number;
  process: RunningProcess;
}

/**
 * Runs the built API (`shared/app/api/dist`) the way the container does: the migrate CLI once, then the server,
 * against `databaseUrl`, on a free loopback port. Resolves when /readyz answers 200.
 */
export async function startApi(
  root: string,
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunningApi> {
  const dist = path.join(root, 'shared', 'app', 'api', 'dist');
  if (!existsSync(path.join(dist, 'server.js')))
    throw new Error(`${dist}/server.js not found: run \`npm run build -w @taskboard/api\` first`);
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WEB_DIST_DIR: '',
    // No load balancer to drain in a test: stop at once instead of the production default's 5 s.
    SHUTDOWN_DELAY_MS: '0',
    ...extraEnv,
  };
  await runCommand(process.execPath, [path.join(dist, 'cli', 'migrate.js')], { cwd: root, env });
  const server = startProcess(process.execPath, [path.join(dist, 'server.js')], { cwd: root, env });
  const url = `http://127.0.0.1:${port}`;
  await stopOnFailure(server, () =>
    waitFor(
      `the API on ${url}/readyz`,
      async () => {
        if (server.child.exitCode !== null)
          throw new Error(`the API exited with ${server.child.exitCode}:\n${server.output()}`);
        return (await fetch(`${url}/readyz`)).ok;
      },
      30_000,
    ),
  );
  return { url, port, process: server };
}

/**
 * envsubst as the nginx image's entrypoint runs it: only the given variables are replaced (`$NAME` and
 * `${NAME}`); every other `$word` is nginx's own and stays.
 */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, bare?: string) => {
      const name = (braced ?? bare) as string;
      return Object.prototype.hasOwnProperty.call(vars, name) ? (vars[name] as string) : whole;
    },
  );
}

/** The `mime.types` of the installed nginx (next to its default nginx.conf). */
async function mimeTypesPath(nginx: string): Promise<string> {
  const { stderr } = await run(nginx, ['-V']);
  const confPath = /--conf-path=(\S+)/.exec(stderr)?.[1] ?? '/etc/nginx/nginx.conf';
  return path.join(path.dirname(confPath), 'mime.types');
}

export interface NginxPrefix {
  dir: string;
  conf: string;
}

/**
 * Lays out a throwaway nginx prefix: a main nginx.conf shaped like the official image's (mime types, temp
 * paths) that includes `serverConfig` inside http {}, with pid, logs and temp files in a temp dir.
 */
export async function prepareNginx(nginx: string, serverConfig: string): Promise<NginxPrefix> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-nginx-'));
  // As root, nginx workers run as an unprivileged user that must still read this folder.
  chmodSync(dir, 0o755);
  for (const sub of ['logs', 'temp', 'conf.d']) mkdirSync(path.join(dir, sub), { mode: 0o755 });
  writeFileSync(path.join(dir, 'conf.d', 'default.conf'), serverConfig);
  const tmp = (name: string) => path.join(dir, 'temp', name);
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'logs', 'error.log')} warn;`,
      'events { worker_connections 128; }',
      'http {',
      `  include ${await mimeTypesPath(nginx)};`,
      '  default_type application/octet-stream;',
      `  access_log ${path.join(dir, 'logs', 'access.log')};`,
      `  client_body_temp_path ${tmp('client_body')};`,
      `  proxy_temp_path ${tmp('proxy')};`,
      `  fastcgi_temp_path ${tmp('fastcgi')};`,
      `  uwsgi_temp_path ${tmp('uwsgi')};`,
      `  scgi_temp_path ${tmp('scgi')};`,
      '  sendfile on;',
      `  include ${path.join(dir, 'conf.d', '*.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  return { dir, conf };
}

/** `nginx -t` on a prepared prefix; resolves with nginx's report, rejects with it when the config is invalid. */
export async function testNginxConfig(nginx: string, prefix: NginxPrefix): Promise<string> {
  return runCommand(
    nginx,
    ['-t', '-p', prefix.dir, '-c', prefix.conf, '-e', path.join(prefix.dir, 'logs', 'error.log')],
    { cwd: prefix.dir },
  );
}

/** Starts nginx in the foreground on a prepared prefix and waits until `probeUrl` answers. */
export async function startNginx(
  nginx: string,
  prefix: NginxPrefix,
  probeUrl: string,
): Promise<RunningProcess> {
  const server = startProcess(nginx, [
    '-p',
    prefix.dir,
    '-c',
    prefix.conf,
    '-e',
    path.join(prefix.dir, 'logs', 'error.log'),
    '-g',
    'daemon off;',
  ]);
  await stopOnFailure(server, () =>
    waitFor(`nginx answering ${probeUrl}`, async () => {
      if (server.child.exitCode !== null)
        throw new Error(`nginx exited with ${server.child.exitCode}:\n${server.output()}`);
      await fetch(probeUrl);
      return true;
    }),
  );
  return server;
}

/**
 * Runs `wait`; if it throws, stops `server` before rethrowing. The caller never receives a process it failed to
 * start, so only this function can stop it, and a leaked one keeps jest (and `npm run verify:dayN`) from exiting.
 */
async function stopOnFailure(server: RunningProcess, wait: () => Promise<void>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  }
}
