import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, configMarkdownTable, configSpec, describeDatabase, loadConfig } from '../src/config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'taskboard-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('defaults to embedded PGlite on port 3000 and migrates on start', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      databaseKind: 'pglite',
      migrateOnStart: true,
      dbPoolMax: 10,
      shutdownTimeoutMs: 10000,
      trustProxy: 1,
      bodyLimit: '100kb',
      gitCommit: 'unknown',
    });
    expect(config.pgliteDataDir).toBe(path.resolve(__dirname, '..', '..', '..', '..', '.data', 'pglite'));
    expect(config.webDistDir).toBe(path.resolve(__dirname, '..', '..', 'web', 'dist'));
    expect(config.appVersion).toBe(
      JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version,
    );
  });

  it('rejects a bad PORT, naming PORT', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([expect.stringMatching(/^PORT: .*"eighty"/)]);
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringMatching(/^PORT: /)]);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: '-1',
      LOG_LEVEL: 'loud',
      DB_POOL_MAX: '0',
      MIGRATE_ON_START: 'maybe',
    });

    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'DB_POOL_MAX',
      'LOG_LEVEL',
      'MIGRATE_ON_START',
      'PORT',
    ]);
  });

  it('selects PostgreSQL when DATABASE_URL is set, and does not migrate on start by default', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/app' });

    expect(config.databaseKind).toBe('postgres');
    expect(config.migrateOnStart).toBe(false);
  });

  it('selects PostgreSQL when only PG* variables are set', () => {
    const config = loadConfig({ PGHOST: 'db', PGPORT: '6543', PGUSER: 'app' });

    expect(config).toMatchObject({ databaseKind: 'postgres', pgHost: 'db', pgPort: 6543, pgUser: 'app' });
  });

  it('rejects a DATABASE_URL that is not a postgres URL without echoing the value', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://u:secretvalue@db/app' });

    expect(problems).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
    expect(problems.join()).not.toContain('secretvalue');
  });

  it('reads PGPASSWORD from PGPASSWORD_FILE, trimmed', () => {
    const file = path.join(dir, 'pgpassword');
    writeFileSync(file, '  from-a-file\n');

    const config = loadConfig({ PGHOST: 'db', PGPASSWORD_FILE: file });

    expect(config.pgPassword).toBe('from-a-file');
    expect(config.secrets).toContain('from-a-file');
  });

  it('accepts PGSSLMODE=verify-full and rejects a mode the pool cannot honour, naming PGSSLMODE', () => {
    expect(loadConfig({ PGHOST: 'db', PGSSLMODE: 'verify-full' }).pgSslMode).toBe('verify-full');
    expect(problemsOf({ PGHOST: 'db', PGSSLMODE: 'prefer' })).toEqual([
      expect.stringMatching(/^PGSSLMODE: /),
    ]);
  });

  it('remembers PGPASSWORD_FILE so the pool can re-read it after a rotation', () => {
    const file = path.join(dir, 'rotating');
    writeFileSync(file, 'first\n');

    expect(loadConfig({ PGHOST: 'db', PGPASSWORD_FILE: file }).pgPasswordFile).toBe(file);
  });

  it('reads DATABASE_URL from DATABASE_URL_FILE', () => {
    const file = path.join(dir, 'database-url');
    writeFileSync(file, 'postgres://app:filepw@db:5432/app\n');

    const config = loadConfig({ DATABASE_URL_FILE: file });

    expect(config.databaseUrl).toBe('postgres://app:filepw@db:5432/app');
    expect(config.secrets).toContain('filepw');
  });

  it('fails naming PGPASSWORD_FILE when the file does not exist', () => {
    expect(problemsOf({ PGPASSWORD_FILE: path.join(dir, 'absent') })).toEqual([
      expect.stringMatching(/^PGPASSWORD_FILE: cannot read .*absent/),
    ]);
  });

  it('fails naming DATABASE_URL_FILE when the file does not exist', () => {
    expect(problemsOf({ DATABASE_URL_FILE: path.join(dir, 'nope') })).toEqual([
      expect.stringMatching(/^DATABASE_URL_FILE: /),
    ]);
  });

  it('refuses both a secret and its _FILE variant', () => {
    const file = path.join(dir, 'pw2');
    writeFileSync(file, 'x');

    expect(problemsOf({ PGPASSWORD: 'y', PGPASSWORD_FILE: file })).toEqual([
      expect.stringMatching(/^PGPASSWORD: set either/),
    ]);
  });

  it('parses TRUST_PROXY as hops, a boolean or an address list', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('disables the SPA with an empty WEB_DIST_DIR', () => {
    expect(loadConfig({ WEB_DIST_DIR: '' }).webDistDir).toBeUndefined();
  });

  it('honours MIGRATE_ON_START on PostgreSQL', () => {
    expect(loadConfig({ PGHOST: 'db', MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
  });

  it('rejects a malformed BODY_LIMIT naming it', () => {
    expect(problemsOf({ BODY_LIMIT: 'lots' })).toEqual([expect.stringMatching(/^BODY_LIMIT: /)]);
  });
});

describe('describeDatabase', () => {
  it('names host, port and database but never the password', () => {
    const text = describeDatabase(
      loadConfig({ DATABASE_URL: 'postgres://app:hunter2@db.internal:6543/board' }),
    );

    expect(text).toBe('PostgreSQL at db.internal:6543/board');
  });
});

describe('configSpec', () => {
  const contract = [
    'PORT',
    'HOST',
    'LOG_LEVEL',
    'DATABASE_URL',
    'PGHOST',
    'PGPORT',
    'PGUSER',
    'PGPASSWORD',
    'PGDATABASE',
    'DB_POOL_MAX',
    'PGLITE_DATA_DIR',
    'MIGRATE_ON_START',
    'WEB_DIST_DIR',
    'SHUTDOWN_TIMEOUT_MS',
    'TRUST_PROXY',
    'APP_VERSION',
    'GIT_COMMIT',
    'BODY_LIMIT',
  ];

  it('lists every variable of the API contract with a doc line', () => {
    const names = configSpec.map((entry) => entry.env);

    expect(names).toEqual(expect.arrayContaining(contract));
    for (const entry of configSpec) expect(entry.doc.length).toBeGreaterThan(10);
  });

  it('marks the secrets and their _FILE variants', () => {
    const secrets = configSpec.filter((entry) => entry.secret).map((entry) => [entry.env, entry.fileEnv]);

    expect(secrets).toEqual([
      ['DATABASE_URL', 'DATABASE_URL_FILE'],
      ['PGPASSWORD', 'PGPASSWORD_FILE'],
    ]);
  });

  it('is documented in the README by the table generated from it', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

    // Regenerate with: node shared/app/api/dist/cli/config-doc.js
    expect(readme).toContain(configMarkdownTable());
  });
});

describe('ACCESS_LOG', () => {
  it('fails fast on an unknown mode, naming the variable', () => {
    expect(problemsOf({ ACCESS_LOG: 'sometimes' }).join('\n')).toMatch(/ACCESS_LOG/);
  });

  it('fails fast on a slow bound that is not a positive integer, naming the variable', () => {
    expect(problemsOf({ ACCESS_LOG_SLOW_MS: '-5' }).join('\n')).toMatch(/ACCESS_LOG_SLOW_MS/);
  });

  it('defaults to a line for every request', () => {
    expect(loadConfig({ PGLITE_DATA_DIR: 'memory://' })).toMatchObject({
      accessLog: 'all',
      accessLogSlowMs: 250,
    });
  });
});
