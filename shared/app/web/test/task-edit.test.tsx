import { screen, within } from '@testing-library/react';
import { createFakeApi, problem } from './support/fake-api';
import { renderApp } from './support/render-app';

describe('task detail page', () => {
  it('saves only the changed fields, with the version it read', async () => {
    const api = createFakeApi();
    const task = api.addTask({ title: 'Add liveness probe', priority: 'low' });
    const { user } = renderApp(`/tasks/${task.id}`, api);

    await user.selectOptions(await screen.findByLabelText('Priority'), 'high');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Saved. This task is now at version 2.')).toBeInTheDocument();
    expect(api.requestsTo('PATCH', `/api/tasks/${task.id}`)[0]?.body).toEqual({
      version: 1,
      priority: 'high',
    });
  });

  it('on 409 shows the newer server version beside the change, and reapplying sends the newer version', async () => {
    const api = createFakeApi();
    const task = api.addTask({ title: 'Rotate the database password', status: 'todo', priority: 'medium' });
    const { user } = renderApp(`/tasks/${task.id}`, api);
    await user.selectOptions(await screen.findByLabelText('Priority'), 'high');
    // Meanwhile a teammate renames the task and starts it: version 1 becomes version 2.
    api.editBehindTheScenes(task.id, {
      title: 'Rotate the DB password via Key Vault',
      status: 'in_progress',
    });

    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    const conflict = await screen.findByRole('region', { name: 'Someone else saved this task first' });
    const rows = within(conflict).getAllByRole('row');
    const cells = (field: string) =>
      within(rows.find((row) => within(row).queryByRole('rowheader', { name: field }))!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    expect(within(conflict).getByRole('columnheader', { name: 'Latest version (2)' })).toBeInTheDocument();
    expect(cells('Priority')).toEqual(['High', 'Medium']);
    expect(cells('Title')).toEqual(['unchanged', 'Rotate the DB password via Key Vault']);
    expect(cells('Status')).toEqual(['unchanged', 'In progress']);
    expect(api.tasks[0]?.priority).toBe('medium');

    await user.click(within(conflict).getByRole('button', { name: 'Reapply my changes to version 2' }));

    expect(await screen.findByText('Saved. This task is now at version 3.')).toBeInTheDocument();
    const patches = api.requestsTo('PATCH', `/api/tasks/${task.id}`);
    expect(patches.map((p) => p.body)).toEqual([
      { version: 1, priority: 'high' },
      { version: 2, priority: 'high' },
    ]);
    expect(api.tasks[0]).toMatchObject({
      title: 'Rotate the DB password via Key Vault',
      status: 'in_progress',
      priority: 'high',
      version: 3,
    });
    expect(
      screen.queryByRole('region', { name: 'Someone else saved this task first' }),
    ).not.toBeInTheDocument();
    expect(screen.getByLabelText(/^Title/)).toHaveValue('Rotate the DB password via Key Vault');
  });

  it('discarding after a 409 loads the server version into the form without saving', async () => {
    const api = createFakeApi();
    const task = api.addTask({ title: 'Old title' });
    const { user } = renderApp(`/tasks/${task.id}`, api);
    const title = await screen.findByLabelText(/^Title/);
    await user.clear(title);
    await user.type(title, 'My title');
    api.editBehindTheScenes(task.id, { title: 'Their title' });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await user.click(await screen.findByRole('button', { name: 'Discard my changes' }));

    expect(title).toHaveValue('Their title');
    expect(api.requestsTo('PATCH', `/api/tasks/${task.id}`)).toHaveLength(1);
  });

  it('shows a not-found state for a task that does not exist', async () => {
    renderApp('/tasks/00000000-0000-4000-8000-999999999999');

    expect(await screen.findByRole('heading', { level: 1, name: 'Task not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the task list' })).toHaveAttribute('href', '/');
  });

  it('shows the problem detail when the task cannot be loaded', async () => {
    const api = createFakeApi();
    const task = api.addTask({ title: 'Unreachable' });
    api.override(() => problem(500, 'An unexpected error occurred.'));
    renderApp(`/tasks/${task.id}`, api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the task');
    expect(alert).toHaveTextContent('An unexpected error occurred.');
  });
});
