// Day 1 static checks: Dockerfiles, .dockerignore, compose.yaml and the nginx template, cross-checked.
// Each check takes the repository root, so shared/verify's fixture tests run them against broken copies.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate as validateDockerfile } from 'dockerfile-utils';
import {
  containerPortsOf,
  copyParts,
  defineCheck,
  dockerignoreMatcher,
  environmentOf,
  fileExists,
  findDirectives,
  findLocation,
  instructionsOf,
  isExecForm,
  lineOf,
  networksOf,
  parseNginxConfig,
  readText,
  validateCompose,
  violationsFor,
  type Check,
  type Violation,
} from '@taskboard/verify';
import {
  API_DOCKERFILE,
  COMPOSE,
  DAY,
  DOCKERIGNORE,
  NGINX_TEMPLATE,
  WEB_DOCKERFILE,
  apiConfigDefaultPort,
  apiListenPort,
  compose,
  docs,
  exposedPorts,
  finalStage,
  renderedNginx,
  stageEnv,
  stages,
  webTemplateVars,
} from './model';

const short = (file: string) => path.basename(file);

/** The rules every Dockerfile of the course follows. */
export function dockerfileChecks(file: string, docsLink: string): Check[] {
  const v = violationsFor(docsLink);
  return [
    defineCheck(`${short(file)} parses without errors (dockerfile-utils)`, (root) =>
      validateDockerfile(readText(root, file))
        .filter((d) => d.severity === 1)
        .map((d) =>
          v(file, `line ${d.range.start.line + 1}`, {
            expected: 'a valid Dockerfile instruction',
            actual: typeof d.message === 'string' ? d.message : d.message.value,
            fix: 'correct the instruction as the message says',
          }),
        ),
    ),
    defineCheck(`${short(file)} is multi-stage (build tools stay out of the runtime image)`, (root) => {
      const count = stages(root, file).length;
      return count >= 2
        ? []
        : [
            v(file, 'FROM instructions', {
              expected: 'at least two stages (a build stage, then a runtime stage)',
              actual: `${count} stage(s)`,
              fix: 'build in a stage `FROM <image> AS build` and COPY --from=build only the output into the final stage',
            }),
          ];
    }),
    defineCheck(`${short(file)} pins every base image to an exact version`, (root) => {
      const all = stages(root, file);
      const stageNames = new Set(all.map((s) => s.name));
      return all
        .filter((s) => !stageNames.has(s.image) || all.findIndex((x) => x.name === s.image) >= all.indexOf(s))
        .filter((s) => !s.digest && !/^v?\d+\.\d+\.\d+/.test(s.tag ?? ''))
        .map((s) =>
          v(file, `stage "${s.name}" (line ${s.line})`, {
            expected: 'an exact release tag such as node:24.21.0-bookworm-slim (optionally @sha256:<digest>)',
            actual: s.tag
              ? `${s.image}:${s.tag} (a moving tag: it changes under you)`
              : `${s.image} without a tag (means :latest)`,
            fix: `pin ${s.image} to a full major.minor.patch tag, and add its digest from \`docker buildx imagetools inspect\``,
          }),
        );
    }),
    defineCheck(`${short(file)} final stage runs as a non-root USER`, (root) => {
      const stage = finalStage(root, file);
      const user = instructionsOf(stage, 'USER').at(-1);
      const name = user?.getArgumentsContent()?.trim() ?? '';
      if (user && !/^(root|0)(:.*)?$/.test(name)) return [];
      return [
        v(file, `stage "${stage.name}"`, {
          expected: 'a USER instruction naming an unprivileged user (e.g. USER 1000:1000)',
          actual: user ? `USER ${name} (root)` : 'no USER instruction: the container runs as root',
          fix: 'add `USER <uid>:<gid>` of an unprivileged user after the last RUN of the final stage',
        }),
      ];
    }),
    defineCheck(`${short(file)} final stage has a HEALTHCHECK`, (root) => {
      const stage = finalStage(root, file);
      const check = instructionsOf(stage, 'HEALTHCHECK').at(-1);
      if (check && !/^NONE$/i.test(check.getArgumentsContent()?.trim() ?? '')) return [];
      return [
        v(file, `stage "${stage.name}"`, {
          expected: 'HEALTHCHECK CMD [...] probing the service (the API: /healthz)',
          actual: check
            ? 'HEALTHCHECK NONE'
            : 'no HEALTHCHECK: docker and compose cannot tell a hung container from a healthy one',
          fix: 'add `HEALTHCHECK --interval=10s --timeout=3s CMD [...]` that exits non-zero when the health endpoint fails',
        }),
      ];
    }),
    defineCheck(`${short(file)} CMD and ENTRYPOINT use exec form (signals reach the process)`, (root) =>
      stages(root, file)
        .flatMap((s) =>
          [...instructionsOf(s, 'CMD'), ...instructionsOf(s, 'ENTRYPOINT')].map((i) => ({ s, i })),
        )
        .filter(({ i }) => !isExecForm(i))
        .map(({ s, i }) =>
          v(file, `stage "${s.name}", ${i.getKeyword()} (line ${lineOf(i)})`, {
            expected: `${i.getKeyword()} ["executable", "arg", ...] (JSON array)`,
            actual: `${i.getKeyword()} ${i.getArgumentsContent() ?? ''} (shell form: /bin/sh is PID 1 and swallows SIGTERM)`,
            fix: `write it as a JSON array, e.g. ${i.getKeyword()} ["node", "server.js"]`,
          }),
        ),
    ),
    defineCheck(
      `${short(file)} COPY sources exist in the build context and are not excluded by .dockerignore`,
      (root) => {
        const ignored = fileExists(root, DOCKERIGNORE)
          ? dockerignoreMatcher(readText(root, DOCKERIGNORE))
          : () => false;
        const out: Violation[] = [];
        for (const stage of stages(root, file)) {
          for (const copy of [...instructionsOf(stage, 'COPY'), ...instructionsOf(stage, 'ADD')]) {
            const parts = copyParts(copy);
            if (parts.from) continue;
            for (const source of parts.sources) {
              const object = `stage "${stage.name}", ${copy.getKeyword()} ${source} (line ${lineOf(copy)})`;
              if (!existsSync(path.join(root, source))) {
                out.push(
                  v(file, object, {
                    expected: `${source} to exist relative to the build context (the repository root)`,
                    actual: 'no such file or folder',
                    fix: 'fix the path (it is relative to the repository root, not to the Dockerfile), or create the file',
                  }),
                );
              } else if (ignored(source)) {
                out.push(
                  v(file, object, {
                    expected: `${source} to be sent to the builder`,
                    actual: `${DOCKERIGNORE} excludes it, so the build fails with "not found"`,
                    fix: `add an exception such as !${source} to ${DOCKERIGNORE}, or stop copying it`,
                  }),
                );
              }
            }
          }
        }
        return out;
      },
    ),
  ];
}

/** The first `*.js` argument of a node command, mapped to the TypeScript source the package build compiles. */
function producedBy(root: string, jsFile: string): { source?: string; problem?: string } {
  const match = /^(.*?)\/?(dist)\/(.+)\.js$/.exec(jsFile.replace(/^\/app\//, ''));
  if (!match) return { problem: `${jsFile} is not under a package's dist/ folder` };
  const pkg = match[1] as string;
  const tsconfig = path.join(pkg, 'tsconfig.build.json');
  if (!fileExists(root, tsconfig)) return { problem: `${tsconfig} not found` };
  const options =
    (JSON.parse(readText(root, tsconfig)) as { compilerOptions?: { outDir?: string; rootDir?: string } })
      .compilerOptions ?? {};
  if (path.normalize(options.outDir ?? '') !== 'dist')
    return { problem: `${tsconfig} compiles to ${options.outDir ?? '(no outDir)'}, not dist` };
  const source = path.join(pkg, options.rootDir ?? 'src', `${match[3]}.ts`);
  if (!fileExists(root, source))
    return { problem: `the build compiles ${source} to ${jsFile}, and ${source} does not exist` };
  // When the API has been built here, its real output must contain the file too.
  const built = path.join(pkg, 'dist', `${match[3]}.js`);
  if (fileExists(root, path.join(pkg, 'dist')) && !fileExists(root, built)) {
    return { problem: `${pkg}/dist exists but holds no ${built}: the build does not produce it` };
  }
  return { source };
}

const apiV = violationsFor(docs.apiImage);
const webV = violationsFor(docs.webImage);
const composeV = violationsFor(docs.compose);

export const apiImageChecks: Check[] = [
  ...dockerfileChecks(API_DOCKERFILE, docs.apiImage),
  defineCheck(
    'api image runs files the API build produces (Dockerfile CMD and the compose migrate command)',
    (root) => {
      const out: Violation[] = [];
      const cmd = instructionsOf(finalStage(root, API_DOCKERFILE), 'CMD').at(-1);
      const targets: { file: string; object: string; args: string[] }[] = [];
      if (cmd && isExecForm(cmd))
        targets.push({
          file: API_DOCKERFILE,
          object: `CMD (line ${lineOf(cmd)})`,
          args: JSON.parse(cmd.getArgumentsContent() ?? '[]') as string[],
        });
      else
        out.push(
          apiV(API_DOCKERFILE, 'final stage', {
            expected: 'an exec-form CMD ["node", "shared/app/api/dist/server.js"]',
            actual: cmd ? 'a shell-form CMD' : 'no CMD',
            fix: 'add CMD ["node", "shared/app/api/dist/server.js"]',
          }),
        );
      const migrate = compose(root).services?.migrate?.command;
      if (Array.isArray(migrate))
        targets.push({ file: COMPOSE, object: 'service "migrate" command', args: migrate });
      for (const target of targets) {
        const js = target.args.find((a) => a.endsWith('.js'));
        const result = js ? producedBy(root, js) : { problem: 'no .js entry file in the command' };
        if (result.problem)
          out.push(
            apiV(target.file, target.object, {
              expected:
                'node running a file that `npm run build -w @taskboard/api` writes to shared/app/api/dist',
              actual: result.problem,
              fix: 'point the command at dist/<file>.js for an existing src/<file>.ts (see shared/app/api/tsconfig.build.json)',
            }),
          );
      }
      return out;
    },
  ),
  defineCheck("api.Dockerfile EXPOSE matches the port the API's config listens on", (root) => {
    const stage = finalStage(root, API_DOCKERFILE);
    const envPort = stageEnv(stage).PORT;
    const port = Number(envPort ?? apiConfigDefaultPort());
    const exposed = exposedPorts(stage);
    return exposed.includes(port)
      ? []
      : [
          apiV(API_DOCKERFILE, `stage "${stage.name}" EXPOSE`, {
            expected: `EXPOSE ${port} (${envPort ? 'ENV PORT' : 'PORT default in shared/app/api/src/config.ts'})`,
            actual: exposed.length ? `EXPOSE ${exposed.join(' ')}` : 'no EXPOSE',
            fix: `EXPOSE ${port}, or change PORT so the two agree`,
          }),
        ];
  }),
];

export const webImageChecks: Check[] = dockerfileChecks(WEB_DOCKERFILE, docs.webImage);

export const dockerignoreChecks: Check[] = [
  defineCheck(
    '.dockerignore keeps node_modules, .git, env files, secrets and build output out of the build context',
    (root) => {
      if (!fileExists(root, DOCKERIGNORE)) {
        return [
          apiV(DOCKERIGNORE, 'file', {
            expected: 'a .dockerignore at the repository root (the build context)',
            actual: 'missing: the whole repository, node_modules included, is sent to the builder',
            fix: 'create .dockerignore as shown in the README',
          }),
        ];
      }
      const ignored = dockerignoreMatcher(readText(root, DOCKERIGNORE));
      const mustExclude = [
        'node_modules',
        'shared/app/api/node_modules',
        '.git',
        '.env',
        'shared/app/api/.env',
        `${DAY}/secrets/db_password.txt`,
        'shared/app/api/dist',
        '.tools',
      ];
      const leaks = mustExclude.filter((p) => !ignored(p));
      return leaks.length === 0
        ? []
        : [
            apiV(DOCKERIGNORE, 'patterns', {
              expected: `excluded: ${mustExclude.join(', ')}`,
              actual: `sent to the builder: ${leaks.join(', ')}`,
              fix: `add patterns such as ${leaks.map((l) => (l.includes('/') ? `**/${path.basename(l)}` : l)).join(', ')} (a bare "node_modules" only matches the top level; use **/node_modules)`,
            }),
          ];
    },
  ),
];

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|ACCESS_KEY)$/i;

/** A literal value, or an interpolation whose default is a literal, is plaintext; `${VAR}` alone is not. */
function plaintext(value: string): boolean {
  if (value === '') return false;
  const interpolation = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[?][^}]*)?\}$/;
  return !interpolation.test(value);
}

function envFilesIn(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /(^\.env($|\.)|\.env$)/.test(e.name) && !e.name.endsWith('.example'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

export const composeChecks: Check[] = [
  defineCheck('compose.yaml matches the Compose Specification schema (as shipped by dclint)', (root) =>
    validateCompose(compose(root)).map((e) =>
      composeV(COMPOSE, e.instancePath || '(top level)', {
        expected: `schema rule ${e.keyword}`,
        actual: `${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
        fix: 'correct the key or value (see https://github.com/compose-spec/compose-spec/blob/main/spec.md)',
      }),
    ),
  ),
  defineCheck(
    'compose.yaml depends_on names existing services and waits for healthy or completed',
    (root) => {
      const services = compose(root).services ?? {};
      const out: Violation[] = [];
      for (const [name, svc] of Object.entries(services)) {
        const deps = svc.depends_on;
        if (!deps) continue;
        const entries = Array.isArray(deps) ? deps.map((d) => [d, {}] as const) : Object.entries(deps);
        for (const [target, options] of entries) {
          const condition = (options as { condition?: string }).condition;
          if (!services[target]) {
            out.push(
              composeV(COMPOSE, `service "${name}" depends_on "${target}"`, {
                expected: `one of the services: ${Object.keys(services).join(', ')}`,
                actual: `no service named "${target}"`,
                fix: `rename "${target}" to the service ${name} must wait for`,
              }),
            );
          } else if (condition !== 'service_healthy' && condition !== 'service_completed_successfully') {
            out.push(
              composeV(COMPOSE, `service "${name}" depends_on "${target}"`, {
                expected: 'condition: service_healthy (or service_completed_successfully for one-shots)',
                actual: condition
                  ? `condition: ${condition}`
                  : 'no condition (only waits for the container to start, not to be ready)',
                fix: `use the long form: depends_on: { ${target}: { condition: service_healthy } }`,
              }),
            );
          }
        }
      }
      return out;
    },
  ),
  defineCheck('compose.yaml: every long-running service has a healthcheck', (root) => {
    const out: Violation[] = [];
    for (const [name, svc] of Object.entries(compose(root).services ?? {})) {
      if (svc.restart === 'no') continue; // a one-shot such as migrate exits; "completed" is its health
      const build = typeof svc.build === 'object' ? svc.build : undefined;
      const dockerfile = build?.dockerfile
        ? path.join(DAY, build.context ?? '.', build.dockerfile)
        : undefined;
      const relDockerfile = dockerfile ? path.relative('.', path.normalize(dockerfile)) : undefined;
      const inImage =
        relDockerfile &&
        fileExists(root, relDockerfile) &&
        instructionsOf(finalStage(root, relDockerfile), 'HEALTHCHECK').length > 0;
      if (svc.healthcheck?.disable || (!svc.healthcheck?.test && !inImage)) {
        out.push(
          composeV(COMPOSE, `service "${name}"`, {
            expected: 'a healthcheck (in compose, or a HEALTHCHECK in the image it builds)',
            actual: svc.healthcheck?.disable
              ? 'healthcheck: disable: true'
              : 'none: dependants cannot wait for it to be ready',
            fix: `add healthcheck: { test: [...], interval: 10s, retries: 3 } to "${name}"`,
          }),
        );
      }
    }
    return out;
  }),
  defineCheck('no plaintext secret in compose.yaml or in a committed env file', (root) => {
    const out: Violation[] = [];
    const v = violationsFor(docs.secret);
    for (const [name, svc] of Object.entries(compose(root).services ?? {})) {
      const env = environmentOf(svc);
      const args = typeof svc.build === 'object' ? (svc.build.args ?? {}) : {};
      for (const [key, value] of [
        ...Object.entries(env),
        ...Object.entries(args).map(([k, a]) => [k, String(a)] as const),
      ]) {
        const urlPassword = /:\/\/[^:/@\s]+:([^@\s]+)@/.exec(value)?.[1];
        if ((SECRET_NAME.test(key) && plaintext(value)) || (urlPassword && plaintext(urlPassword))) {
          out.push(
            v(COMPOSE, `service "${name}" ${key}`, {
              expected: `the secret read from a file: ${key.replace(/_URL$/, '')}_FILE: /run/secrets/<name> with a top-level secrets: entry`,
              actual: `${key} written in the file (anyone with the repository has it)`,
              fix: `remove the value; use ${SECRET_NAME.test(key) ? key : 'PGPASSWORD'}_FILE and a secret whose file is git-ignored (commit only a .example)`,
            }),
          );
        }
      }
    }
    for (const file of envFilesIn(root, DAY)) {
      for (const [i, line] of readFileSync(path.join(root, file), 'utf8').split('\n').entries()) {
        const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
        if (
          m &&
          SECRET_NAME.test(m[1] as string) &&
          plaintext((m[2] as string).trim().replace(/^["']|["']$/g, ''))
        ) {
          out.push(
            v(file, `${m[1]} (line ${i + 1})`, {
              expected: 'no secret values in files under the day folder',
              actual: `${m[1]} has a value`,
              fix: 'move the value to a git-ignored secrets/*.txt file, and commit only a .example with a placeholder',
            }),
          );
        }
      }
    }
    return out;
  }),
  defineCheck('compose.yaml secret files have a committed .example to copy from', (root) => {
    const out: Violation[] = [];
    for (const [name, secret] of Object.entries(compose(root).secrets ?? {})) {
      if (!secret.file) continue;
      const example = path.join(DAY, `${secret.file}.example`);
      if (!fileExists(root, example))
        out.push(
          violationsFor(docs.secret)(COMPOSE, `secrets "${name}"`, {
            expected: `${example} committed beside the git-ignored secret`,
            actual: 'no .example: a learner cannot tell what the file must contain',
            fix: `create ${example} with a placeholder value`,
          }),
        );
    }
    return out;
  }),
  defineCheck(
    'compose.yaml api and migrate get the DB password through PGPASSWORD_FILE from a secret',
    (root) => {
      const services = compose(root).services ?? {};
      return ['api', 'migrate'].flatMap((name) => {
        const svc = services[name];
        const file = svc ? environmentOf(svc).PGPASSWORD_FILE : undefined;
        const mounted = (svc?.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));
        const ok = file !== undefined && mounted.some((s) => file === `/run/secrets/${s}`);
        return ok
          ? []
          : [
              violationsFor(docs.secret)(COMPOSE, `service "${name}"`, {
                expected: 'PGPASSWORD_FILE: /run/secrets/<secret> and that secret listed under the service',
                actual: svc
                  ? `PGPASSWORD_FILE=${file ?? '(unset)'}, secrets: [${mounted.join(', ')}]`
                  : 'no such service',
                fix: 'set PGPASSWORD_FILE: /run/secrets/db_password and add secrets: [db_password]',
              }),
            ];
      });
    },
  ),
  defineCheck('compose.yaml sets a restart policy and memory/CPU limits on every service', (root) =>
    Object.entries(compose(root).services ?? {}).flatMap(([name, svc]) => {
      const limits = svc.deploy?.resources?.limits ?? {};
      const missing = [
        ...(svc.restart ? [] : ['restart']),
        ...(limits.memory ? [] : ['deploy.resources.limits.memory']),
        ...(limits.cpus ? [] : ['deploy.resources.limits.cpus']),
      ];
      return missing.length === 0
        ? []
        : [
            composeV(COMPOSE, `service "${name}"`, {
              expected:
                'restart (unless-stopped, or "no" for one-shots) and deploy.resources.limits.{cpus,memory}',
              actual: `missing: ${missing.join(', ')}`,
              fix: 'add them; a runaway container must not take the whole machine down',
            }),
          ];
    }),
  ),
  defineCheck(
    'compose.yaml keeps db off the frontend network; api shares a network with web and with db',
    (root) => {
      const services = compose(root).services ?? {};
      const nets = (name: string) => (services[name] ? networksOf(services[name]) : []);
      const out: Violation[] = [];
      if (nets('db').includes('frontend'))
        out.push(
          composeV(COMPOSE, 'service "db" networks', {
            expected: 'backend only',
            actual: `[${nets('db').join(', ')}]`,
            fix: 'remove frontend from db: only the API may reach the database',
          }),
        );
      for (const [a, b] of [
        ['web', 'api'],
        ['api', 'db'],
      ] as const) {
        if (!nets(a).some((n) => nets(b).includes(n)))
          out.push(
            composeV(COMPOSE, `services "${a}" and "${b}"`, {
              expected: `a network they share (${a} must reach ${b})`,
              actual: `${a}: [${nets(a).join(', ')}], ${b}: [${nets(b).join(', ')}]`,
              fix: `add ${b}'s network to ${a}`,
            }),
          );
      }
      return out;
    },
  ),
];

export const nginxChecks: Check[] = [
  defineCheck('nginx template variables are all set by web.Dockerfile ENV or compose', (root) => {
    const vars = webTemplateVars(root);
    const used = [...readText(root, NGINX_TEMPLATE).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map(
      (m) => m[1] as string,
    );
    const unset = [...new Set(used)].filter((name) => vars[name] === undefined);
    return unset.length === 0
      ? []
      : [
          webV(NGINX_TEMPLATE, 'template variables', {
            expected: 'every ${VAR} set, so envsubst replaces it',
            actual: `unset: ${unset.join(', ')} (nginx would see the literal text and fail)`,
            fix: `add ENV ${unset[0]}=<value> to ${WEB_DOCKERFILE} or to the web service's environment`,
          }),
        ];
  }),
  defineCheck('nginx keeps the SPA fallback: location / tries files, then /index.html', (root) => {
    const tree = renderedNginx(root);
    const location = findLocation(tree, '/');
    const tryFiles = location ? findDirectives(location.children ?? [], 'try_files')[0] : undefined;
    return tryFiles?.args.at(-1) === '/index.html'
      ? []
      : [
          webV(NGINX_TEMPLATE, location ? `location / (line ${location.line})` : 'server', {
            expected: 'try_files $uri $uri/ /index.html;',
            actual: tryFiles
              ? `try_files ${tryFiles.args.join(' ')}`
              : location
                ? 'no try_files'
                : 'no location /',
            fix: 'add `try_files $uri $uri/ /index.html;` to location / so /tasks/<id> loads the app instead of 404',
          }),
        ];
  }),
  defineCheck("nginx proxies /api/ to the api service on the API's port", (root) => {
    const tree = renderedNginx(root);
    const location = findLocation(tree, '/api/');
    const proxy = location ? findDirectives(location.children ?? [], 'proxy_pass')[0] : undefined;
    const port = apiListenPort(root);
    const services = compose(root).services ?? {};
    const target = /^https?:\/\/([^/:]+)(?::(\d+))?/.exec(proxy?.args[0] ?? '');
    const problems: string[] = [];
    if (!target)
      problems.push(
        proxy ? `proxy_pass ${proxy.args.join(' ')}` : location ? 'no proxy_pass' : 'no location /api/',
      );
    else {
      if (target[1] !== 'api' || !services.api)
        problems.push(`host "${target[1]}" (not the compose service "api")`);
      if (Number(target[2] ?? 80) !== port)
        problems.push(`port ${target[2] ?? '80 (default)'} while the API listens on ${port}`);
    }
    if (problems.length === 0) return [];
    // Blame the file the wrong value comes from: the template itself, or whoever sets API_UPSTREAM.
    const rawProxy = findLocation(parseNginxConfig(readText(root, NGINX_TEMPLATE)), '/api/');
    const usesVariable = (
      rawProxy ? (findDirectives(rawProxy.children ?? [], 'proxy_pass')[0]?.args[0] ?? '') : ''
    ).includes('${API_UPSTREAM}');
    const fromCompose = environmentOf(services.web ?? {}).API_UPSTREAM !== undefined;
    const where = !usesVariable ? NGINX_TEMPLATE : fromCompose ? COMPOSE : WEB_DOCKERFILE;
    const object =
      where === COMPOSE
        ? 'service "web" environment API_UPSTREAM'
        : where === WEB_DOCKERFILE
          ? 'ENV API_UPSTREAM'
          : `location /api/ (line ${location?.line ?? '?'})`;
    return [
      webV(where, `${object}, rendered as proxy_pass ${proxy?.args[0] ?? '(none)'}`, {
        expected: `proxy_pass http://api:${port}; (the api service and its PORT)`,
        actual: problems.join('; '),
        fix: `use proxy_pass http://\${API_UPSTREAM}; and set API_UPSTREAM=api:${port} in ${WEB_DOCKERFILE} and the web service`,
      }),
    ];
  }),
  // The runtime tier provokes 413 and 502; a 504 needs an API slower than proxy_read_timeout, so all three are
  // also checked here, in the config itself.
  defineCheck(
    'nginx answers its own 413, 502 and 504 under /api/ with problem+json, keeping the status',
    (root) => {
      const tree = renderedNginx(root);
      const api = findLocation(tree, '/api/');
      const problems = [413, 502, 504].flatMap((status) => {
        const errorPage = findDirectives(api?.children ?? [], 'error_page').find((d) =>
          d.args.slice(0, -1).includes(String(status)),
        );
        const target = errorPage?.args.at(-1) ?? '';
        if (!target.startsWith('@')) return [`${status}: no error_page ${status} @<name> in location /api/`];
        const named = findLocation(tree, target);
        const type = findDirectives(named?.children ?? [], 'default_type')[0]?.args[0];
        const answer = findDirectives(named?.children ?? [], 'return')[0];
        if (!named) return [`${status}: location ${target} does not exist`];
        if (type !== 'application/problem+json')
          return [`${status}: ${target} has default_type ${type ?? '(none)'}`];
        if (answer?.args[0] !== String(status) || !answer.args[1]?.includes(`"status":${status}`))
          return [`${status}: ${target} does not \`return ${status} '{..."status":${status}...}'\``];
        return [];
      });
      return problems.length === 0
        ? []
        : [
            webV(NGINX_TEMPLATE, api ? `location /api/ (line ${api.line})` : 'server', {
              expected:
                'error_page 413/502/504 @name; each @name: default_type application/problem+json; return <same status> JSON',
              actual: problems.join('; '),
              fix: 'add `error_page 502 @api_bad_gateway;` (and 413, 504) to location /api/ and a named location per status that returns a problem+json body with that status',
            }),
          ];
    },
  ),
  defineCheck(
    'web listen port agrees across the nginx template, web.Dockerfile EXPOSE and compose ports',
    (root) => {
      const listen = findDirectives(renderedNginx(root), 'listen').map((d) =>
        Number((d.args[0] ?? '').split(':').pop()),
      );
      const exposed = exposedPorts(finalStage(root, WEB_DOCKERFILE));
      const published = containerPortsOf(compose(root).services?.web ?? {});
      const all = new Set([...listen, ...exposed, ...published]);
      return all.size === 1 && listen.length > 0
        ? []
        : [
            webV(NGINX_TEMPLATE, 'listen / EXPOSE / ports', {
              expected: 'one port (8080) everywhere',
              actual: `nginx listen ${listen.join(',') || '(none)'}; ${WEB_DOCKERFILE} EXPOSE ${exposed.join(',') || '(none)'}; ${COMPOSE} web ports target ${published.join(',') || '(none)'}`,
              fix: 'make WEB_PORT, EXPOSE and the container side of the web ports mapping the same',
            }),
          ];
    },
  ),
];

export const staticChecks: Check[] = [
  ...apiImageChecks,
  ...webImageChecks,
  ...dockerignoreChecks,
  ...composeChecks,
  ...nginxChecks,
];
