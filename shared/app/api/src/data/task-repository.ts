// The only module that knows the tasks table. Returns plain records; callers never see a query builder.
import type { Knex } from 'knex';
import type { Database, PreparedStatement } from './database';

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export interface TaskRecord {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  version: number;
  /** ISO 8601 with milliseconds, UTC. */
  createdAt: string;
  updatedAt: string;
}

export type TaskChanges = Partial<
  Pick<TaskRecord, 'title' | 'description' | 'status' | 'priority' | 'dueDate'>
>;

export interface TaskListQuery {
  status?: TaskStatus;
  /** Case-insensitive substring of the title. */
  q?: string;
  limit: number;
  /** Keyset position: rows strictly older than this (createdAt, id) pair. */
  after?: { createdAt: string; id: string };
}

/** An Idempotency-Key claim: the key, the fingerprint of the body it came with, and how long it is kept. */
export interface IdempotencyClaim {
  key: string;
  requestHash: string;
  ttlSeconds: number;
}

export type IdempotentInsert =
  | { kind: 'created'; task: TaskRecord }
  /** The key was already used within its lifetime: what it was used with, and what was answered then. */
  | { kind: 'existing'; requestHash: string; task: TaskRecord };

export interface TaskRepository {
  insert(task: TaskRecord): Promise<TaskRecord>;
  /**
   * Inserts the task and records the key in one transaction, unless the key is already held (and not expired):
   * then nothing is written and the earlier answer is returned. Concurrent claims of one key are ordered by the
   * primary key, so exactly one inserts.
   */
  insertOnce(task: TaskRecord, claim: IdempotencyClaim): Promise<IdempotentInsert>;
  /** Deletes up to `limit` expired keys without waiting on locks; returns how many. */
  purgeExpiredKeys(limit: number): Promise<number>;
  findById(id: string): Promise<TaskRecord | undefined>;
  list(query: TaskListQuery): Promise<TaskRecord[]>;
  /** Optimistic update: applies only when the stored version still equals `version`; undefined otherwise. */
  updateIfVersion(
    id: string,
    version: number,
    changes: TaskChanges,
    updatedAt: Date,
  ): Promise<TaskRecord | undefined>;
  delete(id: string): Promise<boolean>;
  countByStatus(): Promise<Record<TaskStatus, number>>;
}

interface TaskRow {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  due_date: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

// Dates leave the database as text: pg would turn a DATE into a local-midnight Date and shift it across zones.
const columns = [
  'id',
  'title',
  'description',
  'status',
  'priority',
  'due_date::text as due_date',
  'version',
  'created_at',
  'updated_at',
];

function toRecord(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    dueDate: row.due_date,
    version: Number(row.version),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function toRowChanges(changes: TaskChanges): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (changes.title !== undefined) row.title = changes.title;
  if (changes.description !== undefined) row.description = changes.description;
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.priority !== undefined) row.priority = changes.priority;
  if (changes.dueDate !== undefined) row.due_date = changes.dueDate;
  return row;
}

/** Escapes LIKE wildcards so a search for "50%" matches the literal text. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function rowsOf<T = unknown>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** The prepared statements rely on knex's binding order; a knex upgrade that changes it must fail at start-up. */
function assertBindingOrder(name: string, query: Knex.QueryBuilder, expected: unknown[]): void {
  const actual = query.toSQL().bindings;
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(
      `the ${name} statement's bindings are ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
}

/** The insert's bindings in the order of its compiled text (knex sorts the columns by name). */
function insertBindings(task: TaskRecord): unknown[] {
  return [
    task.createdAt,
    task.description,
    task.dueDate,
    task.id,
    task.priority,
    task.status,
    task.title,
    task.updatedAt,
    task.version,
  ];
}

/** The list's filters that change its text; the values do not. */
function listShape({ status, q, after }: TaskListQuery): string {
  return `${status ? 's' : ''}${q ? 'q' : ''}${after ? 'a' : ''}`;
}

/** The list's bindings in the order knex puts them: the filters as added below, then the limit. */
function listBindings({ status, q, limit, after }: TaskListQuery): unknown[] {
  const bindings: unknown[] = [];
  if (status) bindings.push(status);
  if (q) bindings.push(likePattern(q));
  if (after) bindings.push(after.createdAt, after.id);
  bindings.push(limit);
  return bindings;
}

/**
 * The hot statements (list, by id, create) are built and compiled by knex once, then run as raw SQL with the same
 * text (issue 20: building them per request cost a tenth of the API's CPU). The rest stays on the builder.
 */
export function createTaskRepository(db: Pick<Database, 'knex' | 'prepare' | 'run'>): TaskRepository {
  const { knex } = db;
  const returning = columns.map((column) => knex.raw(column));
  const sample: TaskRecord = {
    id: '00000000-0000-4000-8000-000000000000',
    title: 't',
    description: '',
    status: 'todo',
    priority: 'low',
    dueDate: null,
    version: 1,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
  };
  const insertQuery = knex('tasks')
    .insert({
      id: sample.id,
      title: sample.title,
      description: sample.description,
      status: sample.status,
      priority: sample.priority,
      due_date: sample.dueDate,
      version: sample.version,
      created_at: sample.createdAt,
      updated_at: sample.updatedAt,
    })
    .returning(returning as never);
  assertBindingOrder('insert', insertQuery, insertBindings(sample));
  const insertStatement = db.prepare('insert', insertQuery);
  const byIdStatement = db.prepare(
    'select',
    knex('tasks').select(returning).where({ id: sample.id }).first(),
  );

  const listStatements = new Map<string, PreparedStatement>();
  const listStatement = (query: TaskListQuery): PreparedStatement => {
    const shape = listShape(query);
    let statement = listStatements.get(shape);
    if (!statement) {
      const { status, q, limit, after } = query;
      const builder = knex('tasks')
        .select(returning)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
      if (status) builder.where({ status });
      if (q) builder.whereRaw("title ILIKE ? ESCAPE '\\'", [likePattern(q)]);
      if (after)
        builder.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [after.createdAt, after.id]);
      builder.limit(limit);
      assertBindingOrder(`list (${shape || 'unfiltered'})`, builder, listBindings(query));
      statement = db.prepare('select', builder);
      listStatements.set(shape, statement);
    }
    return statement;
  };

  /** Inside a transaction the compiled text runs through knex.raw on the transaction's connection. */
  const insertTask = async (trx: Knex.Transaction, task: TaskRecord): Promise<TaskRecord> => {
    const [row] = rowsOf<TaskRow>(
      await trx.raw(insertStatement.positional, insertBindings(task) as Knex.RawBinding[]),
    );
    return toRecord(row as TaskRow);
  };
  const findById = async (id: string) => {
    const [row] = await db.run<TaskRow>(byIdStatement, [id, 1]);
    return row ? toRecord(row) : undefined;
  };
  return {
    async insert(task) {
      const [row] = await db.run<TaskRow>(insertStatement, insertBindings(task));
      return toRecord(row as TaskRow);
    },
    async insertOnce(task, claim) {
      return knex.transaction(async (trx) => {
        // Claim the key, or take over one whose lifetime is over. No row back means another request holds it.
        const claimed = rowsOf(
          await trx.raw(
            `INSERT INTO idempotency_keys (key, request_hash, expires_at)
             VALUES (?, ?, now() + make_interval(secs => ?))
             ON CONFLICT (key) DO UPDATE
               SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now(),
                   expires_at = EXCLUDED.expires_at
               WHERE idempotency_keys.expires_at <= now()
             RETURNING key`,
            [claim.key, claim.requestHash, claim.ttlSeconds],
          ),
        );
        if (claimed.length === 0) {
          const [held] = rowsOf<{ request_hash: string; response: TaskRecord | string }>(
            await trx.raw('SELECT request_hash, response FROM idempotency_keys WHERE key = ?', [claim.key]),
          );
          if (!held) throw new Error(`idempotency key ${claim.key} vanished inside its transaction`);
          const response = typeof held.response === 'string' ? JSON.parse(held.response) : held.response;
          return { kind: 'existing', requestHash: held.request_hash, task: response as TaskRecord };
        }
        const created = await insertTask(trx, task);
        await trx.raw('UPDATE idempotency_keys SET response = ?::jsonb WHERE key = ?', [
          JSON.stringify(created),
          claim.key,
        ]);
        return { kind: 'created', task: created };
      });
    },
    async purgeExpiredKeys(limit) {
      // SKIP LOCKED: a purge never waits for (or deadlocks with) a request that is taking over an expired key.
      const rows = rowsOf(
        await knex.raw(
          `DELETE FROM idempotency_keys WHERE key IN (
             SELECT key FROM idempotency_keys WHERE expires_at <= now()
             ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)
           RETURNING key`,
          [limit],
        ),
      );
      return rows.length;
    },
    findById,
    async list(query) {
      const rows = await db.run<TaskRow>(listStatement(query), listBindings(query));
      return rows.map(toRecord);
    },
    async updateIfVersion(id, version, changes, updatedAt) {
      // One statement decides the race: of two writers holding the same version, the second matches no row.
      const rows = (await knex('tasks')
        .where({ id, version })
        .update({
          ...toRowChanges(changes),
          version: knex.raw('version + 1'),
          updated_at: updatedAt.toISOString(),
        })
        .returning(returning as never)) as TaskRow[];
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
    async delete(id) {
      // RETURNING rather than the affected-row count, which knex-pglite does not report for DELETE.
      const rows = (await knex('tasks').where({ id }).delete().returning('id')) as unknown[];
      return rows.length > 0;
    },
    async countByStatus() {
      const rows = (await knex('tasks')
        .select('status')
        .count<{ status: TaskStatus; count: string | number }[]>('* as count')
        .groupBy('status')) as {
        status: TaskStatus;
        count: string | number;
      }[];
      const counts = { todo: 0, in_progress: 0, done: 0 } as Record<TaskStatus, number>;
      for (const row of rows) counts[row.status] = Number(row.count);
      return counts;
    },
  };
}
