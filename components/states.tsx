import type { ReactNode } from 'react';

export function LoadingState({ label = 'Loading…' }: { label?: string }): ReactNode {
  return (
    <div className="state state-loading" role="status" aria-busy="true" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="state state-empty" role="status">
      <strong>{title}</strong>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

/** What failed, where, and what to do; `onRetry` adds a retry button. */
export function ErrorState({
  title,
  message,
  where,
  action,
  onRetry,
}: {
  title: string;
  message: string;
  where?: string;
  action?: string;
  onRetry?: () => void;
}): ReactNode {
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {where ? <p className="muted">Where: {where}</p> : null}
      {action ? <p>{action}</p> : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** A page or panel whose feature has not been built yet: says so plainly, shows no figures. */
export function NotAvailableYet({ feature, plannedIn }: { feature: string; plannedIn: string }): ReactNode {
  return (
    <div className="state state-unavailable" role="status" data-testid="not-available">
      <strong>{feature}: not available yet</strong>
      <p className="muted">This view is planned in {plannedIn}. Burnrate shows no placeholder figures.</p>
    </div>
  );
}
