import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation, type Location } from 'react-router';
import { AppRoutes } from '../../src/App';
import { createFakeApi, type FakeApi } from './fake-api';

function LocationProbe({ onChange }: { onChange: (location: Location) => void }) {
  onChange(useLocation());
  return null;
}

/** Renders the whole app at `path` against a fake API installed as the global fetch. */
export function renderApp(path: string, api: FakeApi = createFakeApi()) {
  globalThis.fetch = api.fetch;
  const current: { location?: Location } = {};
  const user = userEvent.setup();
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes />
      <LocationProbe onChange={(location) => (current.location = location)} />
    </MemoryRouter>,
  );
  return {
    api,
    user,
    ...view,
    /** The router's current path and query string, e.g. `/?status=done`. */
    currentUrl: () => `${current.location?.pathname ?? ''}${current.location?.search ?? ''}`,
  };
}
