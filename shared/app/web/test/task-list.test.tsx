import { screen, within } from '@testing-library/react';
import { createFakeApi, problem } from './support/fake-api';
import { renderApp } from './support/render-app';

describe('task list page', () => {
  it('renders the tasks the API returns, newest first, with status and priority', async () => {
    const api = createFakeApi();
    api.addTask({ title: 'Write the Dockerfile', status: 'done', priority: 'high' });
    api.addTask({
      title: 'Add a readiness probe',
      description: 'Point it at /readyz',
      status: 'in_progress',
    });

    renderApp('/', api);

    const list = await screen.findByRole('list', { name: 'Tasks' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('link').textContent)).toEqual([
      'Add a readiness probe',
      'Write the Dockerfile',
    ]);
    expect(within(items[0]!).getByText('In progress')).toBeInTheDocument();
    expect(within(items[1]!).getByText('High')).toBeInTheDocument();
    expect(within(items[0]!).getByRole('link')).toHaveAttribute('href', `/tasks/${api.tasks[0]!.id}`);
  });

  it('shows an empty state with a link to create the first task', async () => {
    renderApp('/');

    expect(await screen.findByRole('heading', { name: 'No tasks yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Create a task' })).toHaveAttribute('href', '/tasks/new');
  });

  it('shows the problem detail when the API fails, and retries on request', async () => {
    const api = createFakeApi();
    api.addTask({ title: 'Survives the outage' });
    let outage = true;
    api.override((request) =>
      outage && request.url.pathname === '/api/tasks'
        ? problem(503, 'The database is unavailable; try again shortly.')
        : undefined,
    );
    const { user } = renderApp('/', api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load tasks');
    expect(alert).toHaveTextContent('The database is unavailable; try again shortly.');

    outage = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: 'Survives the outage' })).toBeInTheDocument();
  });

  it('sends the status filter to the API and keeps it in the URL', async () => {
    const api = createFakeApi();
    api.addTask({ title: 'Open task', status: 'todo' });
    api.addTask({ title: 'Finished task', status: 'done' });
    const { user, currentUrl } = renderApp('/', api);
    await screen.findByRole('link', { name: 'Open task' });

    await user.selectOptions(screen.getByLabelText('Status'), 'done');

    expect(await screen.findByRole('link', { name: 'Finished task' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Open task' })).not.toBeInTheDocument();
    expect(api.requestsTo('GET', '/api/tasks').at(-1)?.url.searchParams.get('status')).toBe('done');
    expect(currentUrl()).toBe('/?status=done');
  });

  it('sends the search text as q when the search form is submitted', async () => {
    const api = createFakeApi();
    api.addTask({ title: 'Configure nginx' });
    api.addTask({ title: 'Write Helm chart', description: 'values.schema.json too' });
    const { user, currentUrl } = renderApp('/?status=todo', api);
    await screen.findByRole('link', { name: 'Configure nginx' });

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'helm{Enter}');

    expect(await screen.findByText('Showing 1 task')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Write Helm chart' })).toBeInTheDocument();
    const lastQuery = api.requestsTo('GET', '/api/tasks').at(-1)?.url.searchParams;
    expect(lastQuery?.get('q')).toBe('helm');
    expect(lastQuery?.get('status')).toBe('todo');
    expect(currentUrl()).toBe('/?status=todo&q=helm');
  });

  it('reads filters from a shared link and says when nothing matches', async () => {
    const api = createFakeApi();
    api.addTask({ title: 'Something else' });
    renderApp('/?q=kubernetes', api);

    expect(await screen.findByRole('heading', { name: 'No tasks match these filters' })).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('kubernetes');
    expect(api.requestsTo('GET', '/api/tasks')[0]?.url.searchParams.get('q')).toBe('kubernetes');
  });

  it('loads the next page with the opaque cursor the API returned', async () => {
    const api = createFakeApi();
    for (let n = 1; n <= 25; n += 1) api.addTask({ title: `Task ${n}` });
    const { user } = renderApp('/', api);
    expect(await screen.findByText('Showing 20 tasks (more available)')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByText('Showing 25 tasks')).toBeInTheDocument();
    const [first, second] = api.requestsTo('GET', '/api/tasks');
    expect(first?.url.searchParams.has('cursor')).toBe(false);
    expect(second?.url.searchParams.get('cursor')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Task 1' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });
});
