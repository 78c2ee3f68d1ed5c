// Day 1 local-runtime checks: the SPA built with web.Dockerfile's own command, served by the real nginx with the
// template from `root`, proxying to the real API backed by a throwaway PostgreSQL. A session owns the processes;
// its checks take `root` like the static ones, so fixture tests can run them against a mutated copy.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  defineCheck,
  freePort,
  instructionsOf,
  prepareNginx,
  readText,
  renderTemplate,
  repoRoot,
  runCommand,
  startApi,
  startNginx,
  startTestPostgres,
  testNginxConfig,
  violationsFor,
  type Check,
  type RunningApi,
  type Violation,
} from '@taskboard/verify';
import type { RunningProcess } from '@taskboard/testkit';
import { API_DOCKERFILE, NGINX_TEMPLATE, WEB_DOCKERFILE, docs, stages, webTemplateVars } from './model';

/** The `RUN npm run build ...` of a Dockerfile: verify runs exactly what the image build runs. */
export function buildCommandOf(root: string, dockerfile: string): string {
  for (const stage of stages(root, dockerfile)) {
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

const v = violationsFor(docs.webImage);

/** Shared processes of one runtime run. Build and start once (`start`), then run the checks, then `stop`. */
export class RuntimeSession {
  build?: Step<{ dir: string; command: string }>;
  nginxTest?: Step<string>;
  serving?: Step<string>;
  /** A second nginx from the same template whose API_UPSTREAM is a closed port: what users see when the API is down. */
  unreachable?: Step<string>;
  private readonly temps: string[] = [];
  private readonly processes: RunningProcess[] = [];
  private database?: { destroy(): Promise<void> };
  private api?: RunningApi;

  constructor(private readonly nginx: string) {}

  /** Never throws: each step's failure is reported by the checks that depend on it, in their own format. */
  async start(root: string): Promise<void> {
    this.build = await step(async () => {
      // The app is built from the real workspace (a fixture copy has no node_modules); the command is root's.
      const command = buildCommandOf(root, WEB_DOCKERFILE);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-web-dist-'));
      this.temps.push(dir);
      chmodSync(dir, 0o755); // nginx workers (an unprivileged user when run as root) must read it
      // The image's command, into a temp folder so a concurrent run's dist/ is never emptied under it.
      await runCommand('sh', ['-c', `${command} -- --outDir "${dir}" --emptyOutDir`], { cwd: repoRoot });
      return { dir, command };
    });
    if (!this.build.ok) return;
    const webRoot = this.build.value.dir;
    this.serving = await step(async () => {
      if (!existsSync(path.join(repoRoot, 'shared/app/api/dist/server.js'))) {
        await runCommand('sh', ['-c', buildCommandOf(repoRoot, API_DOCKERFILE)], { cwd: repoRoot });
      }
      if (!this.api) {
        const db = await startTestPostgres();
        this.database = db;
        this.api = await startApi(repoRoot, db.url);
        this.processes.push(this.api.process);
      }
      const port = await freePort();
      // Only the local addresses change; every other value comes from the image ENV and compose, as in a container.
      const vars = {
        ...webTemplateVars(root),
        API_UPSTREAM: `127.0.0.1:${this.api.port}`,
        WEB_PORT: String(port),
        WEB_ROOT: webRoot,
      };
      const prefix = await prepareNginx(this.nginx, renderTemplate(readText(root, NGINX_TEMPLATE), vars));
      this.temps.push(prefix.dir);
      this.nginxTest = await step(() => testNginxConfig(this.nginx, prefix));
      if (!this.nginxTest.ok) throw this.nginxTest.error;
      const base = `http://127.0.0.1:${port}`;
      this.processes.push(await startNginx(this.nginx, prefix, `${base}/healthz`));
      return base;
    });
    if (!this.serving.ok) return;
    this.unreachable = await step(async () => {
      // Nothing listens on a port that was just free: nginx's connect fails at once, as with a crashed API.
      const port = await freePort();
      const closedPort = await freePort();
      const vars = {
        ...webTemplateVars(root),
        API_UPSTREAM: `127.0.0.1:${closedPort}`,
        WEB_PORT: String(port),
        WEB_ROOT: webRoot,
      };
      const prefix = await prepareNginx(this.nginx, renderTemplate(readText(root, NGINX_TEMPLATE), vars));
      this.temps.push(prefix.dir);
      const base = `http://127.0.0.1:${port}`;
      this.processes.push(await startNginx(this.nginx, prefix, `${base}/healthz`));
      return base;
    });
  }

  /** Stops everything `start` started, even when part of it failed, so no process outlives the test run. */
  async stop(): Promise<void> {
    const stopped = await Promise.allSettled(this.processes.map((p) => p.stop()));
    this.processes.length = 0;
    const destroyed = await Promise.allSettled([this.database?.destroy()]);
    this.database = undefined;
    for (const dir of this.temps.splice(0)) rmSync(dir, { recursive: true, force: true });
    const failure = [...stopped, ...destroyed].find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** The URL nginx serves, or the violation explaining why there is none. */
  baseUrl(): { url?: string; violation?: Violation } {
    if (this.serving?.ok) return { url: this.serving.value };
    const cause = this.build && !this.build.ok ? this.build : this.serving;
    const error = cause && !cause.ok ? cause.error.message : 'the runtime session did not start';
    return {
      violation: v(NGINX_TEMPLATE, 'nginx + API + PostgreSQL on loopback', {
        expected: 'the stack starts',
        actual: error,
        fix: 'read the error (nginx -t output, build log, API log); run `npm run build` if dist/ is missing',
      }),
    };
  }

  /** The nginx whose API is unreachable, or the violation explaining why there is none. */
  unreachableUrl(): { url?: string; violation?: Violation } {
    if (this.unreachable?.ok) return { url: this.unreachable.value };
    const serving = this.baseUrl();
    if (serving.violation) return serving;
    const error =
      this.unreachable && !this.unreachable.ok
        ? this.unreachable.error.message
        : 'the second nginx did not start';
    return {
      violation: v(NGINX_TEMPLATE, 'nginx with API_UPSTREAM on a closed port', {
        expected: 'nginx starts',
        actual: error,
        fix: 'read the nginx error above',
      }),
    };
  }

  indexHtml(): string {
    return this.build?.ok ? readFileSync(path.join(this.build.value.dir, 'index.html'), 'utf8') : '';
  }
}

/** Builds a check that needs nginx serving; it reports the setup failure itself when there is none. */
function served(session: RuntimeSession, title: string, run: (url: string) => Promise<Violation[]>): Check {
  return defineCheck(title, async () => {
    const { url, violation } = session.baseUrl();
    return url ? run(url) : [violation as Violation];
  });
}

/** Like `served`, against the nginx whose API is unreachable. */
function servedWithoutApi(
  session: RuntimeSession,
  title: string,
  run: (url: string) => Promise<Violation[]>,
): Check {
  return defineCheck(title, async () => {
    const { url, violation } = session.unreachableUrl();
    return url ? run(url) : [violation as Violation];
  });
}

/** The parsed body when the response is `application/problem+json` with the given status in body and line. */
async function problemOf(res: Response, status: number): Promise<string | undefined> {
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let body: { type?: unknown; title?: unknown; status?: unknown; detail?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // reported below with the raw body
  }
  const ok =
    res.status === status &&
    /^application\/problem\+json\b/.test(type) &&
    body.status === status &&
    typeof body.type === 'string' &&
    typeof body.title === 'string' &&
    typeof body.detail === 'string';
  return ok
    ? undefined
    : `${res.status} ${type || '(no content-type)'} ${JSON.stringify(text.slice(0, 120))}`;
}

const isIndex = (body: string) => body.includes('<div id="root">');

export function runtimeChecks(session: RuntimeSession): Check[] {
  return [
    defineCheck("the SPA builds with web.Dockerfile's own command (npm run build -w @taskboard/web)", () => {
      const build = session.build;
      if (build?.ok && existsSync(path.join(build.value.dir, 'index.html'))) return [];
      return [
        v(WEB_DOCKERFILE, 'build stage RUN npm run build', {
          expected: 'the SPA builds and writes index.html',
          actual: build && !build.ok ? build.error.message : 'no index.html in the output',
          fix: 'run the command shown and fix the web app or the Dockerfile',
        }),
      ];
    }),
    defineCheck('nginx -t accepts the rendered template', () => {
      if (session.nginxTest?.ok) return [];
      const actual =
        session.nginxTest && !session.nginxTest.ok
          ? session.nginxTest.error.message
          : 'nginx -t did not run (an earlier step failed)';
      return [
        v(NGINX_TEMPLATE, 'rendered conf.d/default.conf', {
          expected: 'nginx -t: syntax is ok, test is successful',
          actual,
          fix: 'fix the directive nginx names; every upstream must resolve, so use proxy_pass http://${API_UPSTREAM};',
        }),
      ];
    }),
    served(session, 'GET / serves index.html', async (url) => {
      const res = await fetch(`${url}/`);
      const body = await res.text();
      return res.status === 200 && isIndex(body)
        ? []
        : [
            v(NGINX_TEMPLATE, 'location /', {
              expected: '200 with the SPA index.html',
              actual: `${res.status}, body starts ${JSON.stringify(body.slice(0, 80))}`,
              fix: 'root must be the built SPA (WEB_ROOT) with index index.html',
            }),
          ];
    }),
    served(session, 'GET /tasks/<id> falls back to index.html (client-side routing)', async (url) => {
      const res = await fetch(`${url}/tasks/3f1c1d2e-0000-4000-8000-000000000001`);
      const body = await res.text();
      return res.status === 200 && isIndex(body)
        ? []
        : [
            v(NGINX_TEMPLATE, 'location /', {
              expected: '200 with index.html',
              actual: `${res.status}`,
              fix: 'add `try_files $uri $uri/ /index.html;` to location /',
            }),
          ];
    }),
    served(session, 'GET /api/info is proxied to the API, which reports PostgreSQL up', async (url) => {
      const res = await fetch(`${url}/api/info`);
      const text = await res.text();
      let info: { name?: string; database?: { kind?: string; status?: string } } = {};
      try {
        info = JSON.parse(text) as typeof info;
      } catch {
        // reported below with the raw body
      }
      const ok =
        res.status === 200 &&
        info.name === 'taskboard-api' &&
        info.database?.kind === 'postgres' &&
        info.database.status === 'up';
      return ok
        ? []
        : [
            v(NGINX_TEMPLATE, 'location /api/', {
              expected: '200 {"name":"taskboard-api", "database":{"kind":"postgres","status":"up"}}',
              actual: `${res.status} ${text.slice(0, 200)}`,
              fix: 'proxy_pass http://${API_UPSTREAM}; with no path after it, so /api/info reaches the API unchanged',
            }),
          ];
    }),
    served(
      session,
      'hashed assets get a one-year immutable Cache-Control; index.html gets no-cache',
      async (url) => {
        const asset = /(?:src|href)="(\/assets\/[^"]+\.js)"/.exec(session.indexHtml())?.[1];
        if (!asset)
          return [
            v('shared/app/web/vite.config.ts', 'build.assetsDir', {
              expected: 'index.html referencing /assets/<name>-<hash>.js',
              actual: 'no /assets/ script in index.html',
              fix: "keep vite's default assetsDir 'assets'",
            }),
          ];
        const assetCache = (await fetch(`${url}${asset}`)).headers.get('cache-control') ?? '';
        const indexCache = (await fetch(`${url}/`)).headers.get('cache-control') ?? '';
        const ok =
          /max-age=31536000/.test(assetCache) && /immutable/.test(assetCache) && /no-cache/.test(indexCache);
        return ok
          ? []
          : [
              v(NGINX_TEMPLATE, 'map $uri $taskboard_cache_control', {
                expected: `${asset}: "public, max-age=31536000, immutable"; /: "no-cache"`,
                actual: `${asset}: "${assetCache}"; /: "${indexCache}"`,
                fix: 'set Cache-Control from the map: ~^/assets/ long and immutable, default no-cache',
              }),
            ];
      },
    ),
    served(session, 'security headers are present and nginx hides its version', async (url) => {
      const res = await fetch(`${url}/`);
      const expected: Record<string, RegExp> = {
        'x-content-type-options': /^nosniff$/,
        'x-frame-options': /^(DENY|SAMEORIGIN)$/,
        'referrer-policy': /.+/,
        'content-security-policy': /default-src/,
      };
      const problems = Object.entries(expected)
        .filter(([name, rule]) => !rule.test(res.headers.get(name) ?? ''))
        .map(([name]) => `${name}: ${res.headers.get(name) ?? '(missing)'}`);
      if (/\d/.test(res.headers.get('server') ?? ''))
        problems.push(`server: ${res.headers.get('server')} (version disclosed)`);
      return problems.length === 0
        ? []
        : [
            v(NGINX_TEMPLATE, 'server add_header', {
              expected:
                'nosniff, X-Frame-Options, Referrer-Policy, Content-Security-Policy; server_tokens off',
              actual: problems.join('; '),
              fix: 'add the headers with `always` at server level, and server_tokens off;',
            }),
          ];
    }),
    served(session, 'a missing hashed asset is a 404, not index.html', async (url) => {
      const res = await fetch(`${url}/assets/does-not-exist-0000.js`);
      return res.status === 404
        ? []
        : [
            v(NGINX_TEMPLATE, 'location /assets/', {
              expected: '404',
              actual: `${res.status} ${res.headers.get('content-type') ?? ''}`,
              fix: 'add location /assets/ { try_files $uri =404; } so browsers never run HTML as JavaScript',
            }),
          ];
    }),
    served(
      session,
      "a missing hashed asset's 404 is not cacheable (no one-year immutable Cache-Control)",
      async (url) => {
        const res = await fetch(`${url}/assets/does-not-exist-0000.js`);
        const cache = res.headers.get('cache-control') ?? '';
        return res.status === 404 && !/max-age=31536000|immutable/.test(cache)
          ? []
          : [
              v(NGINX_TEMPLATE, 'map $taskboard_cache_control', {
                expected:
                  '404 with Cache-Control no-store (or none): an old pod may not have a new bundle yet',
                actual: `${res.status}, Cache-Control: "${cache}"`,
                fix: 'map "$status $uri": the one-year value only for 200, 206 and 304 under /assets/, no-store for 4xx/5xx',
              }),
            ];
      },
    ),
    served(
      session,
      "nginx's own redirects carry a relative Location (no internal scheme or port)",
      async (url) => {
        // /api (no slash) is redirected to /api/ by nginx itself, because location /api/ proxies.
        const res = await fetch(`${url}/api`, { redirect: 'manual' });
        const location = res.headers.get('location') ?? '';
        return res.status === 301 && location === '/api/'
          ? []
          : [
              v(NGINX_TEMPLATE, 'server absolute_redirect', {
                expected: '301 with Location: /api/',
                actual: `${res.status}, Location: ${location || '(none)'}`,
                fix: 'add `absolute_redirect off;` to the server block: an absolute one names the internal port',
              }),
            ];
      },
    ),
    served(session, 'a body over the limit to /api/ answers 413 application/problem+json', async (url) => {
      // 2 MiB, above client_max_body_size 1m, so nginx itself refuses it before the API sees it.
      const res = await fetch(`${url}/api/tasks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }),
      });
      const problem = await problemOf(res, 413);
      return problem === undefined
        ? []
        : [
            v(NGINX_TEMPLATE, 'location /api/ error_page 413', {
              expected: '413 application/problem+json {"type","title","status":413,"detail"}',
              actual: problem,
              fix: 'error_page 413 @api_payload_too_large; and a named location returning 413 with default_type application/problem+json',
            }),
          ];
    }),
    servedWithoutApi(session, 'an unreachable API answers 502 application/problem+json', async (url) => {
      const problem = await problemOf(await fetch(`${url}/api/info`), 502);
      return problem === undefined
        ? []
        : [
            v(NGINX_TEMPLATE, 'location /api/ error_page 502', {
              expected: '502 application/problem+json {"type","title","status":502,"detail"}',
              actual: problem,
              fix: 'error_page 502 @api_bad_gateway; and a named location returning 502 with default_type application/problem+json',
            }),
          ];
    }),
    served(
      session,
      "values PostgreSQL cannot store answer the API's 400 problem+json through nginx, never a 5xx",
      async (url) => {
        // Issue 16: JSON and a loose schema accept these, PostgreSQL's date, integer and timestamptz do not.
        const post = (body: unknown) =>
          fetch(`${url}/api/tasks`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        const created = await post({ title: 'verify:day1 edge target' });
        const id = created.ok ? ((await created.json()) as { id?: string }).id : undefined;
        const cursor = (createdAt: string) =>
          Buffer.from(JSON.stringify([createdAt, '00000000-0000-4000-8000-000000000000'])).toString(
            'base64url',
          );
        const patch = (version: number) =>
          fetch(`${url}/api/tasks/${id ?? '00000000-0000-4000-8000-000000000000'}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ version, title: 'x' }),
          });
        const requests: [string, () => Promise<Response>][] = [
          ['POST dueDate 0000-01-01', () => post({ title: 'x', dueDate: '0000-01-01' })],
          ['POST dueDate 0000-02-29', () => post({ title: 'x', dueDate: '0000-02-29' })],
          ['PATCH version 2^31', () => patch(2 ** 31)],
          ['PATCH version 2^53-1', () => patch(Number.MAX_SAFE_INTEGER)],
          [
            'GET cursor 2024-02-30',
            () => fetch(`${url}/api/tasks?cursor=${cursor('2024-02-30T00:00:00.000Z')}`),
          ],
          [
            'GET cursor 2024-04-31',
            () => fetch(`${url}/api/tasks?cursor=${cursor('2024-04-31T12:00:00.000Z')}`),
          ],
          [
            'GET cursor 0000-04-31',
            () => fetch(`${url}/api/tasks?cursor=${cursor('0000-04-31T00:00:00.000Z')}`),
          ],
        ];
        const wrong: string[] = [];
        for (const [name, send] of requests) {
          const problem = await problemOf(await send(), 400);
          if (problem !== undefined) wrong.push(`${name}: ${problem}`);
        }
        return wrong.length === 0
          ? []
          : [
              v(NGINX_TEMPLATE, 'location /api/', {
                expected: '400 application/problem+json from the API for each of the 7 requests',
                actual: wrong.join('; '),
                fix:
                  "let the API's own errors through unchanged: keep proxy_intercept_errors off and no error_page " +
                  'for 4xx under /api/ (a 5xx here is an API bug: see docs/reliability.md)',
              }),
            ];
      },
    ),
    served(session, 'HSTS is sent only when the request came over HTTPS', async (url) => {
      const hsts = async (pathname: string, headers: Record<string, string> = {}) =>
        (await fetch(`${url}${pathname}`, { headers })).headers.get('strict-transport-security');
      const found = {
        'GET / over http': await hsts('/'),
        'GET /api/info over http': await hsts('/api/info'),
        'GET / with X-Forwarded-Proto: https': await hsts('/', { 'x-forwarded-proto': 'https' }),
      };
      const ok =
        found['GET / over http'] === null &&
        found['GET /api/info over http'] === null &&
        /max-age=\d+/.test(found['GET / with X-Forwarded-Proto: https'] ?? '');
      return ok
        ? []
        : [
            v(NGINX_TEMPLATE, 'add_header Strict-Transport-Security', {
              expected:
                "no Strict-Transport-Security over plain HTTP (nor the API's own); max-age=... behind TLS",
              actual: Object.entries(found)
                .map(([request, value]) => `${request}: ${value ?? '(none)'}`)
                .join('; '),
              fix: 'proxy_hide_header Strict-Transport-Security; add it from a map of $http_x_forwarded_proto/$scheme that is empty unless https',
            }),
          ];
    }),
    served(session, 'JavaScript is served gzip-compressed', async (url) => {
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(session.indexHtml())?.[1] ?? '/assets/missing.js';
      const res = await fetch(`${url}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
      const encoding = res.headers.get('content-encoding');
      return encoding === 'gzip'
        ? []
        : [
            v(NGINX_TEMPLATE, 'gzip', {
              expected: 'Content-Encoding: gzip',
              actual: encoding ?? '(none)',
              fix: 'gzip on; gzip_types ... application/javascript;',
            }),
          ];
    }),
  ];
}
