// The one module that talks to the API. Every URL is relative (`/api/...`), so the same build works behind the
// Vite dev proxy, behind the API serving the SPA itself, and behind nginx or an ingress on any host name.

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export interface Task {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** 'YYYY-MM-DD' or null. */
  dueDate: string | null;
  /** Optimistic-concurrency token: a PATCH must send the version it read. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TaskPage {
  items: Task[];
  nextCursor: string | null;
}

export interface NewTask {
  title: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  dueDate?: string | null;
}

export type TaskChanges = Partial<Pick<Task, 'title' | 'description' | 'status' | 'priority' | 'dueDate'>>;

export interface ListQuery {
  status?: TaskStatus;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface ApiInfo {
  name: string;
  version: string;
  commit: string;
  /** Omitted for clients outside loopback and private networks (the API hides its host from the internet). */
  hostname?: string;
  uptimeSeconds: number;
  /** Omitted like hostname. */
  node?: string;
  database: { kind: 'postgres' | 'pglite'; status: 'up' | 'down' };
  ready: boolean;
}

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details, as the API sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  /** On 409: the task as it is now on the server. */
  current?: Task;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }

  /** Field errors keyed by form field name (`title`, `dueDate`...). */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) byField[error.path] ??= error.message;
    return byField;
  }
}

/** Any thrown value as an ApiError, so every error state renders the same way. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(0, { type: 'about:blank', title: 'Unexpected error', status: 0, detail });
}

export function isAbort(error: unknown): boolean {
  // DOMException is not an Error subclass in every runtime, so test the name alone.
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function normalizePath(path: unknown): string {
  return Array.isArray(path) ? path.join('.') : String(path ?? '');
}

/** Reads a problem+json body; anything else (an nginx 502 page, a proxy timeout) becomes a generic problem. */
function toProblem(response: Response, body: unknown): Problem {
  const fallback: Problem = {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
  };
  if (!body || typeof body !== 'object') return fallback;
  const problem = { ...fallback, ...(body as Partial<Problem>) };
  problem.errors = (problem.errors ?? []).map((e) => ({ path: normalizePath(e.path), message: e.message }));
  return problem;
}

async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, {
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'Could not reach the Taskboard API. Check your connection and try again.',
    });
  }
  const text = response.status === 204 ? '' : await response.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw new ApiError(response.status, toProblem(response, parsed));
  if (text && parsed === undefined) {
    throw new ApiError(response.status, {
      type: 'about:blank',
      title: 'Unexpected response',
      status: response.status,
      detail: `Expected JSON from ${method} ${url} but got something else.`,
    });
  }
  return parsed as T;
}

const taskUrl = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

export const api = {
  listTasks(query: ListQuery, signal?: AbortSignal): Promise<TaskPage> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.q) params.set('q', query.q);
    if (query.limit) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    const search = params.toString();
    return request('GET', `/api/tasks${search ? `?${search}` : ''}`, undefined, signal);
  },
  getTask(id: string, signal?: AbortSignal): Promise<Task> {
    return request('GET', taskUrl(id), undefined, signal);
  },
  createTask(task: NewTask): Promise<Task> {
    return request('POST', '/api/tasks', task);
  },
  updateTask(id: string, version: number, changes: TaskChanges): Promise<Task> {
    return request('PATCH', taskUrl(id), { version, ...changes });
  },
  deleteTask(id: string): Promise<void> {
    return request('DELETE', taskUrl(id));
  },
  getInfo(signal?: AbortSignal): Promise<ApiInfo> {
    return request('GET', '/api/info', undefined, signal);
  },
};
