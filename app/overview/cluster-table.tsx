'use client';

import type { ReactNode } from 'react';
import { Sparkline } from '@/components/charts/chart-stat';
import { useRangePanel } from '@/components/panels/range-panel';
import { nowValuesOf, useNowPanel } from '@/components/panels/use-now-panel';
import { formatValue } from '@/lib/format';
import type { SeriesData } from '@/server/metrics/types';
import { overviewKpis, overviewPoints } from './overview-kpis';

interface ClusterFigures {
  /** Per cluster: the value now (instant query). */
  now: Map<string, number | null>;
  /** Per cluster: the series over the selected range. */
  range: Map<string, SeriesData>;
}

function useByCluster(panel: string): ClusterFigures {
  const now = useNowPanel(panel).answer;
  const { answer } = useRangePanel(panel, overviewPoints);
  const series = answer?.status === 'ok' ? answer.series.filter((s) => s.queryId === 'byCluster') : [];
  return {
    now: new Map(nowValuesOf(now, 'byCluster').map((v) => [v.name, v.value])),
    range: new Map(series.map((s) => [s.name, s])),
  };
}

/** Every cluster side by side: each KPI's value now and its sparkline over the range. */
export function ClusterTable({
  clusters,
  onPick,
}: {
  clusters: string[];
  onPick: (cluster: string) => void;
}): ReactNode {
  // One hook call per KPI, in the fixed order of overviewKpis (hooks may not run in a loop).
  const bySeries = [
    useByCluster('overview.gpuUtil'),
    useByCluster('overview.requests'),
    useByCluster('overview.latencyP95'),
    useByCluster('overview.cost'),
    useByCluster('overview.energy'),
    useByCluster('overview.alerts'),
    useByCluster('overview.pipelines'),
  ];
  const columns = overviewKpis.map((kpi, i) => ({
    kpi,
    byCluster: bySeries[i] ?? { now: new Map(), range: new Map() },
  }));
  return (
    <section className="card panel" aria-label="Per cluster">
      <header className="panel-head">
        <div className="panel-titles">
          <h2>Per cluster</h2>
          <p className="muted small">
            Now, with the selected range as a sparkline. Pick a cluster to narrow every page to it.
          </p>
        </div>
      </header>
      <div className="table-scroll">
        <table className="data-table cluster-table" data-testid="cluster-table">
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              {columns.map(({ kpi }) => (
                <th key={kpi.panel} scope="col">
                  {kpi.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {clusters.map((cluster) => (
              <tr key={cluster} data-testid="cluster-row">
                <td>
                  <button type="button" className="link-button" onClick={() => onPick(cluster)}>
                    <strong>{cluster}</strong>
                  </button>
                </td>
                {columns.map(({ kpi, byCluster }) => {
                  const series = byCluster.range.get(cluster);
                  const now = byCluster.now.get(cluster);
                  return (
                    <td key={kpi.panel} className="kpi-cell">
                      <span className="cell-value">{now !== undefined ? formatValue(now, kpi.unit) : '–'}</span>
                      {series ? (
                        <span className="spark">
                          <Sparkline t={series.t} v={series.v} heightPx={26} />
                        </span>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
