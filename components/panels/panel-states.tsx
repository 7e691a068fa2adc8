'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { formatAge, formatClock } from '@/lib/format';
import type { MissingExporter, StaleInfo } from '@/server/metrics/types';

/** "stale since 16:02:11 (3 min ago)" with the error, on any panel drawing old data. */
export function StaleBadge({ stale }: { stale: StaleInfo }): ReactNode {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);
  return (
    // The age is the browser's clock against the server's render: expected to differ at hydration.
    <span
      className="badge warn stale-badge"
      data-testid="stale-badge"
      title={stale.error}
      role="status"
      suppressHydrationWarning
    >
      stale since {formatClock(stale.sinceMs)} UTC ({formatAge(stale.sinceMs, nowMs)}): {stale.error}
    </span>
  );
}

/** Instead of an empty chart: which metric the panel needs and how to get it. */
export function MissingExporterState({ missing }: { missing: MissingExporter }): ReactNode {
  return (
    <div className="panel-missing" data-testid="missing-exporter" role="status">
      <strong>{missing.description}</strong>
      <p>
        Needs {missing.needed.length > 1 ? 'one of ' : ''}
        {missing.needed.map((name, i) => (
          <span key={name}>
            {i > 0 ? ', ' : ''}
            <code>{name}</code>
          </span>
        ))}
        .
      </p>
      <p className="muted">{missing.howTo}</p>
    </div>
  );
}

export function PanelUnavailableState({ error }: { error: string }): ReactNode {
  return (
    <div className="panel-unavailable" data-testid="panel-unavailable" role="status">
      <strong>No data: Prometheus did not answer</strong>
      <p className="muted">{error}</p>
      <p className="muted">Retrying every few seconds; the panel fills in once it answers.</p>
    </div>
  );
}

/** The server refused the question (a bad time range): say what is wrong; asking again will not help. */
export function InvalidRequestState({ error }: { error: string }): ReactNode {
  return (
    <div className="panel-invalid" data-testid="panel-invalid" role="alert">
      <strong>Cannot show this: the request is invalid</strong>
      <p>{error}</p>
      <p className="muted">Change the time range or the cluster at the top of the page.</p>
    </div>
  );
}

export function PanelLoading(): ReactNode {
  return (
    <div className="panel-loading" role="status" aria-busy="true">
      <span className="spinner" aria-hidden="true" /> Loading…
    </div>
  );
}

export function PanelEmpty({ children }: { children: ReactNode }): ReactNode {
  return (
    <div className="panel-empty" role="status" data-testid="panel-empty">
      {children}
    </div>
  );
}
