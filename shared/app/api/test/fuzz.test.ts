// Property-based fuzzing of the task endpoints with fast-check: bodies, query strings, path parameters and headers
// full of wrong types, unicode, huge strings, deep nesting and prototype-pollution keys. The app is built once and
// listens once; every case is one real HTTP request through supertest. A model of what the API acknowledged
// (ids and versions) is checked against the database after each endpoint's run.
import http from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { buildTestApp, type TestApp } from './helpers/app';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './helpers/database';

// 2,000 requests per property: room for a loaded 2-core CI runner beyond jest's 60 s default.
jest.setTimeout(180_000);

/** Fixed, so a failure replays exactly; FUZZ_SEED explores other inputs, FUZZ_RUNS only ever raises the count. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Math.max(2000, Number(process.env.FUZZ_RUNS ?? 0));

const STATUSES = ['todo', 'in_progress', 'done'] as const;
const PRIORITIES = ['low', 'medium', 'high'] as const;
/** The API's own rule for echoing an incoming X-Request-Id (src/request-logger.ts). */
const requestIdPattern = /^[\w.:@/+=-]{1,128}$/;

interface Task {
  id: string;
  version: number;
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

/** Strings that have broken real systems: prototype keys, NUL, lone surrogates, bidi overrides, SQL and path bits. */
const nastyStrings = [
  '',
  ' ',
  '   \t\n',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u202etxt.exe',
  '😀',
  '👩‍👩‍👧‍👦',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗',
  'ﷺ',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '%',
  '%00',
  '%zz',
  '_',
  '\\',
  "' OR 1=1 --",
  'Robert"); DROP TABLE tasks;--',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  'todo',
  'in_progress',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
];

/** Around and far beyond the field limits (200, 5000) and the 100 kb body limit, in 1- to 4-byte characters. */
const hugeString = fc
  .tuple(fc.constantFrom(201, 5001, 60_000, 120_000), fc.constantFrom('x', 'é', '😀', '\u0000', ' '))
  .map(([length, char]) => char.repeat(length));

const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 1, arbitrary: hugeString },
);

const isoDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

// ---------------------------------------------------------------------------------------------------------------
// Edges of the database types the schema maps to (issue 16): generated, not hand-picked. A value that JSON and zod
// accept but PostgreSQL's column type refuses used to be a 500; these generators walk up to every such border.

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Years at the borders of PostgreSQL's `date`/`timestamptz` input (no year 0) and of the 4-digit ISO form. */
const edgeYear = fc.oneof(
  fc.constantFrom(0, 1, 2, 1582, 1899, 1900, 1970, 2000, 2023, 2024, 2100, 9998, 9999),
  fc.integer({ min: 0, max: 9999 }),
);
/** Months and days one past each end, and every day a month may or may not have (29-31). */
const edgeMonth = fc.oneof(fc.constantFrom(0, 1, 2, 4, 12, 13), fc.integer({ min: 1, max: 12 }));
const edgeDay = fc.oneof(fc.constantFrom(0, 1, 28, 29, 30, 31, 32), fc.integer({ min: 1, max: 31 }));

/** `date` edges as the wire carries them: YYYY-MM-DD, plus 5-digit, signed and 2-digit-year spellings. */
const edgeDate = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(edgeYear, edgeMonth, edgeDay)
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('10000', '+010000', '-000001', '99', '0'), edgeMonth, edgeDay)
      .map(([y, m, d]) => `${y}-${pad(m, 2)}-${pad(d, 2)}`),
  },
);

/** `timestamptz` edges as ISO text: the date edges above, hour 24, second 60, and offsets that cross a day. */
const edgeTimestamp = fc
  .tuple(
    edgeDate,
    fc.oneof(fc.constantFrom(0, 23, 24), fc.integer({ min: 0, max: 23 })),
    fc.oneof(fc.constantFrom(0, 59, 60), fc.integer({ min: 0, max: 59 })),
    fc.oneof(fc.constantFrom(0, 59, 60), fc.integer({ min: 0, max: 59 })),
    fc.integer({ min: 0, max: 999 }),
    fc.constantFrom('Z', 'Z', 'Z', '+00:00', '+14:00', '-12:00', ''),
  )
  .map(
    ([date, h, mi, s, ms, zone]) => `${date}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}${zone}`,
  );

/** `integer` (int4) edges: both ends, one beyond, and the ends of exact JavaScript numbers. */
const INT4_MAX = 2 ** 31 - 1;
const edgeInteger = fc.oneof(
  fc.constantFrom(
    INT4_MAX,
    INT4_MAX + 1,
    2 ** 32,
    -(2 ** 31),
    -(2 ** 31) - 1,
    Number.MAX_SAFE_INTEGER,
    1e21,
    0,
    -1,
  ),
  fc.integer({ min: INT4_MAX - 3, max: INT4_MAX + 3 }),
  fc.integer({ min: INT4_MAX + 1, max: Number.MAX_SAFE_INTEGER }),
);

/** `uuid` edges: nil, max, upper case, and hex that is not an RFC 4122 variant. */
const edgeUuid = fc.oneof(
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '00000000-0000-4000-8000-000000000000',
  ),
  fc.uuid(),
);

/**
 * `text` edges: the length limits (200, 5000) one below, at and above, counted in characters of 1 to 4 UTF-8
 * bytes and of 1 or 2 UTF-16 code units (zod counts code units, PostgreSQL's char_length counts code points).
 */
const edgeText = fc
  .tuple(
    fc.constantFrom(1, 99, 100, 101, 199, 200, 201, 2499, 2500, 2501, 4999, 5000, 5001),
    fc.constantFrom('x', 'é', '€', '😀', 'e\u0301', ' ', '\u3000', '\ufeff', '\u200b'),
    fc.constantFrom('', ' ', 'a'),
  )
  .map(([length, char, around]) => `${around}${char.repeat(length)}${around}`);

const edgeCursor = fc
  .tuple(edgeTimestamp, edgeUuid)
  .map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url'));

/** Values of the wrong type, including JSON that nests far deeper than any task field. */
const wrongType = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyString, { maxLength: 3 }),
  fc.integer({ min: 50, max: 2000 }).map((depth) => nestedArray(depth)),
);

function nestedArray(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const fieldValues = {
  title: fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }) },
    { weight: 3, arbitrary: anyString },
    { weight: 2, arbitrary: edgeText },
    { weight: 1, arbitrary: wrongType },
  ),
  description: fc.oneof(
    { weight: 5, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
    { weight: 3, arbitrary: anyString },
    { weight: 2, arbitrary: edgeText },
    { weight: 1, arbitrary: wrongType },
  ),
  status: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...STATUSES) },
    { weight: 1, arbitrary: anyString },
    { weight: 1, arbitrary: wrongType },
  ),
  priority: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PRIORITIES) },
    { weight: 1, arbitrary: anyString },
    { weight: 1, arbitrary: wrongType },
  ),
  dueDate: fc.oneof(
    { weight: 4, arbitrary: isoDate },
    { weight: 3, arbitrary: edgeDate },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: anyString },
    { weight: 1, arbitrary: wrongType },
  ),
};

type Entry = [string, unknown];

/** Keys that a naive `Object.assign`/merge would turn into prototype pollution, plus fields the API owns. */
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'version', 'createdAt', 'updatedAt', ''),
  anyString.filter((key) => key.length < 1000),
);

/** The task fields as wire entries, each present or not. */
const taskFieldEntries = (required: (keyof typeof fieldValues)[]) =>
  fc
    .record(fieldValues, { requiredKeys: required })
    .map((record) => Object.entries(record).filter(([, value]) => value !== undefined) as Entry[]);

/** Serialises entries as a JSON object by hand, so `__proto__` and repeated keys reach the wire verbatim. */
function objectText(entries: Entry[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`;
}

const deepNestingText = fc
  .tuple(fc.constantFrom(100, 5000, 45_000), fc.boolean())
  .map(([depth, objects]) =>
    objects
      ? `${'{"title":'.repeat(depth)}"x"${'}'.repeat(depth)}`
      : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '{',
    '{"title":',
    '{"title":"a",}',
    "{'title':'a'}",
    'title=a',
    'null',
    '[]',
    '""',
    '\u0000',
  ),
);

/** A whole request body: mostly plausible objects (so tasks really get written), then everything else. */
function bodyText(fields: fc.Arbitrary<Entry[]>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fields.map(objectText) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fields,
          fc.array(fc.tuple(hostileKey, fc.oneof(anyString, wrongType)), { minLength: 1, maxLength: 3 }),
        )
        .chain(([base, extra]) => fc.shuffledSubarray([...base, ...extra], { minLength: base.length }))
        .map(objectText),
    },
    { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, wrongType), { maxLength: 4 }).map(objectText) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: deepNestingText },
    { weight: 1, arbitrary: notJson },
  );
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=nonsense',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/merge-patch+json',
      'application/octet-stream',
      'application/json;;;',
    ),
  },
);

/** What a PATCH sends as `version`: resolved against the model at request time, so it can really be current. */
type VersionChoice = { kind: 'current' | 'stale' | 'ahead' } | { kind: 'raw'; value: unknown };
const versionChoice: fc.Arbitrary<VersionChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'current' as const }) },
  { weight: 2, arbitrary: fc.constantFrom({ kind: 'stale' as const }, { kind: 'ahead' as const }) },
  { weight: 2, arbitrary: fc.oneof(wrongType, anyString).map((value) => ({ kind: 'raw' as const, value })) },
  { weight: 2, arbitrary: edgeInteger.map((value) => ({ kind: 'raw' as const, value })) },
);

/** A task id in a path: a task the API acknowledged (as sent, or upper-cased), an unknown uuid, or junk. */
type IdChoice = { kind: 'known'; pick: number; upper: boolean } | { kind: 'literal'; segment: string };
const idChoice: fc.Arbitrary<IdChoice> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ pick: fc.nat(), upper: fc.boolean() })
      .map(({ pick, upper }) => ({ kind: 'known' as const, pick, upper })),
  },
  { weight: 2, arbitrary: fc.uuid().map((id) => ({ kind: 'literal' as const, segment: id })) },
  { weight: 1, arbitrary: edgeUuid.map((id) => ({ kind: 'literal' as const, segment: id })) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        // Never empty: `/api/tasks/` is the list route, covered by its own property.
        anyString.filter((s) => s.length > 0 && s.length < 3000).map(percentEncode),
        fc.constantFrom(
          '%',
          '%E0%A4%A',
          '%C0%AF',
          '%00',
          '..',
          '%2e%2e',
          '%2F',
          'a%2Fb',
          '%uD800',
          '~',
          ';x=1',
          '*',
        ),
        fc.uuid().map((id) => `${id}x`),
        fc.uuid().map((id) => id.replace(/-/g, '')),
        fc.constant('0'.repeat(3000)),
      )
      .map((segment) => ({ kind: 'literal' as const, segment })),
  },
);

/** Percent-encodes every byte outside the unreserved set; works for lone surrogates, unlike encodeURIComponent. */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const queryKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('status', 'q', 'limit', 'cursor') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'status[]', 'limit[0]', 'q[a]', 'cursor.x', ''),
  },
  { weight: 1, arbitrary: anyString.filter((s) => s.length < 200) },
);
type QueryValue = { kind: 'nextCursor' } | { kind: 'text'; text: string; raw: boolean };
const queryValue: fc.Arbitrary<QueryValue> = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom(...STATUSES, '') },
    { weight: 3, arbitrary: fc.oneof(fc.nat({ max: 150 }), fc.integer()).map(String) },
    { weight: 3, arbitrary: anyString.filter((s) => s.length < 2500) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.jsonValue({ maxDepth: 2 }), fc.tuple(fc.date({ noInvalidDate: true }), fc.uuid()))
        .map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('%', '%zz', '%E0%A4%A', '+', '%2B', '&&', '==')
        .map((text) => ({ raw: text })),
    },
    { weight: 2, arbitrary: fc.constant({ next: true }) },
    { weight: 3, arbitrary: edgeCursor },
    {
      weight: 1,
      arbitrary: fc.oneof(
        edgeInteger.map(String),
        edgeText.filter((s) => s.length < 300),
      ),
    },
  )
  .map((value): QueryValue => {
    if (typeof value === 'object' && 'next' in value) return { kind: 'nextCursor' };
    if (typeof value === 'object' && 'raw' in value) return { kind: 'text', text: value.raw, raw: true };
    return { kind: 'text', text: value, raw: false };
  });

/**
 * Header values as HTTP allows them on the wire (tab, printable ASCII, obs-text), including long ones. At most
 * 6 × 2 kB in all: beyond Node's 16 kB header limit its HTTP parser answers 431 itself, before the app runs.
 */
const headerValue = fc.oneof(
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: 80,
  }),
  fc.constantFrom(
    '',
    '\t',
    'null',
    '__proto__',
    'application/json',
    '*/*',
    '0',
    '-1',
    'gzip',
    'br',
    'deflate',
  ),
  fc.constantFrom(200, 2000).map((length) => 'a'.repeat(length)),
);
const headerName = fc.oneof(
  fc.constantFrom(
    'X-Request-Id',
    'Content-Type',
    'Content-Encoding',
    'Accept',
    'Accept-Encoding',
    'Accept-Charset',
    'Accept-Language',
    'Authorization',
    'Cookie',
    'Origin',
    'Referer',
    'If-None-Match',
    'If-Modified-Since',
    'Range',
    'X-Forwarded-For',
    'X-Forwarded-Proto',
    'X-Forwarded-Host',
    'Forwarded',
    'X-HTTP-Method-Override',
    'X-Real-IP',
    'Idempotency-Key',
    'constructor',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,40}$/),
);

// ---------------------------------------------------------------------------------------------------------------
// The system under test and the model of what it acknowledged

let testDb: TestDatabase;
let t: TestApp;
let server: http.Server;

/** id (lower case) -> the version the API last acknowledged. */
const acknowledged = new Map<string, number>();
const counts = { creates: 0, deletes: 0, updates: 0 };
const figures = new Map<string, { cases: number; statuses: Map<number, number> }>();
let lastNextCursor: string | undefined;
/** Object.prototype before any request: prototype pollution would add to it. */
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  // PGlite starts its WASM engine on the first query; on a busy runner that can outlast the 2 s default timeout.
  testDb = await createTestDatabase({ env: { DB_TIMEOUT_MS: '30000' } });
  // Only error lines are kept: any would mean a 5xx or a failure the API swallowed.
  t = buildTestApp(testDb, { logLevel: 'error' });
  server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  // Guarded: without a server (beforeAll failed) `server?.close(cb)` would never call back and the hook would hang.
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await testDb?.cleanup();
  const lines = [...figures].map(([endpoint, { cases, statuses }]) => {
    const byStatus = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}×${n}`)
      .join(' ');
    return `  ${endpoint.padEnd(34)} ${String(cases).padStart(6)} cases   ${byStatus}`;
  });
  process.stderr.write(
    [
      `\n[api fuzz] fast-check seed ${SEED}, ${RUNS} runs per endpoint, database ${testDatabaseKind}`,
      ...lines,
      `  acknowledged: ${counts.creates} creates, ${counts.updates} updates, ${counts.deletes} deletes; ` +
        `${acknowledged.size} tasks expected in the database\n`,
    ].join('\n'),
  );
});

function record(endpoint: string, status: number): void {
  const entry = figures.get(endpoint) ?? { cases: 0, statuses: new Map<number, number>() };
  entry.cases++;
  entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
  figures.set(endpoint, entry);
}

/** Every task id a 201 ever carried: a replayed 201 must name one of them (it may since be changed or gone). */
const everCreated = new Set<string>();

/** Folds a 201 into the model: a new task at version 1, or a replay of an earlier create, which writes nothing. */
function acknowledgeCreate(res: request.Response, where: string): void {
  const task = res.body as Task;
  if (res.headers.location !== `/api/tasks/${task.id}`)
    throw new Error(`${where}: bad Location ${res.headers.location}`);
  if (res.headers['idempotent-replayed'] === 'true') {
    if (!everCreated.has(task.id)) throw new Error(`${where}: replayed ${task.id}, which was never created`);
    return;
  }
  if (task.version !== 1 || everCreated.has(task.id)) throw new Error(`${where}: bad create ${res.text}`);
  everCreated.add(task.id);
  acknowledged.set(task.id, 1);
  counts.creates++;
}

function knownIds(): string[] {
  return [...acknowledged.keys()];
}

function resolveId(choice: IdChoice): { segment: string; id?: string } {
  if (choice.kind === 'literal') return { segment: choice.segment };
  const ids = knownIds();
  const id = ids[choice.pick % Math.max(ids.length, 1)];
  if (!id) return { segment: '00000000-0000-4000-8000-000000000000' };
  return { segment: choice.upper ? id.toUpperCase() : id, id };
}

/** The invariants every response must hold, whatever was sent. */
function expectSound(endpoint: string, res: request.Response): void {
  record(endpoint, res.status);
  const where = `${endpoint} answered ${res.status} ${res.text?.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`5xx: ${where}`);
  if (res.status >= 400) {
    if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? ''))
      throw new Error(`4xx without problem+json (content-type ${res.headers['content-type']}): ${where}`);
    const body = res.body as { status?: unknown; code?: unknown; detail?: unknown };
    if (body.status !== res.status || typeof body.code !== 'string' || typeof body.detail !== 'string')
      throw new Error(`problem body does not match its status: ${where}`);
    if (/\bat .+\(.+:\d+:\d+\)/.test(res.text)) throw new Error(`stack frames leaked: ${where}`);
  }
  // helmet's headers are on every answer, errors included.
  if (res.headers['x-content-type-options'] !== 'nosniff')
    throw new Error(`no X-Content-Type-Options: nosniff: ${where}`);
  const echoed = res.headers['x-request-id'];
  if (typeof echoed !== 'string' || !requestIdPattern.test(echoed))
    throw new Error(`X-Request-Id echoed unsafely: ${JSON.stringify(echoed)}`);
}

/** A task the API returned must carry exactly the version last acknowledged for it (versions never go back). */
function expectCurrent(task: Task, where: string): void {
  const expected = acknowledged.get(task.id.toLowerCase());
  if (expected === undefined)
    throw new Error(`${where} returned task ${task.id}, which was never acknowledged`);
  if (task.version !== expected)
    throw new Error(
      `${where} returned ${task.id} at version ${task.version}; acknowledged version is ${expected}`,
    );
}

/** Row count equals acknowledged creates minus acknowledged deletes, and every stored version is the acknowledged one. */
async function expectDatabaseMatchesModel(): Promise<void> {
  const rows = (await testDb.db.knex('tasks').select('id', 'version')) as { id: string; version: number }[];
  expect(rows.length).toBe(counts.creates - counts.deletes);
  expect(Object.fromEntries(rows.map((row) => [row.id, Number(row.version)]))).toEqual(
    Object.fromEntries(acknowledged),
  );
}

const fuzz = <T>(arbitrary: fc.Arbitrary<T>, run: (input: T) => Promise<void>) =>
  fc.assert(fc.asyncProperty(arbitrary, run), {
    seed: SEED,
    numRuns: RUNS,
    verbose: fc.VerbosityLevel.Verbose,
  });

// ---------------------------------------------------------------------------------------------------------------

describe(`fuzzing the task API (fast-check, seed ${SEED}, ${RUNS} cases per endpoint)`, () => {
  let logLinesBefore = 0;
  beforeEach(() => {
    logLinesBefore = t?.logLines().length ?? 0;
  });
  afterEach(async () => {
    if (!t) return; // beforeAll failed and said why; checking the model would only add a TypeError
    await expectDatabaseMatchesModel();
    const errors = t
      .logLines()
      .slice(logLinesBefore)
      .map(
        (line) => `${String(line.msg)}: ${String((line.err as { message?: string })?.message).slice(0, 200)}`,
      );
    expect(errors).toEqual([]);
    // The __proto__ and constructor keys went through JSON parsing, zod and pino in this very process.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });

  it('POST /api/tasks: any body, content type and Idempotency-Key gets 201 or a 4xx problem, and 201s are stored', async () => {
    // A few keys reused across cases, so replays (same body) and 422s (another body) both happen.
    const key = fc.oneof(
      { weight: 12, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.constantFrom('fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3') },
      { weight: 1, arbitrary: fc.uuid() },
    );
    await fuzz(
      fc.tuple(bodyText(taskFieldEntries(['title'])), contentType, key),
      async ([body, type, key]) => {
        let req = request(server).post('/api/tasks').set('Content-Type', type);
        if (key !== null) req = req.set('Idempotency-Key', key);
        const res = await req.send(body);

        expectSound('POST /api/tasks', res);
        if (res.status === 201) acknowledgeCreate(res, 'POST /api/tasks');
      },
    );
  });

  it('PATCH /api/tasks/:id: any id, version and body; 200 raises the version by exactly one', async () => {
    const patch = fc.tuple(idChoice, versionChoice, bodyText(taskFieldEntries([])), contentType);
    await fuzz(patch, async ([idPick, version, changes, type]) => {
      const { segment, id } = resolveId(idPick);
      const current = id === undefined ? undefined : acknowledged.get(id);
      const versionValue =
        version.kind === 'raw'
          ? version.value
          : (current ?? 1) + (version.kind === 'current' ? 0 : version.kind === 'stale' ? -1 : 1);
      // Changes are a JSON object most of the time; splice `version` in front so the body stays what was generated.
      const body = changes.startsWith('{')
        ? `{"version":${JSON.stringify(versionValue) ?? 'null'}${changes === '{}' ? '' : ','}${changes.slice(1)}`
        : changes;

      const res = await request(server).patch(`/api/tasks/${segment}`).set('Content-Type', type).send(body);

      expectSound('PATCH /api/tasks/:id', res);
      if (res.status === 200) {
        const task = res.body as Task;
        const before = acknowledged.get(task.id);
        if (before === undefined || task.version !== before + 1)
          throw new Error(`PATCH moved ${task.id} from version ${before} to ${task.version}`);
        acknowledged.set(task.id, task.version);
        counts.updates++;
      } else if (res.status === 409) {
        expectCurrent((res.body as { current: Task }).current, 'PATCH 409 current');
      } else if (res.status === 404 && id !== undefined) {
        throw new Error(`PATCH of acknowledged task ${segment} answered 404`);
      }
    });
  });

  it('GET /api/tasks: any query string; 200 lists only acknowledged tasks at their acknowledged versions', async () => {
    const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 });
    await fuzz(query, async (pairs) => {
      const qs = pairs
        .map(([key, value]) => {
          const text = value.kind === 'nextCursor' ? (lastNextCursor ?? '') : value.text;
          return `${percentEncode(key)}=${value.kind === 'text' && value.raw ? text : percentEncode(text)}`;
        })
        .join('&');

      const res = await request(server).get(`/api/tasks${qs ? `?${qs}` : ''}`);

      expectSound('GET /api/tasks?…', res);
      if (res.status === 200) {
        const page = res.body as { items: Task[]; nextCursor: string | null };
        for (const task of page.items) expectCurrent(task, 'GET /api/tasks');
        if (page.nextCursor) lastNextCursor = page.nextCursor;
      }
    });
  });

  it('GET /api/tasks?cursor=…: cursors at the edges of timestamptz and uuid get 200 or a 4xx problem', async () => {
    // Alone or with a valid limit and status, so the cursor is what decides the answer (the mixed query property
    // above rarely sends a well-formed cursor without another parameter failing first).
    const cursorQuery = fc.record(
      { cursor: edgeCursor, limit: fc.integer({ min: 1, max: 100 }), status: fc.constantFrom(...STATUSES) },
      { requiredKeys: ['cursor'] },
    );
    await fuzz(cursorQuery, async (query) => {
      const res = await request(server).get('/api/tasks').query(query);

      expectSound('GET /api/tasks?cursor=…', res);
      if (res.status === 200) {
        for (const task of (res.body as { items: Task[] }).items)
          expectCurrent(task, 'GET /api/tasks?cursor');
      }
    });
  });

  it('GET /api/tasks/:id: any path parameter; 200 only for acknowledged tasks, at their version', async () => {
    await fuzz(idChoice, async (choice) => {
      const { segment, id } = resolveId(choice);

      const res = await request(server).get(`/api/tasks/${segment}`);

      expectSound('GET /api/tasks/:id', res);
      if (res.status === 200) expectCurrent(res.body as Task, `GET /api/tasks/${segment}`);
      else if (id !== undefined)
        throw new Error(`GET of acknowledged task ${segment} answered ${res.status}`);
    });
  });

  it('DELETE /api/tasks/:id: any path parameter; 204 removes exactly one acknowledged task', async () => {
    // Deletes are rarer than reads in the generated mix, so the table never empties and PATCH/GET keep targets.
    const deletion = fc.oneof(
      { weight: 1, arbitrary: idChoice },
      { weight: 3, arbitrary: idChoice.filter((choice) => choice.kind === 'literal') },
    );
    await fuzz(deletion, async (choice) => {
      const { segment, id } = resolveId(choice);

      const res = await request(server).delete(`/api/tasks/${segment}`);

      expectSound('DELETE /api/tasks/:id', res);
      if (res.status === 204) {
        if (id === undefined) throw new Error(`DELETE of never-acknowledged ${segment} answered 204`);
        acknowledged.delete(id);
        counts.deletes++;
      } else if (id !== undefined) {
        throw new Error(`DELETE of acknowledged task ${segment} answered ${res.status}`);
      }
    });
  });

  it('headers: any request headers on any task route and method get a sound answer', async () => {
    const headers = fc.array(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 6 });
    const target = fc.record({
      method: fc.constantFrom('get', 'post', 'put', 'patch', 'delete', 'options'),
      path: fc.constantFrom(
        '/api/tasks',
        '/api/tasks/',
        '/api/tasks/00000000-0000-4000-8000-000000000000',
        '/api/stats',
      ),
      body: fc.option(
        fc.constantFrom('{"title":"from the header fuzzer"}', '{"version":1,"title":"x"}', 'x'),
      ),
    });
    await fuzz(fc.tuple(target, headers), async ([{ method, path, body }, pairs]) => {
      let req = request(server)[method as 'get'](path);
      for (const [name, value] of pairs) req = req.set(name, value);
      const res = await (body === null ? req : req.send(body));

      expectSound('headers on /api/*', res);
      if (res.status === 201) acknowledgeCreate(res, 'headers');
    });
  });
});
