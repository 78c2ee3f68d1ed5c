// Task use cases: ids, timestamps, cursors, optimistic concurrency. No HTTP, no SQL.
import { randomUUID } from 'node:crypto';
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
  /** Called once per created task (the tasks_created_total counter). */
  onTaskCreated?: () => void;
  now?: () => Date;
  newId?: () => string;
}

export interface TaskService {
  list(input: ListTasksInput): Promise<TaskPage>;
  get(id: string): Promise<TaskRecord>;
  create(input: NewTask, log?: Logger): Promise<TaskRecord>;
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

export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { repository } = deps;
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;

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
      const timestamp = now().toISOString();
      const task = await repository.insert({
        ...input,
        id: newId(),
        version: 1,
        createdAt: timestamp,
        updatedAt: timestamp,
      });
      deps.onTaskCreated?.();
      log?.info({ taskId: task.id }, 'task created');
      return task;
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
