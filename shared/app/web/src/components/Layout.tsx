import { Suspense } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { Loading } from './Feedback';
import { RouteErrorBoundary } from './RouteErrorBoundary';

export function Layout() {
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <NavLink to="/" className="brand" end>
            <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="7" />
              <path d="M9 16.5l4.5 4.5L23 11" />
            </svg>
            Taskboard
          </NavLink>
          <nav aria-label="Main">
            <ul className="nav-list">
              <li>
                <NavLink to="/" end>
                  Tasks
                </NavLink>
              </li>
              <li>
                <NavLink to="/tasks/new">New task</NavLink>
              </li>
              <li>
                <NavLink to="/system">System</NavLink>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" className="container main">
        {/* Keyed by path: an error on one page must not stick after navigating to another. */}
        <RouteErrorBoundary key={pathname}>
          <Suspense fallback={<Loading label="Loading page…" />}>
            <Outlet />
          </Suspense>
        </RouteErrorBoundary>
      </main>
      <footer className="site-footer">
        <div className="container">Taskboard · Full-Chain DevOps in 7 Days</div>
      </footer>
    </>
  );
}
