'use client';

import { useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import { StackedAreaChart } from '@/components/charts/chart-stacked-area';
import { StatTile } from '@/components/charts/chart-stat';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { costDimensionLabels, costDimensions, type CostDimension } from '@/lib/cost-dimensions';
import { formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc/client';
import { useDashboardParams } from '@/lib/url-state';
import type { CostTrend } from '@/server/cost/cost-trend';
import type { SeriesData } from '@/server/metrics/types';
import { costDimensionOf, costViewInput } from './cost-params';
import { ratioPercent, sourceLabel } from './cost-format';
import { CostGroupsTable, ReconcileTable, UnitCostTable } from './cost-tables';

/** Native radio buttons: arrow keys move between groupings, Tab leaves the group. */
function GroupingControl({ by, onChange }: { by: CostDimension; onChange: (by: CostDimension) => void }): ReactNode {
  return (
    <fieldset data-testid="cost-grouping" style={{ display: 'flex', gap: 12, flexWrap: 'wrap', border: 0, padding: 0 }}>
      <legend className="small muted">Group by</legend>
      {costDimensions.map((d) => (
        <label key={d}>
          <input type="radio" name="cost-by" value={d} checked={by === d} onChange={() => onChange(d)} />{' '}
          {costDimensionLabels[d]}
        </label>
      ))}
    </fieldset>
  );
}

/** Plotting is the one place money becomes a float: the figures people read come from the exact strings. */
function trendSeries(trend: CostTrend): SeriesData[] {
  const t = trend.points.map((p) => p.bucketMs);
  const names: Record<string, string> = { __idle__: 'Idle', __shared__: 'Shared', __other__: 'Other' };
  return trend.series.map((s) => ({
    key: s.key,
    queryId: 'cost',
    name: names[s.key] ?? s.key,
    labels: {},
    t,
    v: trend.points.map((p) => Number(p.costs[s.key] ?? 0)),
  }));
}

export function CostClient(): ReactNode {
  const trpc = useTRPC();
  const params = useDashboardParams();
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const by = costDimensionOf(new URLSearchParams(searchParams.toString()));
  const input = costViewInput(params);
  const overview = useQuery(trpc.cost.overview.queryOptions({ ...input, by }));
  const unitCosts = useQuery(trpc.cost.unitCosts.queryOptions(input));
  const reconcile = useQuery(trpc.cost.reconcile.queryOptions(input));
  const setBy = (next: CostDimension): void => {
    const query = new URLSearchParams(searchParams.toString());
    query.set('by', next);
    router.push(`${pathname}?${query.toString()}`, { scroll: false });
  };

  if (overview.isPending) return <LoadingState label="Summing the allocation…" />;
  if (overview.error)
    return (
      <ErrorState
        title="The cost figures could not be read"
        message={overview.error.message}
        where={overview.error.data?.where ?? undefined}
        action="Check the time range, then try again."
        onRetry={() => void overview.refetch()}
      />
    );
  const { summary, trend } = overview.data;
  const currency = summary.currency;
  if (summary.groups.length === 0) {
    const backfilling = Math.max(0, summary.coverage.daysInWindow - summary.coverage.daysComplete);
    return (
      <EmptyState title={`No allocation yet — the job is backfilling ${backfilling} days`}>
        The allocation job prices each hour from the bill (else OpenCost metrics, else the price sheet) and writes it;
        this page fills in as it goes, newest day first.
      </EmptyState>
    );
  }
  const source = sourceLabel(
    summary.sources.map((s) => s.source),
    summary.sources.some((s) => s.source !== 'bill'),
  );
  return (
    <div className="stack">
      <div className="kpi-grid" data-testid="cost-kpis">
        <StatTile
          label="Total"
          value={formatMoney(summary.totals.cost, currency)}
          sub={`from ${source}`}
          testId="cost-total"
        />
        <StatTile label="Idle" value={formatMoney(summary.totals.idle, currency)} sub="node cost no pod was charged" />
        <StatTile
          label="Shared"
          value={formatMoney(summary.totals.shared, currency)}
          sub="system namespaces and cluster fees"
        />
        <StatTile
          label="Efficiency (used ÷ paid)"
          value={ratioPercent(summary.efficiency.ratio)}
          sub={`${formatMoney(summary.efficiency.used, currency)} of ${formatMoney(summary.efficiency.paid, currency)}`}
          testId="cost-efficiency"
        />
        <StatTile
          label="Waste per month"
          value={formatMoney(summary.efficiency.wasteMonthly, currency)}
          sub={`estimate: paid − used over ${summary.efficiency.coveredHours} h, × 730 h`}
          testId="cost-waste"
        />
      </div>
      <section className="card stack" aria-label="Cost by group">
        <GroupingControl by={by} onChange={setBy} />
        <h2 className="small muted">
          Cost per {trend.bucket} by {costDimensionLabels[by].toLowerCase()} ({currency}; idle{' '}
          {summary.sharing.idle === 'row' ? 'as a row' : 'spread'}, shared{' '}
          {summary.sharing.shared === 'row' ? 'as a row' : 'spread'})
        </h2>
        <StackedAreaChart series={trendSeries(trend)} unit="count" startMs={summary.fromMs} endMs={summary.toMs} />
        <CostGroupsTable groups={summary.groups} currency={currency} label={costDimensionLabels[by]} />
      </section>
      <section className="card stack" aria-label="Unit cost of serving workloads">
        <h2 className="small muted">Unit cost of serving workloads (requests and tokens from Prometheus)</h2>
        {unitCosts.error ? <ErrorState title="Unit costs could not be read" message={unitCosts.error.message} /> : null}
        {unitCosts.data?.length === 0 ? (
          <p className="muted">No serving workload counted requests in this range.</p>
        ) : null}
        {unitCosts.data && unitCosts.data.length > 0 ? (
          <UnitCostTable rows={unitCosts.data} currency={currency} />
        ) : null}
      </section>
      <section className="card stack" aria-label="Reconciliation with the bill">
        <h2 className="small muted">Reconciliation per day and cluster: the bill against allocated + idle + shared</h2>
        {reconcile.error ? (
          <ErrorState title="Reconciliation could not be read" message={reconcile.error.message} />
        ) : null}
        {reconcile.data ? <ReconcileTable rows={reconcile.data} /> : <LoadingState label="Reading the bill…" />}
      </section>
    </div>
  );
}
