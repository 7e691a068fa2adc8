'use client';

import type { ReactNode } from 'react';
import { StackedAreaChart } from '@/components/charts/chart-stacked-area';
import type { BillingExplorerResult } from '@/server/db/billing-explorer';
import type { SeriesData } from '@/server/metrics/types';

function periodMs(period: string): number {
  const [y = 1970, m = 1, d = 1] = period.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

/**
 * EffectiveCost per period in one currency, stacked by group (top groups and "(other)"). Plotting
 * is the one place money becomes a float: the figures people read come from the exact strings.
 */
export function billingSeries(result: BillingExplorerResult, currency: string): SeriesData[] {
  const points = result.series.filter((p) => p.currency === currency);
  const times = [...new Set(points.map((p) => periodMs(p.period)))].sort((a, b) => a - b);
  const byGroup = new Map<string, Map<number, number>>();
  for (const p of points) {
    const key = p.group ?? 'Effective cost';
    const values = byGroup.get(key) ?? new Map<number, number>();
    values.set(periodMs(p.period), Number(p.effectiveCost));
    byGroup.set(key, values);
  }
  return [...byGroup.entries()].map(([name, values]) => ({
    key: name,
    queryId: 'billing',
    name: name === '' ? '(none)' : name,
    labels: {},
    t: times,
    v: times.map((t) => values.get(t) ?? 0),
  }));
}

export function BillingSeriesChart({
  result,
  currency,
  from,
  to,
}: {
  result: BillingExplorerResult;
  currency: string;
  from: string;
  to: string;
}): ReactNode {
  const series = billingSeries(result, currency);
  const times = series[0]?.t ?? [];
  const startMs = Math.max(periodMs(from), times[0] ?? periodMs(from));
  const endMs = Math.min(periodMs(to), (times.at(-1) ?? periodMs(to)) + 86_400_000);
  return (
    <section className="card" aria-label="Effective cost over time">
      <h2 className="small muted">
        Effective cost per {result.series[0]?.period.length === 7 ? 'month' : 'day'} ({currency})
      </h2>
      <StackedAreaChart series={series} unit="count" startMs={startMs} endMs={endMs} />
    </section>
  );
}
