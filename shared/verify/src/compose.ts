import { createRequire } from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject } from 'ajv';

/** The Compose Specification schema that dclint ships (dclint/schemas/compose.schema.json). */
function loadComposeSchema(): object {
  const require = createRequire(__filename);
  const dclintRoot = path.dirname(require.resolve('dclint/package.json'));
  const schema = JSON.parse(
    readFileSync(path.join(dclintRoot, 'schemas', 'compose.schema.json'), 'utf8'),
  ) as Record<string, unknown>;
  // It declares draft-07 by an https URL ajv does not register; the schema itself is plain draft-07.
  delete schema.$schema;
  return schema;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Validates a parsed compose file; returns ajv's errors, each with the JSON path it concerns. */
export function validateCompose(doc: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(
    loadComposeSchema(),
  );
  return validator(doc) ? [] : [...(validator.errors ?? [])];
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | string[];
  ports?: (string | number | { target?: number; published?: string | number })[];
  networks?: string[] | Record<string, unknown>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  restart?: string;
  secrets?: (string | { source: string })[];
  volumes?: unknown[];
  deploy?: { resources?: { limits?: Record<string, unknown> } };
}

export interface ComposeFile {
  services?: Record<string, ComposeService>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file?: string; environment?: string }>;
}

/** `environment` as a map, whichever of the two compose syntaxes the file uses. */
export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const [key, ...rest] = entry.split('=');
        return [key ?? '', rest.join('=')];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

export function networksOf(service: ComposeService): string[] {
  const n = service.networks;
  if (!n) return ['default'];
  return Array.isArray(n) ? n : Object.keys(n);
}

/** Container-side ports a service publishes. */
export function containerPortsOf(service: ComposeService): number[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'number') return p;
    if (typeof p === 'object') return Number(p.target);
    const withoutProto = p.split('/')[0] ?? '';
    return Number(withoutProto.split(':').pop());
  });
}
