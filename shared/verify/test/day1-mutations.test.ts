// Proves every day 1 check guards something: each broken variant of the day 1 files, made in a temp copy of the
// repository, must make a named check fail with a message that names the file and the fix.
import {
  assertCheck,
  CheckFailedError,
  copyToTemp,
  localRuntimeTier,
  mutateFile,
  removeTemp,
  replaceOrThrow,
  repoRoot,
  stopAll,
  type Check,
  type Violation,
} from '../src';
import { staticChecks } from '../../../day1-containers/verify/static-checks';
import { RuntimeSession, runtimeChecks } from '../../../day1-containers/verify/runtime-checks';
import {
  API_DOCKERFILE,
  COMPOSE,
  DOCKERIGNORE,
  NGINX_TEMPLATE,
  fixturePaths,
} from '../../../day1-containers/verify/model';

interface Failure {
  title: string;
  violations: Violation[];
  message: string;
}

async function failuresOf(checks: Check[], root: string): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const check of checks) {
    try {
      await assertCheck(check, root);
    } catch (error) {
      if (!(error instanceof CheckFailedError)) throw error;
      failures.push({ title: check.title, violations: error.violations, message: error.message });
    }
  }
  return failures;
}

interface Mutation {
  name: string;
  file: string;
  edit: (content: string) => string;
  /** The check that must catch it. */
  check: RegExp;
  /** What the fix line must tell the learner. */
  fix: RegExp;
}

const mutations: Mutation[] = [
  {
    name: 'a base image tagged :latest',
    file: API_DOCKERFILE,
    edit: (s) => replaceOrThrow(s, /FROM node:[^\s]+ AS deps/, 'FROM node:latest AS deps'),
    check: /pins every base image to an exact version/,
    fix: /pin node to a full major\.minor\.patch tag/,
  },
  {
    name: 'the USER removed',
    file: API_DOCKERFILE,
    edit: (s) => replaceOrThrow(s, /^USER .*\n/m, ''),
    check: /final stage runs as a non-root USER/,
    fix: /add `USER <uid>:<gid>`/,
  },
  {
    name: 'the HEALTHCHECK removed',
    file: API_DOCKERFILE,
    edit: (s) => replaceOrThrow(s, /^HEALTHCHECK .*\\\n.*\n/m, ''),
    check: /final stage has a HEALTHCHECK/,
    fix: /add `HEALTHCHECK/,
  },
  {
    name: 'a COPY of a missing path',
    file: API_DOCKERFILE,
    edit: (s) =>
      replaceOrThrow(
        s,
        'COPY shared/app/api/src shared/app/api/src',
        'COPY shared/app/api/source shared/app/api/src',
      ),
    check: /COPY sources exist in the build context/,
    fix: /fix the path/,
  },
  {
    name: 'a .dockerignore that does not exclude node_modules',
    file: DOCKERIGNORE,
    edit: (s) => replaceOrThrow(s, /^\*\*\/node_modules\n/m, ''),
    check: /\.dockerignore keeps node_modules/,
    fix: /\*\*\/node_modules/,
  },
  {
    name: 'depends_on naming a service that does not exist',
    file: COMPOSE,
    edit: (s) =>
      replaceOrThrow(
        s,
        /( {6})migrate:\n( {8}condition: service_completed_successfully)/,
        '$1migrations:\n$2',
      ),
    check: /depends_on names existing services/,
    fix: /rename "migrations"/,
  },
  {
    name: 'a DB password written as a literal in compose',
    file: COMPOSE,
    edit: (s) =>
      replaceOrThrow(
        s,
        'POSTGRES_PASSWORD_FILE: /run/secrets/db_password',
        'POSTGRES_PASSWORD: correct-horse-battery',
      ),
    check: /no plaintext secret/,
    fix: /POSTGRES_PASSWORD_FILE/,
  },
  {
    name: 'nginx proxy_pass pointing at the wrong port',
    file: NGINX_TEMPLATE,
    edit: (s) => replaceOrThrow(s, 'proxy_pass http://${API_UPSTREAM};', 'proxy_pass http://api:3001;'),
    check: /proxies \/api\/ to the api service on the API's port/,
    fix: /API_UPSTREAM=api:3000/,
  },
  {
    name: "compose's API_UPSTREAM pointing at the wrong port",
    file: COMPOSE,
    edit: (s) => replaceOrThrow(s, 'API_UPSTREAM: api:3000', 'API_UPSTREAM: api:3001'),
    check: /proxies \/api\/ to the api service on the API's port/,
    fix: /API_UPSTREAM=api:3000/,
  },
  {
    name: 'the SPA fallback removed',
    file: NGINX_TEMPLATE,
    edit: (s) => replaceOrThrow(s, 'try_files $uri $uri/ /index.html;', 'try_files $uri $uri/ =404;'),
    check: /SPA fallback/,
    fix: /try_files \$uri \$uri\/ \/index\.html/,
  },
  {
    name: "nginx's HTML page for a gateway timeout (error_page 504 removed)",
    file: NGINX_TEMPLATE,
    edit: (s) => replaceOrThrow(s, /^\s*error_page 504 .*\n/m, ''),
    check: /answers its own 413, 502 and 504 under \/api\/ with problem\+json/,
    fix: /error_page 502 @api_bad_gateway/,
  },
  {
    name: 'a problem+json error page that answers 200',
    file: NGINX_TEMPLATE,
    edit: (s) => replaceOrThrow(s, "return 504 '", "return 200 '"),
    check: /answers its own 413, 502 and 504 under \/api\/ with problem\+json/,
    fix: /returns a problem\+json body with that status/,
  },
];

describe('verify:day1 static checks on mutated copies of the repository', () => {
  const temps: string[] = [];
  afterAll(() => temps.forEach(removeTemp));
  const fixture = () => {
    const dir = copyToTemp(repoRoot, fixturePaths);
    temps.push(dir);
    return dir;
  };

  it('pass on an unmodified copy (so each failure below comes from its mutation)', async () => {
    expect(await failuresOf(staticChecks, fixture())).toEqual([]);
  });

  it.each(mutations)('fail on $name, naming $file and the fix', async ({ file, edit, check, fix }) => {
    const root = fixture();
    mutateFile(root, file, edit);

    const failures = await failuresOf(staticChecks, root);

    const caught = failures.find((f) => check.test(f.title));
    expect(caught?.title).toMatch(check);
    const violation = caught?.violations.find((v) => v.file === file);
    expect(violation?.fix).toMatch(fix);
    expect(caught?.message).toContain(`where:    ${file}`);
    expect(caught?.message).toMatch(/fix: {6}\S/);
    expect(caught?.message).toMatch(/docs: {5}day1-containers\/README\.md#/);
  });
});

// The same proof for the local-runtime tier: real nginx, the real API and PostgreSQL, serving a broken template.
// Gated like the day suite itself: a loud skip without nginx or PostgreSQL, a failure with CI=true.
localRuntimeTier(
  'verify:day1 local-runtime checks on mutated templates',
  ['nginx', 'postgres'],
  repoRoot,
  (tools) => {
    const runtimeMutations: { name: string; edit: (s: string) => string; check: RegExp; fix: RegExp }[] = [
      {
        name: 'the SPA fallback removed',
        edit: (s) => replaceOrThrow(s, 'try_files $uri $uri/ /index.html;', 'try_files $uri $uri/ =404;'),
        check: /falls back to index\.html/,
        fix: /try_files \$uri \$uri\/ \/index\.html/,
      },
      {
        name: 'proxy_pass pointing at the wrong port',
        edit: (s) =>
          replaceOrThrow(s, 'proxy_pass http://${API_UPSTREAM};', 'proxy_pass http://127.0.0.1:1;'),
        check: /GET \/api\/info is proxied/,
        fix: /proxy_pass http:\/\/\$\{API_UPSTREAM\}/,
      },
      {
        name: 'the security headers removed',
        edit: (s) => replaceOrThrow(s, /^\s*add_header X-Content-Type-Options.*\n/m, ''),
        check: /security headers are present/,
        fix: /add the headers/,
      },
      {
        name: 'server_tokens turned on (Server: nginx/<version>)',
        edit: (s) => replaceOrThrow(s, /^server_tokens off;$/m, 'server_tokens on;'),
        check: /nginx hides its version/,
        fix: /server_tokens off/,
      },
      // Issue 16: faults the template had (or could regain); each new check must catch its own.
      {
        name: 'a 404 under /assets/ cached for a year (Cache-Control chosen by path, not by status)',
        edit: (s) => replaceOrThrow(s, '"~^(?:200|206|304) /assets/"', '"~^\\d+ /assets/"'),
        check: /missing hashed asset's 404 is not cacheable/,
        fix: /only for 200, 206 and 304/,
      },
      {
        name: 'absolute redirects (Location names the internal port)',
        edit: (s) => replaceOrThrow(s, /^\s*absolute_redirect off;\n/m, ''),
        check: /redirects carry a relative Location/,
        fix: /absolute_redirect off/,
      },
      {
        name: "nginx's HTML page for a body over the limit",
        edit: (s) => replaceOrThrow(s, /^\s*error_page 413 .*\n/m, ''),
        check: /answers 413 application\/problem\+json/,
        fix: /error_page 413/,
      },
      {
        name: "nginx's HTML page for an unreachable API",
        edit: (s) => replaceOrThrow(s, /^\s*error_page 502 .*\n/m, ''),
        check: /unreachable API answers 502/,
        fix: /error_page 502/,
      },
      {
        name: "the API's 4xx intercepted and replaced by the SPA's page",
        edit: (s) =>
          replaceOrThrow(
            s,
            'error_page 413 @api_payload_too_large;',
            'proxy_intercept_errors on;\n        error_page 400 /index.html;\n        error_page 413 @api_payload_too_large;',
          ),
        check: /values PostgreSQL cannot store answer the API's 400 problem\+json through nginx/,
        fix: /proxy_intercept_errors off/,
      },
      {
        name: 'HSTS sent on every response',
        edit: (s) =>
          replaceOrThrow(
            s,
            'add_header Strict-Transport-Security $taskboard_hsts always;',
            'add_header Strict-Transport-Security "max-age=31536000" always;',
          ),
        check: /HSTS is sent only when the request came over HTTPS/,
        fix: /map of \$http_x_forwarded_proto/,
      },
    ];
    const temps: string[] = [];
    const sessions: RuntimeSession[] = [];
    afterAll(async () => {
      try {
        for (const session of sessions) await session.stop().catch(() => undefined);
      } finally {
        await stopAll();
        temps.forEach(removeTemp);
      }
    });

    it.each(runtimeMutations)(
      'fail on $name, naming the template and the fix',
      async ({ edit, check, fix }) => {
        const root = copyToTemp(repoRoot, fixturePaths);
        temps.push(root);
        mutateFile(root, NGINX_TEMPLATE, edit);
        const session = new RuntimeSession(tools.nginx);
        sessions.push(session);
        await session.start(root);

        const failures = await failuresOf(runtimeChecks(session), root);

        const caught = failures.find((f) => check.test(f.title));
        expect(caught?.title).toMatch(check);
        expect(caught?.message).toContain(`where:    ${NGINX_TEMPLATE}`);
        expect(caught?.violations[0]?.fix).toMatch(fix);
      },
    );
  },
);
