import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** Shows a problem+json error: its title, its `detail`, and any per-field errors. */
export function ErrorState({
  error,
  title,
  onRetry,
  children,
}: {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  const fieldErrors = error.problem.errors ?? [];
  return (
    <div className="callout callout-error" role="alert">
      <h2 className="callout-title">{title ?? error.problem.title}</h2>
      <p>{error.problem.detail ?? error.message}</p>
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      {(onRetry || children) && (
        <div className="actions">
          {onRetry && (
            <button type="button" className="button" onClick={onRetry}>
              Try again
            </button>
          )}
          {children}
        </div>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <h2 className="empty-title">{title}</h2>
      {children}
    </div>
  );
}

/** A polite live region for "saved", "deleted" and similar confirmations. */
export function Notice({ message }: { message: string | undefined }) {
  return (
    <div role="status" aria-live="polite" className={message ? 'callout callout-success' : 'visually-hidden'}>
      {message}
    </div>
  );
}
