import { screen, within } from '@testing-library/react';
import { createFakeApi, problem } from './support/fake-api';
import { renderApp } from './support/render-app';

describe('system page', () => {
  it('shows which host answered, the version, commit, uptime, database and readiness', async () => {
    const api = createFakeApi();
    api.info = { ...api.info, hostname: 'api-5c8d-9xk2p', database: { kind: 'pglite', status: 'up' } };
    renderApp('/system', api);

    expect(await screen.findByText('api-5c8d-9xk2p')).toBeInTheDocument();
    const value = (term: string) =>
      screen.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(value('Version')).toBe('0.1.0');
    expect(value('Commit')).toBe('0123456789ab');
    expect(value('Uptime')).toBe('1d 2h 3m 4s');
    expect(value('Database')).toBe('PGlite (embedded) · up');
    expect(value('Readiness')).toBe('Ready');
  });

  it('asks again on Refresh and shows the host that answered that time', async () => {
    const api = createFakeApi();
    api.info = { ...api.info, hostname: 'taskboard-api-first-pod' };
    const { user } = renderApp('/system', api);
    await screen.findByText('taskboard-api-first-pod');
    api.info = {
      ...api.info,
      hostname: 'taskboard-api-other-pod',
      database: { kind: 'postgres', status: 'down' },
    };

    await user.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(await screen.findByText('taskboard-api-other-pod')).toBeInTheDocument();
    expect(screen.getByText('PostgreSQL · down')).toBeInTheDocument();
    expect(api.requestsTo('GET', '/api/info')).toHaveLength(2);
  });

  it('says the host is hidden when the API omits hostname and node for a public client', async () => {
    const api = createFakeApi();
    const { hostname: _hostname, node: _node, ...publicInfo } = api.info;
    api.info = publicInfo;
    renderApp('/system', api);

    expect(await screen.findByText('hidden from public clients')).toBeInTheDocument();
  });

  it('shows the problem detail when the API is unreachable', async () => {
    const api = createFakeApi();
    api.override(() => problem(503, 'The database is unavailable; try again shortly.'));
    renderApp('/system', api);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Could not reach the API' })).toBeInTheDocument();
    expect(alert).toHaveTextContent('The database is unavailable; try again shortly.');
  });
});

describe('unknown routes', () => {
  it('render the 404 page with the path and a way back', async () => {
    renderApp('/no/such/page');

    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByText('/no/such/page')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the task list' })).toHaveAttribute('href', '/');
  });
});
