import { screen } from '@testing-library/react';
import { createFakeApi } from './support/fake-api';
import { renderApp } from './support/render-app';

describe('new task page', () => {
  it('shows the field errors of a 400 problem next to their inputs and announces them', async () => {
    const api = createFakeApi();
    const { user } = renderApp('/tasks/new', api);
    const title = await screen.findByLabelText(/^Title/);

    await user.type(title, 'x'.repeat(201));
    await user.click(screen.getByRole('button', { name: 'Create task' }));

    const summary = await screen.findByRole('alert');
    expect(summary).toHaveTextContent('There is a problem with this task');
    expect(summary).toHaveTextContent('Title: must be at most 200 characters');
    expect(title).toHaveAttribute('aria-invalid', 'true');
    expect(title).toHaveAccessibleDescription('must be at most 200 characters');
    expect(title).toHaveFocus();
    expect(api.requestsTo('POST', '/api/tasks')).toHaveLength(1);
    expect(api.tasks).toHaveLength(0);
  });

  it('shows a field error the browser cannot catch, for an empty title after trimming', async () => {
    const { user } = renderApp('/tasks/new');
    const title = await screen.findByLabelText(/^Title/);

    await user.type(title, '   ');
    await user.click(screen.getByRole('button', { name: 'Create task' }));

    expect(await screen.findByText('must not be empty')).toBeInTheDocument();
    expect(title).toHaveAccessibleDescription('must not be empty');
  });

  it('creates the task with every field and opens it', async () => {
    const api = createFakeApi();
    const { user, currentUrl } = renderApp('/tasks/new', api);

    await user.type(await screen.findByLabelText(/^Title/), 'Pin the base image digest');
    await user.type(screen.getByLabelText('Description'), 'Use the digest from the registry');
    await user.selectOptions(screen.getByLabelText('Status'), 'in_progress');
    await user.selectOptions(screen.getByLabelText('Priority'), 'high');
    await user.type(screen.getByLabelText('Due date'), '2026-12-24');
    await user.click(screen.getByRole('button', { name: 'Create task' }));

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Pin the base image digest' }),
    ).toBeInTheDocument();
    expect(api.requestsTo('POST', '/api/tasks')[0]?.body).toEqual({
      title: 'Pin the base image digest',
      description: 'Use the digest from the registry',
      status: 'in_progress',
      priority: 'high',
      dueDate: '2026-12-24',
    });
    expect(currentUrl()).toBe(`/tasks/${api.tasks[0]?.id}`);
    expect(screen.getByRole('status')).toHaveTextContent('Created “Pin the base image digest”.');
  });
});
