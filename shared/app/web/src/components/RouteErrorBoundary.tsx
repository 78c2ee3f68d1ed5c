import { Component, type ReactNode } from 'react';

interface State {
  error?: Error;
}

/**
 * Last resort for render errors and failed page-chunk downloads (for example after a deploy replaced the old
 * hashed chunks while this tab was open). Keyed by location in the layout, so navigating away resets it.
 */
export class RouteErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = {};

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="callout callout-error" role="alert">
        <title>Something went wrong · Taskboard</title>
        <h1 className="callout-title">Something went wrong</h1>
        <p>{this.state.error.message}</p>
        <div className="actions">
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      </div>
    );
  }
}
