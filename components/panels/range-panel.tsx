'use client';

import type { ReactNode } from 'react';
import { HeatmapChart } from '@/components/charts/chart-heatmap';
import { StackedAreaChart } from '@/components/charts/chart-stacked-area';
import { TimeSeriesChart } from '@/components/charts/chart-time-series';
import { rangePanelInput } from '@/lib/dashboard-params';
import { useTRPC } from '@/lib/trpc/client';
import { useDashboardParams } from '@/lib/url-state';
import type { RangePanelResponse } from '@/server/metrics/types';
import { PanelFrame } from './panel-frame';
import { PanelEmpty } from './panel-states';
import { usePanelData, type PanelData } from './use-panel-data';

/** A range panel's data for the page's cluster, range and refresh. */
export function useRangePanel(panel: string, pointsWanted: number): PanelData<RangePanelResponse> {
  const trpc = useTRPC();
  const { cluster, range } = useDashboardParams();
  return usePanelData(trpc.metrics.panel.queryOptions(rangePanelInput(panel, { cluster, range }, pointsWanted)));
}

export interface RangePanelProps {
  panel: string;
  title: string;
  subtitle?: string;
  chart: 'lines' | 'stacked' | 'heatmap';
  pointsWanted?: number;
  yDomain?: [number, number | 'auto'];
  heightPx?: number;
  className?: string;
  testId?: string;
}

/** A chart panel: frame, states, show-query, stale badge, series cap. */
export function RangePanel({
  panel,
  title,
  subtitle,
  chart,
  pointsWanted = 300,
  yDomain,
  heightPx,
  className,
  testId,
}: RangePanelProps): ReactNode {
  const { answer, isFetching, requestError } = useRangePanel(panel, pointsWanted);
  const ok = answer?.status === 'ok' ? answer : null;
  let content: ReactNode = null;
  if (ok && ok.series.length === 0) content = <PanelEmpty>No series in this range for this cluster.</PanelEmpty>;
  else if (ok && chart === 'lines')
    content = (
      <TimeSeriesChart
        series={ok.series}
        unit={ok.unit}
        startMs={ok.startMs}
        endMs={ok.endMs}
        yDomain={yDomain}
        heightPx={heightPx}
      />
    );
  else if (ok && chart === 'stacked')
    content = (
      <StackedAreaChart series={ok.series} unit={ok.unit} startMs={ok.startMs} endMs={ok.endMs} heightPx={heightPx} />
    );
  else if (ok) content = <HeatmapChart series={ok.series} unit={ok.unit} startMs={ok.startMs} endMs={ok.endMs} />;
  return (
    <PanelFrame
      title={title}
      subtitle={subtitle}
      answer={answer}
      requestError={requestError}
      isFetching={isFetching}
      omitted={ok ? { count: ok.omittedSeriesCount, what: 'series (top by mean shown)' } : undefined}
      className={className}
      testId={testId}
    >
      {content}
    </PanelFrame>
  );
}
