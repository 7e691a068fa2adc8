'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { RangePanel } from '@/components/panels/range-panel';
import { usePanelData } from '@/components/panels/use-panel-data';
import { useTRPC } from '@/lib/trpc/client';
import { useHydrated } from '@/lib/use-hydrated';
import { ALL_CLUSTERS, useDashboardParams } from '@/lib/url-state';
import { AlertsPanel } from './alerts-panel';
import { ClusterTable } from './cluster-table';
import { KpiTile } from './kpi-strip';
import { overviewKpis, overviewPoints } from './overview-kpis';

export function OverviewClient(): ReactNode {
  const trpc = useTRPC();
  const { cluster, queryString, update } = useDashboardParams();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const alerts = usePanelData(trpc.metrics.alerts.queryOptions({ cluster }));
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const firingNow = alerts.answer?.status === 'ok' ? alerts.answer.alerts.length : null;
  const hydrated = useHydrated();
  const names = hydrated ? (clusters.data?.map((c) => c.name) ?? []) : [];
  return (
    <>
      <h2 className="section-title">
        {cluster === ALL_CLUSTERS ? `All clusters${names.length > 0 ? ` (${names.length})` : ''}` : cluster}
      </h2>
      <div className="kpi-grid kpi-grid-dense" data-testid="overview-kpis">
        {overviewKpis.map((kpi) => (
          <KpiTile key={kpi.panel} kpi={kpi} query={queryString} firingNow={firingNow} />
        ))}
      </div>
      {cluster === ALL_CLUSTERS && names.length > 0 ? (
        <ClusterTable clusters={names} onPick={(name) => update({ cluster: name })} />
      ) : null}
      <div className="page-grid" style={{ marginTop: 16 }}>
        <RangePanel
          panel="overview.requests"
          title="Requests per second"
          subtitle="All request counters found, per cluster"
          chart="lines"
          pointsWanted={overviewPoints}
          className="span-4"
          testId="panel-requests"
        />
        <RangePanel
          panel="overview.latencyP95"
          title="p95 latency"
          subtitle="From the latency histogram, per cluster"
          chart="lines"
          pointsWanted={overviewPoints}
          className="span-4"
          testId="panel-latency"
        />
        <div className="span-4">
          <AlertsPanel data={alerts.answer} nowMs={nowMs} />
        </div>
        <RangePanel
          panel="overview.gpuUtil"
          title="GPU activity"
          subtitle="Mean over GPUs, each device once"
          chart="lines"
          pointsWanted={overviewPoints}
          yDomain={[0, 1]}
          className="span-4"
          testId="panel-gpu"
        />
        <RangePanel
          panel="overview.cost"
          title="Cost per hour"
          subtitle="Estimate: node list prices before discounts, per cluster"
          chart="lines"
          pointsWanted={overviewPoints}
          className="span-4"
          testId="panel-cost"
        />
        <RangePanel
          panel="overview.energy"
          title="Energy per hour"
          subtitle="GPU (DCGM) + CPU and memory (Kepler), IT only"
          chart="lines"
          pointsWanted={overviewPoints}
          className="span-4"
          testId="panel-energy"
        />
      </div>
    </>
  );
}
