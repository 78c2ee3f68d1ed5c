// Loads day 1's artefacts once per check from a given root, so fixture tests can point every check at a copy.
import path from 'node:path';
import type { Env } from 'dockerfile-ast';
import {
  environmentOf,
  readDockerfile,
  readText,
  readYaml,
  renderTemplate,
  repoRoot,
  stagesOf,
  instructionsOf,
  parseNginxConfig,
  type ComposeFile,
  type ComposeService,
  type NginxDirective,
  type Stage,
} from '@taskboard/verify';

export const DAY = 'day1-containers';
export const API_DOCKERFILE = `${DAY}/api.Dockerfile`;
export const WEB_DOCKERFILE = `${DAY}/web.Dockerfile`;
export const COMPOSE = `${DAY}/compose.yaml`;
export const NGINX_TEMPLATE = `${DAY}/nginx/default.conf.template`;
export const DOCKERIGNORE = '.dockerignore';
const readme = `${DAY}/README.md`;

/** README sections that each failure points at. */
export const docs = {
  apiImage: `${readme}#1-build-the-api-image`,
  webImage: `${readme}#2-build-the-web-image`,
  secret: `${readme}#3-create-the-database-password`,
  compose: `${readme}#4-start-the-stack`,
  verify: `${readme}#verify`,
};

/** Files a fixture copy needs for every day 1 check to run: the day folder plus the build context it COPYs. */
export const fixturePaths = [
  DAY,
  DOCKERIGNORE,
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'shared/app/api',
  'shared/app/web',
];

export function stages(root: string, file: string): Stage[] {
  return stagesOf(readDockerfile(root, file));
}

export function finalStage(root: string, file: string): Stage {
  const all = stages(root, file);
  const last = all.at(-1);
  if (!last) throw new Error(`${file} has no FROM instruction`);
  return last;
}

/** ENV values of a stage (last assignment wins), as the running container sees them. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of instructionsOf(stage, 'ENV')) {
    for (const property of (instruction as Env).getProperties())
      env[property.getName()] = property.getValue() ?? '';
  }
  return env;
}

export function exposedPorts(stage: Stage): number[] {
  return instructionsOf(stage, 'EXPOSE').flatMap((i) =>
    i.getArguments().map((a) => Number(a.getValue().split('/')[0])),
  );
}

export function compose(root: string): ComposeFile {
  return readYaml(root, COMPOSE) as ComposeFile;
}

export function service(root: string, name: string): ComposeService | undefined {
  return compose(root).services?.[name];
}

/** The API's own default PORT, read from its config schema (the source of truth for every later day too). */
export function apiConfigDefaultPort(): number {
  // Always the real repository's API: fixtures mutate day 1 artefacts, not the API.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require(path.join(repoRoot, 'shared/app/api/src/config')) as {
    configSpec: { env: string; default?: string }[];
  };
  const port = config.configSpec.find((entry) => entry.env === 'PORT')?.default;
  if (port === undefined) throw new Error('shared/app/api/src/config.ts declares no PORT default');
  return Number(port);
}

/** The port the API listens on in its container: compose env, else image ENV, else the config default. */
export function apiListenPort(root: string): number {
  const fromCompose = environmentOf(service(root, 'api') ?? {}).PORT;
  const fromImage = stageEnv(finalStage(root, API_DOCKERFILE)).PORT;
  return Number(fromCompose ?? fromImage ?? apiConfigDefaultPort());
}

/** Template variables as the web container sees them: image ENV, overridden by compose `environment`. */
export function webTemplateVars(root: string): Record<string, string> {
  return { ...stageEnv(finalStage(root, WEB_DOCKERFILE)), ...environmentOf(service(root, 'web') ?? {}) };
}

export function renderedNginx(root: string, vars = webTemplateVars(root)): NginxDirective[] {
  return parseNginxConfig(renderTemplate(readText(root, NGINX_TEMPLATE), vars));
}
