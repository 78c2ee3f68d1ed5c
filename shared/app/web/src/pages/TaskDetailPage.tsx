import { useEffect, useRef, useState, type RefObject } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, isAbort, toApiError, type ApiError, type Task, type TaskChanges } from '../api/client';
import { StatusBadge } from '../components/Badges';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState, ErrorState, Loading, Notice } from '../components/Feedback';
import { formatDate, formatDateTime, PRIORITY_LABELS, STATUS_LABELS } from '../components/format';
import { PageHeading } from '../components/PageHeading';
import {
  changesFrom,
  draftFromTask,
  FIELD_LABELS,
  TaskForm,
  type DraftField,
  type FieldErrors,
  type TaskDraft,
} from '../components/TaskForm';

type LoadState = { phase: 'loading' } | { phase: 'error'; error: ApiError } | { phase: 'ready'; task: Task };

/** A save the server refused because someone else saved first: what they saved, and what we tried to change. */
interface Conflict {
  server: Task;
  mine: TaskChanges;
}

export default function TaskDetailPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const [state, setState] = useState<LoadState>({ phase: 'loading' });
  const [reloadCount, setReloadCount] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ phase: 'loading' });
    api.getTask(id, controller.signal).then(
      (task) => setState({ phase: 'ready', task }),
      (error: unknown) => {
        if (!isAbort(error)) setState({ phase: 'error', error: toApiError(error) });
      },
    );
    return () => controller.abort();
  }, [id, reloadCount]);

  if (state.phase === 'loading') return <Loading label="Loading task…" />;
  if (state.phase === 'error') {
    // A malformed id in the URL is a 400 from the API; to the reader it is the same dead link as a 404.
    const badId = state.error.status === 400 && state.error.problem.errors?.some((e) => e.path === 'id');
    if (state.error.status === 404 || badId) {
      return (
        <section className="panel narrow">
          <PageHeading title="Task not found" />
          <EmptyState title="This task does not exist">
            <p>It may have been deleted. {state.error.problem.detail}</p>
            <p>
              <Link to="/">Back to the task list</Link>
            </p>
          </EmptyState>
        </section>
      );
    }
    return (
      <section className="panel narrow">
        <PageHeading title="Task" />
        <ErrorState
          error={state.error}
          title="Could not load the task"
          onRetry={() => setReloadCount((n) => n + 1)}
        >
          <Link to="/">Back to the task list</Link>
        </ErrorState>
      </section>
    );
  }
  // Keyed by id so moving to another task starts from a clean form.
  return (
    <TaskEditor
      key={state.task.id}
      initialTask={state.task}
      notice={(location.state as { notice?: string })?.notice}
    />
  );
}

function TaskEditor({ initialTask, notice: initialNotice }: { initialTask: Task; notice?: string }) {
  const navigate = useNavigate();
  const [task, setTask] = useState(initialTask);
  const [draft, setDraft] = useState<TaskDraft>(() => draftFromTask(initialTask));
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [errorsShownAt, setErrorsShownAt] = useState(0);
  const [failure, setFailure] = useState<ApiError>();
  const [notice, setNotice] = useState(initialNotice);
  const [conflict, setConflict] = useState<Conflict>();
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteFailure, setDeleteFailure] = useState<ApiError>();
  const deleteButtonRef = useRef<HTMLButtonElement>(null);
  const conflictHeadingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (conflict) conflictHeadingRef.current?.focus();
  }, [conflict]);

  const save = async (version: number, changes: TaskChanges) => {
    setBusy(true);
    setFailure(undefined);
    setNotice(undefined);
    try {
      const updated = await api.updateTask(task.id, version, changes);
      setTask(updated);
      setDraft(draftFromTask(updated));
      setConflict(undefined);
      setFieldErrors({});
      setNotice(`Saved. This task is now at version ${updated.version}.`);
    } catch (error) {
      const apiError = toApiError(error);
      const errors = apiError.fieldErrors();
      if (apiError.status === 409 && apiError.problem.current) {
        setTask(apiError.problem.current);
        setConflict({ server: apiError.problem.current, mine: changes });
      } else if (Object.keys(errors).length > 0) {
        setFieldErrors(errors);
        setErrorsShownAt((n) => n + 1);
      } else {
        setFailure(apiError);
      }
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = () => {
    const changes = changesFrom(draft, task);
    if (Object.keys(changes).length === 0) {
      setNotice('Nothing to save: no field has changed.');
      return;
    }
    void save(task.version, changes);
  };

  const reapply = (current: Conflict) => {
    // Re-diff against the newer version: a field the other person already set to our value is no longer a change.
    const changes = changesFrom(
      { ...draftFromTask(current.server), ...draftPatch(current.mine) },
      current.server,
    );
    if (Object.keys(changes).length === 0) {
      setDraft(draftFromTask(current.server));
      setConflict(undefined);
      setNotice('The latest version already contains your changes.');
      return;
    }
    void save(current.server.version, changes);
  };

  const discardMine = (current: Conflict) => {
    setDraft(draftFromTask(current.server));
    setConflict(undefined);
    setNotice(`Your changes were discarded. Showing version ${current.server.version}.`);
  };

  const confirmDelete = async () => {
    setDeleting(true);
    setDeleteFailure(undefined);
    try {
      await api.deleteTask(task.id);
      navigate('/', { state: { notice: `Deleted “${task.title}”.` } });
    } catch (error) {
      const apiError = toApiError(error);
      setDeleting(false);
      setConfirmingDelete(false);
      if (apiError.status === 404) {
        navigate('/', { state: { notice: `“${task.title}” was already deleted.` } });
        return;
      }
      setDeleteFailure(apiError);
      deleteButtonRef.current?.focus();
    }
  };

  const cancelDelete = () => {
    setConfirmingDelete(false);
    deleteButtonRef.current?.focus();
  };

  return (
    <section className="detail">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Tasks</Link> <span aria-hidden="true">/</span> <span>Task</span>
      </nav>
      <div className="page-header">
        <PageHeading title={task.title} />
        <StatusBadge status={task.status} />
      </div>
      <p className="meta-line">
        Version {task.version} · created {formatDateTime(task.createdAt)} · updated{' '}
        {formatDateTime(task.updatedAt)}
      </p>
      <Notice message={notice} />

      {conflict && (
        <ConflictPanel
          conflict={conflict}
          headingRef={conflictHeadingRef}
          busy={busy}
          onReapply={() => reapply(conflict)}
          onDiscard={() => discardMine(conflict)}
        />
      )}

      {failure && <ErrorState error={failure} title="Could not save the task" />}

      <div className="panel">
        <h2 className="panel-title">Edit task</h2>
        <TaskForm
          value={draft}
          onChange={setDraft}
          onSubmit={onSubmit}
          errors={fieldErrors}
          errorsShownAt={errorsShownAt}
          busy={busy || Boolean(conflict)}
          submitLabel="Save changes"
          busyLabel={conflict ? 'Resolve the conflict first' : 'Saving…'}
        >
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setDraft(draftFromTask(task));
              setFieldErrors({});
            }}
          >
            Reset
          </button>
        </TaskForm>
      </div>

      <div className="panel panel-danger">
        <h2 className="panel-title">Delete</h2>
        <p>Deleting a task removes it for everyone. This cannot be undone.</p>
        {deleteFailure && <ErrorState error={deleteFailure} title="Could not delete the task" />}
        <button
          ref={deleteButtonRef}
          type="button"
          className="button button-danger"
          onClick={() => setConfirmingDelete(true)}
        >
          Delete task
        </button>
      </div>

      {confirmingDelete && (
        <ConfirmDialog
          title="Delete this task?"
          confirmLabel="Delete task"
          busy={deleting}
          onConfirm={() => void confirmDelete()}
          onCancel={cancelDelete}
        >
          <p>
            “{task.title}” will be deleted permanently. <strong>This cannot be undone.</strong>
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function draftPatch(changes: TaskChanges): Partial<TaskDraft> {
  const patch: Partial<TaskDraft> = {};
  for (const field of Object.keys(changes) as DraftField[]) {
    const value = changes[field];
    if (field === 'dueDate') patch.dueDate = (value as string | null) ?? '';
    else (patch as Record<string, unknown>)[field] = value;
  }
  return patch;
}

function displayValue(field: DraftField, value: unknown): string {
  if (field === 'status') return STATUS_LABELS[value as Task['status']];
  if (field === 'priority') return PRIORITY_LABELS[value as Task['priority']];
  if (field === 'dueDate') return value ? formatDate(String(value)) : 'No due date';
  if (field === 'description') return value ? String(value) : '(empty)';
  return String(value);
}

function ConflictPanel({
  conflict,
  headingRef,
  busy,
  onReapply,
  onDiscard,
}: {
  conflict: Conflict;
  headingRef: RefObject<HTMLHeadingElement | null>;
  busy: boolean;
  onReapply: () => void;
  onDiscard: () => void;
}) {
  const { server, mine } = conflict;
  const changedFields = Object.keys(mine) as DraftField[];
  return (
    <div className="callout callout-warning conflict" role="region" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" ref={headingRef} tabIndex={-1} className="callout-title">
        Someone else saved this task first
      </h2>
      <p role="alert">
        Your changes were not saved. The task is now at version {server.version}. Compare your changes with
        the latest version, then reapply yours on top of it or discard them.
      </p>
      <div className="table-scroll">
        <table className="compare">
          <caption className="visually-hidden">Your changes compared with the latest saved version</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Your change</th>
              <th scope="col">Latest version ({server.version})</th>
            </tr>
          </thead>
          <tbody>
            {(['title', 'description', 'status', 'priority', 'dueDate'] as DraftField[]).map((field) => {
              const changed = changedFields.includes(field);
              return (
                <tr key={field} className={changed ? 'changed' : undefined}>
                  <th scope="row">{FIELD_LABELS[field]}</th>
                  <td>
                    {changed ? displayValue(field, mine[field]) : <span className="muted">unchanged</span>}
                  </td>
                  <td>{displayValue(field, server[field])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => !busy && onReapply()}
          aria-disabled={busy}
        >
          Reapply my changes to version {server.version}
        </button>
        <button type="button" className="button" onClick={onDiscard}>
          Discard my changes
        </button>
      </div>
    </div>
  );
}
