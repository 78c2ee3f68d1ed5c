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
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    await this.database?.destroy();
    for (const dir of this.temps) rmSync(dir, { recursive: true, force: true });
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
