'use client';

import type { ReactNode } from 'react';
import { PanelEmpty, StaleBadge } from '@/components/panels/panel-states';
import { formatAge } from '@/lib/format';
import type { AlertsResponse } from '@/server/metrics/types';

/** Alerts firing now, newest first, from Prometheus's /api/v1/alerts. */
export function AlertsPanel({ data, nowMs }: { data: AlertsResponse | undefined; nowMs: number }): ReactNode {
  let body: ReactNode;
  if (!data) body = <PanelEmpty>Loading alerts…</PanelEmpty>;
  else if (data.status === 'unavailable') body = <PanelEmpty>Prometheus did not answer: {data.error}</PanelEmpty>;
  else if (data.alerts.length === 0) body = <PanelEmpty>Nothing is firing.</PanelEmpty>;
  else {
    body = (
      <ul className="alert-list" data-testid="alert-list">
        {data.alerts.slice(0, 8).map((a, i) => (
          <li key={`${a.name}-${a.cluster}-${i}`}>
            <span className={`badge ${a.severity === 'critical' ? 'bad' : 'warn'}`}>{a.severity ?? 'alert'}</span>
            <span>
              <strong>{a.name}</strong>
              {a.cluster ? <span className="muted"> · {a.cluster}</span> : null}
              {a.summary ? (
                <span className="muted small">
                  <br />
                  {a.summary}
                </span>
              ) : null}
            </span>
            {/* The page's HTML carries the alerts (server prefetch); their age moves on in the browser. */}
            <span className="muted small" style={{ marginLeft: 'auto', whiteSpace: 'nowrap' }} suppressHydrationWarning>
              {a.activeAtMs ? formatAge(a.activeAtMs, nowMs) : ''}
            </span>
          </li>
        ))}
        {data.alerts.length > 8 ? <li className="muted small">and {data.alerts.length - 8} more</li> : null}
      </ul>
    );
  }
  return (
    <section className="card panel" aria-label="Firing alerts" data-testid="panel-alerts">
      <header className="panel-head">
        <div className="panel-titles">
          <h2>Firing alerts</h2>
          <p className="muted small">Evaluated by Prometheus; routed through Alertmanager</p>
        </div>
      </header>
      {data?.status === 'ok' && data.stale ? <StaleBadge stale={data.stale} /> : null}
      <div className="panel-body">{body}</div>
      <footer className="panel-foot">
        {data?.status === 'ok' ? (
          <a className="small muted" href={data.graphUrl} target="_blank" rel="noreferrer">
            ALERTS in Prometheus
          </a>
        ) : null}
      </footer>
    </section>
  );
}
