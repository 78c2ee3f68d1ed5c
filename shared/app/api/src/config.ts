// The one place that reads the environment. Every key: env var name, default, one-line doc, zod rule.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** shared/app/api, whether this file runs from src/ (tests) or dist/ (node). */
export const apiRoot = path.resolve(__dirname, '..');

/** The repository root is the nearest ancestor whose package.json declares workspaces; a lone image has none. */
function findRepoRoot(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces) return dir;
      } catch {
        // An unreadable package.json is not the root we are looking for.
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(apiRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}

const defaultDataDir = path.join(findRepoRoot(apiRoot) ?? apiRoot, '.data', 'pglite');
const defaultWebDist = path.resolve(apiRoot, '..', 'web', 'dist');

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));

/** `1` (hops), `true`/`false`, or a comma-separated list of trusted addresses/subnets, as Express accepts. */
const trustProxy = z
  .string()
  .min(1)
  .transform((value): boolean | number | string => {
    if (/^\d+$/.test(value)) return Number(value);
    if (value === 'true' || value === 'false') return value === 'true';
    return value;
  });

interface SpecEntry {
  /** Environment variable read for this key. */
  readonly env: string;
  /** Default used when the variable is unset; `undefined` means "unset" (the key is optional). */
  readonly default: string | undefined;
  /** One line for the README table and for operators. */
  readonly doc: string;
  /** How the README shows the default when the literal value depends on the machine. */
  readonly shownDefault?: string;
  /** Secrets may be given as `<env>_FILE` (Docker secrets, CSI-mounted Key Vault files) and are redacted in logs. */
  readonly secret?: true;
  readonly schema: z.ZodType;
}

const spec = {
  port: {
    env: 'PORT',
    default: '3000',
    doc: 'TCP port the HTTP server listens on (0 picks a free port).',
    schema: z.coerce.number({ message: 'must be a number' }).int().min(0).max(65535),
  },
  host: { env: 'HOST', default: '0.0.0.0', doc: 'Interface to bind.', schema: z.string().min(1) },
  logLevel: {
    env: 'LOG_LEVEL',
    default: 'info',
    doc: 'pino level: fatal, error, warn, info, debug, trace or silent.',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  },
  accessLog: {
    env: 'ACCESS_LOG',
    default: 'all',
    doc: 'Which requests get an info-level access line: all, or errors-and-slow (4xx, 5xx and answers slower than ACCESS_LOG_SLOW_MS only; docs/performance.md gives the cost of each).',
    schema: z.enum(['all', 'errors-and-slow'], { message: 'must be all or errors-and-slow' }),
  },
  accessLogSlowMs: {
    env: 'ACCESS_LOG_SLOW_MS',
    default: '250',
    doc: 'With ACCESS_LOG=errors-and-slow, a successful answer that took at least this many milliseconds is still logged.',
    schema: positiveInt(600_000),
  },
  metricsEnabled: {
    env: 'METRICS_ENABLED',
    default: 'true',
    doc: 'Serve /metrics and time every request and query; false drops both (the bench measures their cost).',
    schema: booleanText,
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    default: undefined,
    doc: 'PostgreSQL connection URL; setting it (or any PG* variable) selects PostgreSQL over embedded PGlite.',
    secret: true,
    schema: optionalText.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      message: 'must start with postgres:// or postgresql://',
    }),
  },
  pgHost: { env: 'PGHOST', default: undefined, doc: 'PostgreSQL host (libpq style).', schema: optionalText },
  pgPort: {
    env: 'PGPORT',
    default: undefined,
    doc: 'PostgreSQL port.',
    schema: optionalText.pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be a port number')
        .transform(Number)
        .pipe(z.number().int().min(1).max(65535))
        .optional(),
    ),
  },
  pgUser: { env: 'PGUSER', default: undefined, doc: 'PostgreSQL user.', schema: optionalText },
  pgPassword: {
    env: 'PGPASSWORD',
    default: undefined,
    doc: 'PostgreSQL password.',
    secret: true,
    schema: optionalText,
  },
  pgDatabase: {
    env: 'PGDATABASE',
    default: undefined,
    doc: 'PostgreSQL database name.',
    schema: optionalText,
  },
  pgSslMode: {
    env: 'PGSSLMODE',
    default: undefined,
    doc: 'TLS to PostgreSQL: verify-full (encrypt and verify the certificate and host name against the system CAs; managed services such as Azure need it), require (encrypt without verifying) or disable. Unset: no TLS.',
    schema: optionalText.pipe(z.enum(['disable', 'require', 'verify-full']).optional()),
  },
  dbPoolMax: {
    env: 'DB_POOL_MAX',
    default: '10',
    doc: 'Maximum PostgreSQL connections per process (PGlite always uses one).',
    schema: positiveInt(1000),
  },
  dbTimeoutMs: {
    env: 'DB_TIMEOUT_MS',
    default: '2000',
    doc: 'Connect, acquire and statement timeout, so an outage answers 503 quickly instead of hanging.',
    schema: positiveInt(600_000),
  },
  idempotencyKeyTtlSeconds: {
    env: 'IDEMPOTENCY_KEY_TTL_SECONDS',
    default: '86400',
    doc: 'How long POST /api/tasks remembers an Idempotency-Key (a retry within it gets the same task).',
    schema: positiveInt(30 * 86_400),
  },
  pgliteDataDir: {
    env: 'PGLITE_DATA_DIR',
    default: defaultDataDir,
    shownDefault: '<repo root>/.data/pglite',
    doc: 'Embedded PGlite data directory (`memory://` keeps it in memory); used only without PostgreSQL settings.',
    schema: z.string().min(1),
  },
  migrateOnStart: {
    env: 'MIGRATE_ON_START',
    default: undefined,
    shownDefault: 'true on PGlite, false on PostgreSQL',
    doc: 'Run pending migrations before listening; default true on PGlite, false on PostgreSQL.',
    schema: optionalText.pipe(booleanText.optional()),
  },
  webDistDir: {
    env: 'WEB_DIST_DIR',
    default: defaultWebDist,
    shownDefault: 'shared/app/web/dist',
    doc: 'Built SPA to serve with history fallback; skipped while it has no index.html; empty disables.',
    schema: z.string().transform((value) => (value.trim() === '' ? undefined : path.resolve(value))),
  },
  shutdownTimeoutMs: {
    env: 'SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    doc: 'Longest graceful shutdown before open connections are cut and the process exits 1.',
    schema: positiveInt(3_600_000),
  },
  shutdownDelayMs: {
    env: 'SHUTDOWN_DELAY_MS',
    default: '5000',
    doc: 'After SIGTERM, keep serving with /readyz 503 (and Connection: close) this long so load balancers stop routing here first; SIGINT (Ctrl-C) skips it.',
    schema: z.coerce.number().int().min(0).max(3_600_000),
  },
  trustProxy: {
    env: 'TRUST_PROXY',
    default: '1',
    doc: "Express 'trust proxy': hop count, true/false, or trusted addresses.",
    schema: trustProxy,
  },
  bodyLimit: {
    env: 'BODY_LIMIT',
    default: '100kb',
    doc: 'Largest accepted JSON body (bytes or a unit such as 100kb); larger bodies get 413.',
    schema: z.string().regex(/^\d+(b|kb|mb)?$/i, 'must be a byte count such as 102400 or 100kb'),
  },
  appVersion: {
    env: 'APP_VERSION',
    default: packageVersion(),
    shownDefault: 'package.json version',
    doc: 'Version reported by /api/info and app_info (defaults to package.json).',
    schema: z.string().min(1),
  },
  gitCommit: {
    env: 'GIT_COMMIT',
    default: 'unknown',
    doc: 'Commit reported by /api/info and app_info.',
    schema: z.string().min(1),
  },
} as const satisfies Record<string, SpecEntry>;

type Spec = typeof spec;
export type ConfigKey = keyof Spec;

/** The schema every process parses once at startup. Unknown keys cannot appear: input is built from `spec`. */
export const configSchema = z.object(
  Object.fromEntries(Object.entries(spec).map(([key, entry]) => [key, entry.schema])) as {
    [K in ConfigKey]: Spec[K]['schema'];
  },
);

type Parsed = z.output<typeof configSchema>;

export interface Config extends Omit<Parsed, 'migrateOnStart'> {
  /** Which database the settings select: PostgreSQL when any PG setting is present. */
  readonly databaseKind: 'postgres' | 'pglite';
  readonly migrateOnStart: boolean;
  /** Secret values, so the logger can scrub them from every line. */
  readonly secrets: readonly string[];
  /**
   * The file PGPASSWORD came from (PGPASSWORD_FILE), if any. The pool re-reads it for every new connection, so a
   * password rotated on disk (Key Vault CSI driver, Docker secret) reaches new connections without a restart.
   */
  readonly pgPasswordFile?: string;
}

/** Machine-readable description of every variable (later verify suites cross-check manifests against it). */
export const configSpec = Object.entries(spec).map(([key, entry]: [string, SpecEntry]) => ({
  key,
  env: entry.env,
  default: entry.default,
  /** The default as documented: machine-independent text where the literal default is a local path. */
  shownDefault: entry.shownDefault ?? entry.default,
  doc: entry.doc,
  secret: entry.secret === true,
  /** `<env>_FILE` for secrets, else undefined. */
  fileEnv: entry.secret ? `${entry.env}_FILE` : undefined,
  /** No variable is required: every key has a default or is optional (PostgreSQL settings select the database). */
  required: false,
}));

/** The README's environment table, rendered from `configSpec` (print it with `node dist/cli/config-doc.js`). */
export function configMarkdownTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = configSpec.map((entry) => {
    const name = entry.fileEnv ? `\`${entry.env}\` / \`${entry.fileEnv}\`` : `\`${entry.env}\``;
    const shown = entry.shownDefault === undefined ? '(unset)' : `\`${entry.shownDefault}\``;
    return `| ${name} | ${shown} | ${cell(entry.doc)} |`;
  });
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const raw: Record<string, string | undefined> = {};
  for (const [key, entry] of Object.entries(spec) as [ConfigKey, SpecEntry][]) {
    let value = env[entry.env];
    const fileVar = `${entry.env}_FILE`;
    const file = entry.secret ? env[fileVar] : undefined;
    if (file !== undefined && file !== '') {
      if (value !== undefined && value !== '') {
        problems.push(`${entry.env}: set either ${entry.env} or ${fileVar}, not both`);
        continue;
      }
      try {
        value = readFileSync(file, 'utf8').trim();
      } catch (error) {
        problems.push(
          `${fileVar}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
        continue;
      }
    }
    raw[key] = value ?? entry.default;
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path[0] as ConfigKey;
      const entry: SpecEntry = spec[key];
      const shown = entry.secret ? '' : ` (got ${JSON.stringify(raw[key])})`;
      problems.push(`${entry.env}: ${issue.message}${shown}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);

  const parsed = result.data;
  const usesPostgres = [
    parsed.databaseUrl,
    parsed.pgHost,
    parsed.pgPort,
    parsed.pgUser,
    parsed.pgPassword,
    parsed.pgDatabase,
  ].some((value) => value !== undefined);
  const databaseKind = usesPostgres ? 'postgres' : 'pglite';
  return {
    ...parsed,
    databaseKind,
    migrateOnStart: parsed.migrateOnStart ?? databaseKind === 'pglite',
    webDistDir: parsed.webDistDir,
    secrets: collectSecrets(parsed),
    ...(env.PGPASSWORD_FILE ? { pgPasswordFile: env.PGPASSWORD_FILE } : {}),
  };
}

function collectSecrets(parsed: Parsed): string[] {
  const secrets: string[] = [];
  if (parsed.pgPassword) secrets.push(parsed.pgPassword);
  if (parsed.databaseUrl) {
    try {
      const password = new URL(parsed.databaseUrl).password;
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // Not a parseable URL: nothing can be told apart from it, so scrub the whole value.
      secrets.push(parsed.databaseUrl);
    }
  }
  return [...new Set(secrets)].filter((secret) => secret.length > 0);
}

/** Where the data lives, for logs: never includes the password. */
export function describeDatabase(config: Config): string {
  if (config.databaseKind === 'pglite') return `PGlite at ${config.pgliteDataDir}`;
  let host = config.pgHost ?? 'localhost';
  let port = String(config.pgPort ?? 5432);
  let database = config.pgDatabase ?? config.pgUser ?? '(default)';
  if (config.databaseUrl) {
    try {
      const url = new URL(config.databaseUrl);
      host = url.hostname || host;
      port = url.port || port;
      database = url.pathname.replace(/^\//, '') || database;
    } catch {
      return 'PostgreSQL (unparseable DATABASE_URL)';
    }
  }
  return `PostgreSQL at ${host}:${port}/${database}`;
}
