// Task use cases: ids, timestamps, cursors, optimistic concurrency. No HTTP, no SQL.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from 'pino';
import { AppError } from '../errors';
import type {
  TaskChanges,
  TaskPriority,
  TaskRecord,
  TaskRepository,
  TaskStatus,
} from '../data/task-repository';

export { TASK_PRIORITIES, TASK_STATUSES } from '../data/task-repository';
export type { TaskPriority, TaskRecord as Task, TaskStatus } from '../data/task-repository';

export interface NewTask {
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  dueDate: string | null;
}

export interface ListTasksInput {
  status?: TaskStatus;
  q?: string;
  limit: number;
  cursor?: string;
}

export interface TaskPage {
  items: TaskRecord[];
  nextCursor: string | null;
}

export interface TaskServiceDeps {
  repository: TaskRepository;
  /** How long an Idempotency-Key is remembered (IDEMPOTENCY_KEY_TTL_SECONDS). */
  idempotencyKeyTtlSeconds?: number;
  /** Called once per created task (the tasks_created_total counter). */
  onTaskCreated?: () => void;
  now?: () => Date;
  newId?: () => string;
}

export interface TaskService {
  list(input: ListTasksInput): Promise<TaskPage>;
  get(id: string): Promise<TaskRecord>;
  create(input: NewTask, log?: Logger): Promise<TaskRecord>;
  /**
   * Creates the task once per key: a repeat with the same body answers the first task (`replayed`); a repeat
   * with another body is a 422. Safe to retry after any failure, a timeout included.
   */
  createOnce(
    input: NewTask,
    idempotencyKey: string,
    log?: Logger,
  ): Promise<{ task: TaskRecord; replayed: boolean }>;
  update(id: string, version: number, changes: TaskChanges, log?: Logger): Promise<TaskRecord>;
  remove(id: string, log?: Logger): Promise<void>;
  stats(): Promise<{ total: number; byStatus: Record<TaskStatus, number> }>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cursors are opaque to clients: base64url of [createdAt, id] of the last item on the page. */
export function encodeCursor(task: Pick<TaskRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([task.createdAt, task.id])).toString('base64url');
}

/**
 * A cursor's timestamp is what `toISOString()` printed for a stored created_at, and nothing else: a date that
 * JavaScript rolls over (2024-02-30 becomes March 1st) or that PostgreSQL refuses (year 0000) is not one.
 */
const cursorTimestamp = z.string().refine((text) => {
  const time = Date.parse(text);
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text) &&
    !text.startsWith('0000-') &&
    !Number.isNaN(time) &&
    new Date(time).toISOString() === text
  );
});
const cursorPayload = z.tuple([cursorTimestamp, z.string().regex(uuidPattern)]);

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const invalid = AppError.validation(
    [{ path: 'cursor', message: 'is not a cursor this API issued' }],
    'The cursor is invalid.',
  );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = cursorPayload.safeParse(decoded);
  if (!parsed.success) throw invalid;
  const [createdAt, id] = parsed.data;
  return { createdAt, id };
}

/** Default lifetime of an Idempotency-Key: a day, like the retry windows of common HTTP clients and queues. */
export const DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS = 86_400;
/** Expired keys are deleted at most this often per process, a bounded batch at a time. */
const PURGE_INTERVAL_MS = 60_000;
const PURGE_BATCH = 500;

/** The fingerprint of a create: the validated fields in a fixed order, so key order and defaults do not matter. */
export function requestHash(input: NewTask): string {
  const canonical = [input.title, input.description, input.status, input.priority, input.dueDate];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { repository } = deps;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const ttlSeconds = deps.idempotencyKeyTtlSeconds ?? DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS;
  let lastPurge = 0;

  const newRecord = (input: NewTask): TaskRecord => {
    const timestamp = now().toISOString();
    return { ...input, id: newId(), version: 1, createdAt: timestamp, updatedAt: timestamp };
  };

  /** Housekeeping after a keyed create; a failure here must never fail the request that triggered it. */
  const purgeExpiredKeys = async (log?: Logger) => {
    if (Date.now() - lastPurge < PURGE_INTERVAL_MS) return;
    lastPurge = Date.now();
    try {
      const purged = await repository.purgeExpiredKeys(PURGE_BATCH);
      if (purged > 0) log?.info({ purged }, 'expired idempotency keys deleted');
    } catch (error) {
      log?.warn({ err: error }, 'could not delete expired idempotency keys; will retry later');
    }
  };

  const get = async (id: string) => {
    const task = await repository.findById(id);
    if (!task) throw AppError.notFound(`Task ${id}`);
    return task;
  };

  return {
    async list({ status, q, limit, cursor }) {
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      // One extra row tells whether another page exists without a COUNT.
      const rows = await repository.list({ status, q, limit: limit + 1, after });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },
    get,
    async create(input, log) {
      const task = await repository.insert(newRecord(input));
      deps.onTaskCreated?.();
      log?.info({ taskId: task.id }, 'task created');
      return task;
    },
    async createOnce(input, idempotencyKey, log) {
      const hash = requestHash(input);
      const result = await repository.insertOnce(newRecord(input), {
        key: idempotencyKey,
        requestHash: hash,
        ttlSeconds,
      });
      if (result.kind === 'existing') {
        if (result.requestHash !== hash) {
          throw new AppError(
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was already used with a different request body; send a new key for a new task.',
            422,
          );
        }
        log?.info({ taskId: result.task.id }, 'task create replayed for its Idempotency-Key');
        return { task: result.task, replayed: true };
      }
      deps.onTaskCreated?.();
      log?.info({ taskId: result.task.id }, 'task created');
      await purgeExpiredKeys(log);
      return { task: result.task, replayed: false };
    },
    async update(id, version, changes, log) {
      const updated = await repository.updateIfVersion(id, version, changes, now());
      if (updated) {
        log?.info({ taskId: id, version: updated.version }, 'task updated');
        return updated;
      }
      const current = await get(id);
      log?.info(
        { taskId: id, expectedVersion: version, currentVersion: current.version },
        'task update conflict',
      );
      throw new AppError(
        'VERSION_CONFLICT',
        `Task ${id} is at version ${current.version}, not ${version}; re-read it and apply your change again.`,
        409,
        { current },
      );
    },
    async remove(id, log) {
      if (!(await repository.delete(id))) throw AppError.notFound(`Task ${id}`);
      log?.info({ taskId: id }, 'task deleted');
    },
    async stats() {
      const byStatus = await repository.countByStatus();
      return { total: byStatus.todo + byStatus.in_progress + byStatus.done, byStatus };
    },
  };
}
