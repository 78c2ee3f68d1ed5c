import { screen, within } from '@testing-library/react';
import { createFakeApi } from './support/fake-api';
import { renderApp } from './support/render-app';

describe('deleting a task', () => {
  it('asks for confirmation, and Cancel deletes nothing', async () => {
    const api = createFakeApi();
    const task = api.addTask({ title: 'Keep me' });
    const { user } = renderApp(`/tasks/${task.id}`, api);
    const deleteButton = await screen.findByRole('button', { name: 'Delete task' });

    await user.click(deleteButton);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this task?' });
    expect(dialog).toHaveAccessibleDescription(/“Keep me” will be deleted permanently/);
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(deleteButton).toHaveFocus();
    expect(api.requestsTo('DELETE', `/api/tasks/${task.id}`)).toHaveLength(0);
    expect(api.tasks).toHaveLength(1);
  });

  it('Escape closes the confirmation without deleting', async () => {
    const api = createFakeApi();
    const task = api.addTask({ title: 'Keep me too' });
    const { user } = renderApp(`/tasks/${task.id}`, api);
    await user.click(await screen.findByRole('button', { name: 'Delete task' }));

    await user.keyboard('{Escape}');

    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.tasks).toHaveLength(1);
  });

  it('deletes after confirmation and returns to the list, which no longer shows it', async () => {
    const api = createFakeApi();
    api.addTask({ title: 'Stays' });
    const task = api.addTask({ title: 'Goes away' });
    const { user, currentUrl } = renderApp(`/tasks/${task.id}`, api);
    await user.click(await screen.findByRole('button', { name: 'Delete task' }));

    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete task' }));

    expect(await screen.findByRole('link', { name: 'Stays' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Goes away' })).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Deleted “Goes away”.');
    expect(api.requestsTo('DELETE', `/api/tasks/${task.id}`)).toHaveLength(1);
    expect(currentUrl()).toBe('/');
  });
});
