'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState, LoadingState } from '@/components/states';
import { useTRPC } from '@/lib/trpc/client';
import type { ClusterDataSources } from '@/server/metrics/types';
import '@/components/panels/panel-styles';

function labelText(labels: Record<string, string | null>): string {
  const parts = Object.entries(labels)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`);
  return parts.length > 0 ? `labels ${parts.join(', ')}` : '';
}

function ClusterSources({ sources }: { sources: ClusterDataSources }): ReactNode {
  return (
    <section className="card panel" data-testid="cluster-sources" aria-label={`Data sources of ${sources.cluster}`}>
      <header className="panel-head">
        <div className="panel-titles">
          <h2>{sources.cluster === 'all' ? 'All series (no clusters configured)' : sources.cluster}</h2>
          <p className="muted small">
            {sources.prometheusUrl} · discovered {new Date(sources.discoveredAtMs).toISOString().slice(11, 19)} UTC,
            from series seen in the last hour
          </p>
        </div>
      </header>
      {sources.error ? <p className="error-text">Discovery failed: {sources.error}</p> : null}
      <h3 className="section-title" style={{ marginTop: 4 }}>
        Figures and their source
      </h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Status</th>
            <th scope="col">Metric used</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {sources.figures.map((f) => (
            <tr key={f.figure}>
              <td>{f.figure}</td>
              <td>
                <span className={`badge ${f.status === 'available' ? 'ok' : 'warn'}`}>{f.status}</span>
              </td>
              <td className="mono wrap break">{f.metric ?? '–'}</td>
              <td className="wrap small muted">{f.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="section-title">Exporters</h3>
      <ul className="family-list">
        {sources.families.map((family) => (
          <li key={family.id} className="family" data-testid="family" data-present={family.present}>
            <div className="family-head">
              <strong>{family.label}</strong>
              <span className={`badge ${family.present ? 'ok' : 'warn'}`}>
                {family.present
                  ? `${family.metrics.length} metrics${family.variant ? ` · ${family.variant}` : ''}`
                  : 'not found'}
              </span>
            </div>
            {family.present ? (
              <>
                <div className="metric-names">
                  {family.metrics.map((m) => (
                    <code key={m}>{m}</code>
                  ))}
                </div>
                <p className="muted small" style={{ margin: '6px 0 0' }}>
                  {labelText(family.labels)}
                </p>
              </>
            ) : (
              <p className="muted small" style={{ margin: '4px 0 0' }}>
                {family.howTo}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DataSourcesClient(): ReactNode {
  const trpc = useTRPC();
  const query = useQuery(trpc.metrics.dataSources.queryOptions());
  if (query.isError)
    return (
      <ErrorState title="Data sources unavailable" message={query.error.message} onRetry={() => void query.refetch()} />
    );
  if (!query.data) return <LoadingState label="Discovering exporters…" />;
  return (
    <div className="page-grid">
      {query.data.map((sources) => (
        <div key={sources.cluster} className="span-12">
          <ClusterSources sources={sources} />
        </div>
      ))}
    </div>
  );
}
