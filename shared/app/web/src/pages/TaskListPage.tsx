import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  api,
  isAbort,
  toApiError,
  TASK_STATUSES,
  type ApiError,
  type Task,
  type TaskStatus,
} from '../api/client';
import { PriorityBadge, StatusBadge } from '../components/Badges';
import { EmptyState, ErrorState, Loading, Notice } from '../components/Feedback';
import { formatDate, STATUS_LABELS } from '../components/format';
import { PageHeading } from '../components/PageHeading';

const PAGE_SIZE = 20;

type ListState =
  | { phase: 'loading' }
  | { phase: 'error'; error: ApiError }
  | { phase: 'ready'; items: Task[]; nextCursor: string | null };

function parseStatus(value: string | null): TaskStatus | undefined {
  return TASK_STATUSES.find((status) => status === value);
}

export default function TaskListPage() {
  // Filters live in the URL so a filtered list can be bookmarked, shared and restored with Back.
  const [searchParams, setSearchParams] = useSearchParams();
  const status = parseStatus(searchParams.get('status'));
  const q = searchParams.get('q')?.trim() ?? '';
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;

  const [searchText, setSearchText] = useState(q);
  const [state, setState] = useState<ListState>({ phase: 'loading' });
  const [reloadCount, setReloadCount] = useState(0);
  const [more, setMore] = useState<{ loading: boolean; error?: ApiError }>({ loading: false });

  useEffect(() => setSearchText(q), [q]);

  useEffect(() => {
    const controller = new AbortController();
    setState({ phase: 'loading' });
    setMore({ loading: false });
    api.listTasks({ status, q: q || undefined, limit: PAGE_SIZE }, controller.signal).then(
      (page) => setState({ phase: 'ready', items: page.items, nextCursor: page.nextCursor }),
      (error: unknown) => {
        if (!isAbort(error)) setState({ phase: 'error', error: toApiError(error) });
      },
    );
    return () => controller.abort();
  }, [status, q, reloadCount]);

  const updateFilters = (next: { status?: TaskStatus; q?: string }) => {
    const params = new URLSearchParams();
    if (next.status) params.set('status', next.status);
    if (next.q) params.set('q', next.q);
    setSearchParams(params);
  };

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    updateFilters({ status, q: searchText.trim() });
  };

  const loadMore = async () => {
    if (state.phase !== 'ready' || !state.nextCursor || more.loading) return;
    setMore({ loading: true });
    try {
      const page = await api.listTasks({
        status,
        q: q || undefined,
        limit: PAGE_SIZE,
        cursor: state.nextCursor,
      });
      setState({ phase: 'ready', items: [...state.items, ...page.items], nextCursor: page.nextCursor });
      setMore({ loading: false });
    } catch (error) {
      setMore({ loading: false, error: toApiError(error) });
    }
  };

  const filtered = Boolean(status || q);

  return (
    <section>
      <div className="page-header">
        <PageHeading title="Tasks" />
        <Link to="/tasks/new" className="button button-primary">
          New task
        </Link>
      </div>
      <Notice message={notice} />

      <form role="search" className="filters" onSubmit={onSearch} aria-label="Filter tasks">
        <div className="field field-grow">
          <label htmlFor="task-search">Search</label>
          <input
            id="task-search"
            type="search"
            name="q"
            placeholder="Title or description"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="task-status-filter">Status</label>
          <select
            id="task-status-filter"
            name="status"
            value={status ?? ''}
            onChange={(e) => updateFilters({ status: parseStatus(e.target.value), q })}
          >
            <option value="">All statuses</option>
            {TASK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="filters-actions">
          <button type="submit" className="button">
            Search
          </button>
          {filtered && (
            <Link to="/" className="button button-quiet">
              Clear filters
            </Link>
          )}
        </div>
      </form>

      {state.phase === 'loading' && <Loading label="Loading tasks…" />}

      {state.phase === 'error' && (
        <ErrorState
          error={state.error}
          title="Could not load tasks"
          onRetry={() => setReloadCount((n) => n + 1)}
        />
      )}

      {state.phase === 'ready' && state.items.length === 0 && (
        <EmptyState title={filtered ? 'No tasks match these filters' : 'No tasks yet'}>
          {filtered ? (
            <p>
              Try another search or status, or <Link to="/">show all tasks</Link>.
            </p>
          ) : (
            <p>
              Create your first task to get started. <Link to="/tasks/new">Create a task</Link>
            </p>
          )}
        </EmptyState>
      )}

      {state.phase === 'ready' && state.items.length > 0 && (
        <>
          <p className="list-summary" aria-live="polite">
            Showing {state.items.length} {state.items.length === 1 ? 'task' : 'tasks'}
            {state.nextCursor ? ' (more available)' : ''}
          </p>
          <ul className="task-list" aria-label="Tasks">
            {state.items.map((task) => (
              <li key={task.id} className="task-card">
                <div className="task-card-main">
                  <Link to={`/tasks/${task.id}`} className="task-card-title">
                    {task.title}
                  </Link>
                  {task.description && <p className="task-card-description">{task.description}</p>}
                </div>
                <div className="task-card-meta">
                  <StatusBadge status={task.status} />
                  <PriorityBadge priority={task.priority} />
                  {task.dueDate && (
                    <span className="due">
                      Due <time dateTime={task.dueDate}>{formatDate(task.dueDate)}</time>
                    </span>
                  )}
                </div>
              </li>
            ))}
          </ul>
          {more.error && (
            <ErrorState
              error={more.error}
              title="Could not load more tasks"
              onRetry={() => void loadMore()}
            />
          )}
          {state.nextCursor && !more.error && (
            <div className="actions actions-center">
              <button
                type="button"
                className="button"
                onClick={() => void loadMore()}
                aria-disabled={more.loading}
              >
                {more.loading ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
