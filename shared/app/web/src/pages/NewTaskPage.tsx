import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, toApiError, type ApiError } from '../api/client';
import { ErrorState } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import {
  draftToNewTask,
  EMPTY_DRAFT,
  TaskForm,
  type FieldErrors,
  type TaskDraft,
} from '../components/TaskForm';

export default function NewTaskPage() {
  const navigate = useNavigate();
  const [draft, setDraft] = useState<TaskDraft>(EMPTY_DRAFT);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [errorsShownAt, setErrorsShownAt] = useState(0);
  const [failure, setFailure] = useState<ApiError>();

  const create = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const task = await api.createTask(draftToNewTask(draft));
      navigate(`/tasks/${task.id}`, { state: { notice: `Created “${task.title}”.` } });
    } catch (error) {
      const apiError = toApiError(error);
      const errors = apiError.fieldErrors();
      if (Object.keys(errors).length > 0) {
        setFieldErrors(errors);
        setErrorsShownAt((n) => n + 1);
      } else {
        setFieldErrors({});
        setFailure(apiError);
      }
      setBusy(false);
    }
  };

  return (
    <section className="panel narrow">
      <PageHeading title="New task" />
      {failure && <ErrorState error={failure} title="Could not create the task" />}
      <TaskForm
        value={draft}
        onChange={setDraft}
        onSubmit={() => void create()}
        errors={fieldErrors}
        errorsShownAt={errorsShownAt}
        busy={busy}
        submitLabel="Create task"
        busyLabel="Creating…"
      >
        <Link to="/" className="button button-quiet">
          Cancel
        </Link>
      </TaskForm>
    </section>
  );
}
