// Tier 2, local runtime: the SPA built with web.Dockerfile's own command, served by the real nginx with the
// project's template, proxying to the real API backed by a throwaway PostgreSQL. Nothing here needs Docker.
import { existsSync, mkdtempSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CheckFailedError,
  freePort,
  instructionsOf,
  localRuntimeTier,
  prepareNginx,
  readText,
  renderTemplate,
  repoRoot,
  runCommand,
  startApi,
  startNginx,
  startTestPostgres,
  stopAll,
  testNginxConfig,
  type Violation,
} from '@taskboard/verify';
import { API_DOCKERFILE, NGINX_TEMPLATE, WEB_DOCKERFILE, docs, stages, webTemplateVars } from './model';

/** The `RUN npm run build ...` of a Dockerfile: verify runs exactly what the image build runs. */
function buildCommandOf(dockerfile: string): string {
  for (const stage of stages(repoRoot, dockerfile)) {
    const run = instructionsOf(stage, 'RUN').find((i) => /npm run build/.test(i.getArgumentsContent() ?? ''));
    if (run) return (run.getArgumentsContent() ?? '').trim();
  }
  throw new Error(`${dockerfile} has no RUN npm run build instruction`);
}

type Step<T> = { ok: true; value: T } | { ok: false; error: Error };

async function step<T>(work: () => Promise<T>): Promise<Step<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

/** A setup step's failure, reported by every check that depends on it, in the checks' own format. */
function unwrap<T>(result: Step<T> | undefined, title: string, where: Omit<Violation, 'actual'>): T {
  if (result?.ok) return result.value;
  throw new CheckFailedError(title, [
    { ...where, actual: result ? result.error.message : 'setup did not run' },
  ]);
}

function fail(title: string, violation: Omit<Violation, 'docs'>, docsLink = docs.webImage): never {
  throw new CheckFailedError(title, [{ ...violation, docs: docsLink }]);
}

localRuntimeTier(
  'local runtime: nginx serves the SPA and proxies the API',
  ['nginx', 'postgres'],
  repoRoot,
  (tools) => {
    const temps: string[] = [];
    let build: Step<{ dir: string; command: string }> | undefined;
    let nginxTest: Step<string> | undefined;
    let serving: Step<string> | undefined;

    beforeAll(async () => {
      build = await step(async () => {
        const command = buildCommandOf(WEB_DOCKERFILE);
        const dir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-web-dist-'));
        temps.push(dir);
        chmodSync(dir, 0o755); // nginx workers (an unprivileged user when run as root) must read it
        // The image's command, writing to a temp folder so a concurrent test run's dist/ is never emptied under it.
        await runCommand('sh', ['-c', `${command} -- --outDir "${dir}" --emptyOutDir`], { cwd: repoRoot });
        return { dir, command };
      });
      if (!build.ok) return;
      const webDist = build.value.dir;
      serving = await step(async () => {
        if (!existsSync(path.join(repoRoot, 'shared/app/api/dist/server.js'))) {
          await runCommand('sh', ['-c', buildCommandOf(API_DOCKERFILE)], { cwd: repoRoot });
        }
        const db = await startTestPostgres();
        afterAllCleanups.push(() => db.destroy());
        const api = await startApi(repoRoot, db.url);
        const port = await freePort();
        const vars = {
          ...webTemplateVars(repoRoot),
          API_UPSTREAM: `127.0.0.1:${api.port}`,
          WEB_PORT: String(port),
          WEB_ROOT: webDist,
        };
        const prefix = await prepareNginx(
          tools.nginx,
          renderTemplate(readText(repoRoot, NGINX_TEMPLATE), vars),
        );
        temps.push(prefix.dir);
        nginxTest = await step(() => testNginxConfig(tools.nginx, prefix));
        if (!nginxTest.ok) throw nginxTest.error;
        const base = `http://127.0.0.1:${port}`;
        await startNginx(tools.nginx, prefix, `${base}/healthz`);
        return base;
      });
    });

    const afterAllCleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      await stopAll();
      for (const cleanup of afterAllCleanups) await cleanup();
      for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    });

    const built = (title: string) =>
      unwrap(build, title, {
        file: WEB_DOCKERFILE,
        object: 'build stage RUN npm run build',
        expected: 'the SPA builds',
        fix: 'run the command shown and fix the web app or the Dockerfile',
        docs: docs.webImage,
      });
    const base = (title: string) =>
      unwrap(serving, title, {
        file: NGINX_TEMPLATE,
        object: 'nginx + API + PostgreSQL',
        expected: 'the stack starts on loopback',
        fix: 'read the error above (nginx -t output, API log); run `npm run build` first if dist/ is missing',
        docs: docs.webImage,
      });

    it("the SPA builds with web.Dockerfile's own command (npm run build -w @taskboard/web)", () => {
      const title = "the SPA builds with web.Dockerfile's own command";
      const { dir, command } = built(title);
      if (!existsSync(path.join(dir, 'index.html')))
        fail(title, {
          file: WEB_DOCKERFILE,
          object: command,
          expected: 'index.html in the build output',
          actual: 'no index.html',
          fix: 'check vite.config.ts build.outDir',
        });
    });

    it('nginx -t accepts the rendered template', () => {
      unwrap(nginxTest, 'nginx -t accepts the rendered template', {
        file: NGINX_TEMPLATE,
        object: 'rendered config',
        expected: 'nginx -t: syntax is ok, test is successful',
        fix: 'fix the directive named in the nginx message (line numbers refer to the rendered conf.d/default.conf)',
        docs: docs.webImage,
      });
    });

    it('GET / serves index.html', async () => {
      const res = await fetch(`${base('GET / serves index.html')}/`);
      const body = await res.text();
      if (res.status !== 200 || !body.includes('<div id="root">'))
        fail('GET / serves index.html', {
          file: NGINX_TEMPLATE,
          object: 'location /',
          expected: '200 with the SPA index.html',
          actual: `${res.status}, body starts ${JSON.stringify(body.slice(0, 80))}`,
          fix: 'root must point at the built SPA (WEB_ROOT) with index index.html',
        });
    });

    it('GET /tasks/<id> falls back to index.html (client-side routing)', async () => {
      const title = 'GET /tasks/<id> falls back to index.html';
      const res = await fetch(`${base(title)}/tasks/3f1c1d2e-0000-4000-8000-000000000001`);
      const body = await res.text();
      if (res.status !== 200 || !body.includes('<div id="root">'))
        fail(title, {
          file: NGINX_TEMPLATE,
          object: 'location /',
          expected: '200 with index.html',
          actual: `${res.status}`,
          fix: 'add `try_files $uri $uri/ /index.html;` to location /',
        });
    });

    it('GET /api/info is proxied to the API, which reports PostgreSQL up', async () => {
      const title = 'GET /api/info is proxied to the API';
      const res = await fetch(`${base(title)}/api/info`);
      const text = await res.text();
      let info: { name?: string; database?: { kind?: string; status?: string } } = {};
      try {
        info = JSON.parse(text) as typeof info;
      } catch {
        // reported below
      }
      if (
        res.status !== 200 ||
        info.name !== 'taskboard-api' ||
        info.database?.kind !== 'postgres' ||
        info.database.status !== 'up'
      ) {
        fail(title, {
          file: NGINX_TEMPLATE,
          object: 'location /api/',
          expected: '200 {"name":"taskboard-api", "database":{"kind":"postgres","status":"up"}}',
          actual: `${res.status} ${text.slice(0, 200)}`,
          fix: 'proxy_pass http://${API_UPSTREAM}; (no trailing path, so /api/info reaches the API as /api/info)',
        });
      }
    });

    it('hashed assets get a one-year immutable Cache-Control; index.html gets no-cache', async () => {
      const title = 'hashed assets are cached for a year, index.html is not';
      const url = base(title);
      const html = readFileSync(path.join(built(title).dir, 'index.html'), 'utf8');
      const asset = /(?:src|href)="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      if (!asset)
        fail(title, {
          file: 'shared/app/web/vite.config.ts',
          object: 'build.assetsDir',
          expected: 'index.html referencing /assets/<name>-<hash>.js',
          actual: 'no /assets/ script in index.html',
          fix: "keep vite's default assetsDir 'assets'",
        });
      const assetCache = (await fetch(`${url}${asset}`)).headers.get('cache-control') ?? '';
      const indexCache = (await fetch(`${url}/`)).headers.get('cache-control') ?? '';
      if (
        !/max-age=31536000/.test(assetCache) ||
        !/immutable/.test(assetCache) ||
        !/no-cache/.test(indexCache)
      ) {
        fail(title, {
          file: NGINX_TEMPLATE,
          object: 'map $uri $taskboard_cache_control',
          expected: `${asset}: "public, max-age=31536000, immutable"; /: "no-cache"`,
          actual: `${asset}: "${assetCache}"; /: "${indexCache}"`,
          fix: 'set Cache-Control from the map: ~^/assets/ long and immutable, default no-cache',
        });
      }
    });

    it('security headers are present and nginx hides its version', async () => {
      const title = 'security headers are present and nginx hides its version';
      const res = await fetch(`${base(title)}/`);
      const expected: Record<string, RegExp> = {
        'x-content-type-options': /^nosniff$/,
        'x-frame-options': /^(DENY|SAMEORIGIN)$/,
        'referrer-policy': /.+/,
        'content-security-policy': /default-src/,
      };
      const problems = Object.entries(expected)
        .filter(([name, rule]) => !rule.test(res.headers.get(name) ?? ''))
        .map(([name]) => `${name}: ${res.headers.get(name) ?? '(missing)'}`);
      const server = res.headers.get('server') ?? '';
      if (/\d/.test(server)) problems.push(`server: ${server} (version disclosed)`);
      if (problems.length > 0)
        fail(title, {
          file: NGINX_TEMPLATE,
          object: 'server add_header',
          expected: 'nosniff, X-Frame-Options, Referrer-Policy, Content-Security-Policy; server_tokens off',
          actual: problems.join('; '),
          fix: 'add the headers with `always` at server level, and server_tokens off;',
        });
    });

    it('a missing hashed asset is a 404, not index.html', async () => {
      const title = 'a missing hashed asset is a 404';
      const res = await fetch(`${base(title)}/assets/does-not-exist-0000.js`);
      if (res.status !== 404)
        fail(title, {
          file: NGINX_TEMPLATE,
          object: 'location /assets/',
          expected: '404',
          actual: `${res.status} ${res.headers.get('content-type') ?? ''}`,
          fix: 'add location /assets/ { try_files $uri =404; } so browsers never run HTML as JavaScript',
        });
    });

    it('JavaScript is served gzip-compressed', async () => {
      const title = 'JavaScript is served gzip-compressed';
      const url = base(title);
      const html = readFileSync(path.join(built(title).dir, 'index.html'), 'utf8');
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '/assets/missing.js';
      const res = await fetch(`${url}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
      if (res.headers.get('content-encoding') !== 'gzip')
        fail(title, {
          file: NGINX_TEMPLATE,
          object: 'gzip',
          expected: 'Content-Encoding: gzip',
          actual: res.headers.get('content-encoding') ?? '(none)',
          fix: 'gzip on; gzip_types ... application/javascript;',
        });
    });
  },
);
