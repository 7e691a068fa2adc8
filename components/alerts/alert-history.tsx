'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { refreshIntervalMs } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc/client';
import { ALL_CLUSTERS, useDashboardParams } from '@/lib/url-state';

function utc(value: Date | null): string {
  return value ? `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—';
}

/** Alert episodes as Alertmanager delivered them to Burnrate's webhook, newest first. */
export function AlertHistory(): ReactNode {
  const trpc = useTRPC();
  const { cluster, refresh } = useDashboardParams();
  const history = useQuery({
    ...trpc.alerts.history.queryOptions({ limit: 200, cluster: cluster === ALL_CLUSTERS ? undefined : cluster }),
    refetchInterval: refreshIntervalMs(refresh),
    placeholderData: (previous) => previous,
  });

  if (history.isPending) return <LoadingState label="Loading alert history…" />;
  if (history.isError) {
    return (
      <ErrorState
        title="Alert history unavailable"
        message={history.error.message}
        where="Burnrate database"
        onRetry={() => void history.refetch()}
      />
    );
  }
  if (history.data.length === 0) {
    return (
      <EmptyState title="No alert notifications received yet">
        <p className="muted">
          Alertmanager posts alerts to <code>POST /api/alerts/webhook</code> (webhook receiver, payload version 4). In
          the demo, <code>npm run demo -- --scenario spike</code> makes alerts fire within a few minutes.
        </p>
      </EmptyState>
    );
  }
  return (
    <section className="card" aria-labelledby="alert-history-title">
      <h2 id="alert-history-title">Notifications received</h2>
      <table className="table" data-testid="alert-history">
        <thead>
          <tr>
            <th scope="col">Alert</th>
            <th scope="col">Status</th>
            <th scope="col">Severity</th>
            <th scope="col">Cluster</th>
            <th scope="col">Namespace / workload</th>
            <th scope="col">Started</th>
            <th scope="col">Ended</th>
            <th scope="col">Summary</th>
          </tr>
        </thead>
        <tbody>
          {history.data.map((alert) => (
            <tr key={alert.id}>
              <td>{alert.alertname}</td>
              <td>
                <span className={`badge ${alert.status === 'firing' ? 'bad' : 'ok'}`}>{alert.status}</span>
              </td>
              <td>{alert.severity ?? '—'}</td>
              <td>{alert.cluster ?? '—'}</td>
              <td>{[alert.namespace, alert.workload].filter(Boolean).join(' / ') || '—'}</td>
              <td>{utc(alert.startsAt)}</td>
              <td>{utc(alert.endsAt)}</td>
              <td className="muted">{alert.summary ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
