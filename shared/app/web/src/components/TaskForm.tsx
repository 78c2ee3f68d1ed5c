import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import {
  TASK_PRIORITIES,
  TASK_STATUSES,
  type NewTask,
  type Task,
  type TaskChanges,
  type TaskPriority,
  type TaskStatus,
} from '../api/client';
import { PRIORITY_LABELS, STATUS_LABELS } from './format';

/** What the form edits: strings only, as inputs hold them. An empty due date means "no due date". */
export interface TaskDraft {
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  dueDate: string;
}

export type DraftField = keyof TaskDraft;

export const FIELD_LABELS: Record<DraftField, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  priority: 'Priority',
  dueDate: 'Due date',
};

const FIELD_ORDER: DraftField[] = ['title', 'description', 'status', 'priority', 'dueDate'];

export const EMPTY_DRAFT: TaskDraft = {
  title: '',
  description: '',
  status: 'todo',
  priority: 'medium',
  dueDate: '',
};

export function draftFromTask(task: Task): TaskDraft {
  return {
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    dueDate: task.dueDate ?? '',
  };
}

export function draftToNewTask(draft: TaskDraft): NewTask {
  return {
    title: draft.title,
    description: draft.description,
    status: draft.status,
    priority: draft.priority,
    dueDate: draft.dueDate || null,
  };
}

/** Only the fields the user actually changed, so a PATCH never overwrites someone else's edit of another field. */
export function changesFrom(draft: TaskDraft, base: Task): TaskChanges {
  const wanted = draftToNewTask(draft);
  const changes: TaskChanges = {};
  if (wanted.title !== base.title) changes.title = wanted.title;
  if (wanted.description !== base.description) changes.description = wanted.description;
  if (wanted.status !== base.status) changes.status = wanted.status;
  if (wanted.priority !== base.priority) changes.priority = wanted.priority;
  if (wanted.dueDate !== base.dueDate) changes.dueDate = wanted.dueDate;
  return changes;
}

export type FieldErrors = Partial<Record<string, string>>;

interface TaskFormProps {
  value: TaskDraft;
  onChange: (draft: TaskDraft) => void;
  onSubmit: () => void;
  errors: FieldErrors;
  /** Bumped after each failed submit so focus moves to the first invalid field even when the errors are unchanged. */
  errorsShownAt: number;
  busy: boolean;
  submitLabel: string;
  busyLabel: string;
  children?: ReactNode;
}

export function TaskForm({
  value,
  onChange,
  onSubmit,
  errors,
  errorsShownAt,
  busy,
  submitLabel,
  busyLabel,
  children,
}: TaskFormProps) {
  const idPrefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const fieldId = (field: string) => `${idPrefix}-${field}`;
  const errorId = (field: string) => `${idPrefix}-${field}-error`;

  const invalidFields = FIELD_ORDER.filter((field) => errors[field]);
  // Errors for paths the form has no input for (the API may validate the whole body) still need showing.
  const otherErrors = Object.entries(errors).filter(
    ([path, message]) => message && !FIELD_ORDER.includes(path as DraftField),
  );

  useEffect(() => {
    if (errorsShownAt === 0) return;
    const first = invalidFields[0];
    if (first) formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(fieldId(first))}`)?.focus();
    // Deliberately keyed on errorsShownAt only: a new failed submit moves focus, a re-render must not.
  }, [errorsShownAt]);

  const set = <K extends DraftField>(field: K, fieldValue: TaskDraft[K]) =>
    onChange({ ...value, [field]: fieldValue });

  const describedBy = (field: DraftField, hint?: string) =>
    [hint, errors[field] ? errorId(field) : undefined].filter(Boolean).join(' ') || undefined;

  const fieldError = (field: DraftField) =>
    errors[field] ? (
      <p id={errorId(field)} className="field-error">
        {errors[field]}
      </p>
    ) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };

  const errorCount = invalidFields.length + otherErrors.length;

  return (
    <form ref={formRef} className="task-form" onSubmit={submit} noValidate aria-busy={busy}>
      <div role="alert" aria-live="assertive">
        {errorCount > 0 && (
          <div className="callout callout-error">
            <h2 className="callout-title">
              {errorCount === 1
                ? 'There is a problem with this task'
                : `There are ${errorCount} problems with this task`}
            </h2>
            <ul>
              {invalidFields.map((field) => (
                <li key={field}>
                  <a href={`#${fieldId(field)}`}>
                    {FIELD_LABELS[field]}: {errors[field]}
                  </a>
                </li>
              ))}
              {otherErrors.map(([path, message]) => (
                <li key={path}>
                  {path ? <code>{path}</code> : 'Request'}: {message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>

      <div className="field">
        <label htmlFor={fieldId('title')}>
          Title <span className="required-mark">(required)</span>
        </label>
        <input
          id={fieldId('title')}
          name="title"
          type="text"
          required
          autoComplete="off"
          value={value.title}
          onChange={(e) => set('title', e.target.value)}
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={describedBy('title')}
        />
        {fieldError('title')}
      </div>

      <div className="field">
        <label htmlFor={fieldId('description')}>Description</label>
        <textarea
          id={fieldId('description')}
          name="description"
          rows={4}
          value={value.description}
          onChange={(e) => set('description', e.target.value)}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={describedBy('description')}
        />
        {fieldError('description')}
      </div>

      <div className="field-row">
        <div className="field">
          <label htmlFor={fieldId('status')}>Status</label>
          <select
            id={fieldId('status')}
            name="status"
            value={value.status}
            onChange={(e) => set('status', e.target.value as TaskStatus)}
            aria-invalid={errors.status ? true : undefined}
            aria-describedby={describedBy('status')}
          >
            {TASK_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
          {fieldError('status')}
        </div>

        <div className="field">
          <label htmlFor={fieldId('priority')}>Priority</label>
          <select
            id={fieldId('priority')}
            name="priority"
            value={value.priority}
            onChange={(e) => set('priority', e.target.value as TaskPriority)}
            aria-invalid={errors.priority ? true : undefined}
            aria-describedby={describedBy('priority')}
          >
            {TASK_PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {PRIORITY_LABELS[priority]}
              </option>
            ))}
          </select>
          {fieldError('priority')}
        </div>

        <div className="field">
          <label htmlFor={fieldId('dueDate')}>Due date</label>
          <input
            id={fieldId('dueDate')}
            name="dueDate"
            type="date"
            value={value.dueDate}
            onChange={(e) => set('dueDate', e.target.value)}
            aria-invalid={errors.dueDate ? true : undefined}
            aria-describedby={describedBy('dueDate', `${fieldId('dueDate')}-hint`)}
          />
          <p id={`${fieldId('dueDate')}-hint`} className="hint">
            Optional. Leave empty for no due date.
          </p>
          {fieldError('dueDate')}
        </div>
      </div>

      <div className="actions">
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to <body> mid-submit. */}
        <button type="submit" className="button button-primary" aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        {children}
      </div>
    </form>
  );
}
