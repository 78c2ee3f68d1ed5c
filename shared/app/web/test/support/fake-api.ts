// An in-memory implementation of the API contract (docs: the README of shared/app/api), installed as `fetch`.
// The components under test use the real client module; only the network boundary is replaced.
import type { ApiInfo, Problem, Task, TaskPriority, TaskStatus } from '../../src/api/client';

const STATUSES: TaskStatus[] = ['todo', 'in_progress', 'done'];
const PRIORITIES: TaskPriority[] = ['low', 'medium', 'high'];

export interface RecordedRequest {
  method: string;
  url: URL;
  body: unknown;
}

type Override = (request: RecordedRequest) => Response | undefined;

let idCounter = 0;
function nextId(): string {
  idCounter += 1;
  return `00000000-0000-4000-8000-${String(idCounter).padStart(12, '0')}`;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Response {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    409: 'Conflict',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return new Response(
    JSON.stringify({
      type: 'about:blank',
      title: titles[status] ?? 'Error',
      status,
      detail,
      code: 'TEST',
      ...extra,
    }),
    { status, headers: { 'Content-Type': 'application/problem+json' } },
  );
}

function validationProblem(errors: { path: string; message: string }[]): Response {
  return problem(
    400,
    `The request body is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
    {
      code: 'VALIDATION_FAILED',
      errors,
    },
  );
}

/** The same field rules as the API's zod schema (title 1..200 after trim, enums, YYYY-MM-DD or null). */
function validateFields(body: Record<string, unknown>, requireTitle: boolean) {
  const errors: { path: string; message: string }[] = [];
  if (requireTitle || 'title' in body) {
    const title = typeof body.title === 'string' ? body.title.trim() : undefined;
    if (title === undefined) errors.push({ path: 'title', message: 'must be a string' });
    else if (title.length === 0) errors.push({ path: 'title', message: 'must not be empty' });
    else if (title.length > 200) errors.push({ path: 'title', message: 'must be at most 200 characters' });
  }
  if ('status' in body && !STATUSES.includes(body.status as TaskStatus)) {
    errors.push({ path: 'status', message: `must be one of ${STATUSES.join(', ')}` });
  }
  if ('priority' in body && !PRIORITIES.includes(body.priority as TaskPriority)) {
    errors.push({ path: 'priority', message: `must be one of ${PRIORITIES.join(', ')}` });
  }
  if ('dueDate' in body && body.dueDate !== null) {
    const ok = typeof body.dueDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.dueDate);
    if (!ok) errors.push({ path: 'dueDate', message: 'must be a date as YYYY-MM-DD' });
  }
  return errors;
}

export interface FakeApi {
  /** Tasks, newest first, as the server holds them. */
  readonly tasks: Task[];
  readonly requests: RecordedRequest[];
  info: ApiInfo;
  fetch: typeof fetch;
  addTask(fields: Partial<Task> & { title: string }): Task;
  /** Another user's edit: changes the stored task and bumps its version, as a concurrent PATCH would. */
  editBehindTheScenes(id: string, changes: Partial<Task>): Task;
  /** Answer the next matching requests with `respond` instead of the contract behaviour. */
  override(respond: Override): void;
  requestsTo(method: string, pathname: string): RecordedRequest[];
}

export function createFakeApi(): FakeApi {
  const tasks: Task[] = [];
  const requests: RecordedRequest[] = [];
  const overrides: Override[] = [];
  let clock = Date.parse('2026-11-01T09:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString();

  const addTask: FakeApi['addTask'] = (fields) => {
    const createdAt = now();
    const task: Task = {
      id: nextId(),
      description: '',
      status: 'todo',
      priority: 'medium',
      dueDate: null,
      version: 1,
      createdAt,
      updatedAt: createdAt,
      ...fields,
    };
    tasks.unshift(task);
    return task;
  };

  const find = (id: string) => tasks.find((task) => task.id === id);

  const handle = (request: RecordedRequest): Response => {
    for (const respond of overrides) {
      const response = respond(request);
      if (response) return response;
    }
    const { method, url } = request;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const taskMatch = /^\/api\/tasks\/([^/]+)$/.exec(url.pathname);

    if (method === 'GET' && url.pathname === '/api/tasks') {
      const status = url.searchParams.get('status');
      const q = url.searchParams.get('q')?.toLowerCase();
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const offset = url.searchParams.has('cursor') ? Number(atob(url.searchParams.get('cursor') ?? '')) : 0;
      const matching = tasks.filter(
        (task) =>
          (!status || task.status === status) &&
          (!q || task.title.toLowerCase().includes(q) || task.description.toLowerCase().includes(q)),
      );
      const items = matching.slice(offset, offset + limit);
      const nextCursor = offset + limit < matching.length ? btoa(String(offset + limit)) : null;
      return json(200, { items, nextCursor });
    }
    if (method === 'POST' && url.pathname === '/api/tasks') {
      const errors = validateFields(body, true);
      if (errors.length) return validationProblem(errors);
      const task = addTask({
        title: String(body.title).trim(),
        description: (body.description as string | undefined) ?? '',
        status: (body.status as TaskStatus | undefined) ?? 'todo',
        priority: (body.priority as TaskPriority | undefined) ?? 'medium',
        dueDate: (body.dueDate as string | null | undefined) ?? null,
      });
      return json(201, task, { Location: `/api/tasks/${task.id}` });
    }
    if (taskMatch) {
      const task = find(decodeURIComponent(taskMatch[1] ?? ''));
      if (!task) return problem(404, 'Task was not found.', { code: 'NOT_FOUND' });
      if (method === 'GET') return json(200, task);
      if (method === 'DELETE') {
        tasks.splice(tasks.indexOf(task), 1);
        return new Response(null, { status: 204 });
      }
      if (method === 'PATCH') {
        const { version, ...changes } = body;
        const errors = validateFields(changes, false);
        if (typeof version !== 'number')
          errors.push({ path: 'version', message: 'must be the integer version you read' });
        if (errors.length) return validationProblem(errors);
        if (version !== task.version) {
          return problem(
            409,
            `Task was changed by someone else: you sent version ${version}, it is now ${task.version}.`,
            {
              code: 'VERSION_CONFLICT',
              current: { ...task },
            },
          );
        }
        Object.assign(task, changes, { version: task.version + 1, updatedAt: now() });
        if (typeof changes.title === 'string') task.title = changes.title.trim();
        return json(200, task);
      }
    }
    if (method === 'GET' && url.pathname === '/api/info') return json(200, api.info);
    return problem(404, `No route ${method} ${url.pathname}.`, { code: 'NOT_FOUND' });
  };

  const api: FakeApi = {
    tasks,
    requests,
    info: {
      name: 'taskboard-api',
      version: '0.1.0',
      commit: '0123456789abcdef0123456789abcdef01234567',
      hostname: 'taskboard-api-7d9f8-x2k4q',
      uptimeSeconds: 93_784,
      node: 'v24.21.0',
      database: { kind: 'postgres', status: 'up' },
      ready: true,
    },
    addTask,
    editBehindTheScenes(id, changes) {
      const task = find(id);
      if (!task) throw new Error(`fake API has no task ${id}`);
      Object.assign(task, changes, { version: task.version + 1, updatedAt: now() });
      return { ...task };
    },
    override(respond) {
      overrides.push(respond);
    },
    requestsTo(method, pathname) {
      return requests.filter((r) => r.method === method && r.url.pathname === pathname);
    },
    fetch: async (input, init) => {
      const signal = init?.signal;
      if (signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
      const url = new URL(String(input), 'http://taskboard.test');
      if (url.origin !== 'http://taskboard.test')
        throw new Error(`the web app must call the API by relative URL, got ${input}`);
      const method = (init?.method ?? 'GET').toUpperCase();
      const text = typeof init?.body === 'string' ? init.body : undefined;
      const recorded: RecordedRequest = {
        method,
        url,
        body: text === undefined ? undefined : JSON.parse(text),
      };
      requests.push(recorded);
      return handle(recorded);
    },
  };
  return api;
}
