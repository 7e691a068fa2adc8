'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorState, LoadingState } from '@/components/states';
import { formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc/client';

/** Past imports, newest first; refreshes while the watched folder or an upload may add some. */
export function ImportsList(): ReactNode {
  const trpc = useTRPC();
  const list = useQuery(trpc.billing.imports.queryOptions({ limit: 50 }, { refetchInterval: 5000 }));
  if (list.isPending) return <LoadingState label="Loading past imports…" />;
  if (list.error)
    return (
      <ErrorState
        title="Past imports could not be read"
        message={list.error.message}
        onRetry={() => void list.refetch()}
      />
    );
  const { imports, active } = list.data;
  return (
    <div className="stack">
      {active.length > 0 ? (
        <p className="small" role="status">
          Importing now: {active.map((job) => `${job.fileName} (${job.actor})`).join(', ')}
        </p>
      ) : null}
      {imports.length === 0 ? (
        <p className="muted small">No import yet.</p>
      ) : (
        <table className="table" aria-label="Past imports">
          <thead>
            <tr>
              <th>File</th>
              <th>FOCUS</th>
              <th className="num">Rows</th>
              <th>Billed / effective per currency</th>
              <th>Period</th>
              <th>Who</th>
              <th>When (UTC)</th>
              <th className="num">Duration</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((item) => (
              <tr key={item.id} data-file={item.fileName}>
                <td>{item.fileName}</td>
                <td className="small">{item.focusVersion}</td>
                <td className="num">{item.rowCount.toLocaleString('en-US')}</td>
                <td className="small">
                  {Object.entries(item.totals).map(([currency, t]) => (
                    <div key={currency}>
                      {formatMoney(t.billedCost, currency)} / {formatMoney(t.effectiveCost, currency)}
                    </div>
                  ))}
                </td>
                <td className="small">
                  {item.chargePeriodStart
                    ? `${item.chargePeriodStart.toISOString().slice(0, 10)} → ${item.chargePeriodEnd?.toISOString().slice(0, 10) ?? ''}`
                    : ''}
                </td>
                <td>{item.actor}</td>
                <td className="small">{item.importedAt.toISOString().slice(0, 19).replace('T', ' ')}</td>
                <td className="num">{(item.durationMs / 1000).toFixed(1)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
