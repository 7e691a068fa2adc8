'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { TimeSeriesChart } from '@/components/charts/chart-time-series';
import { PanelFrame } from '@/components/panels/panel-frame';
import { PanelEmpty } from '@/components/panels/panel-states';
import { isInvalidRequest, requestErrorOf, type RequestError } from '@/components/panels/use-panel-data';
import { formatValue } from '@/lib/format';
import { refreshIntervalMs } from '@/lib/time-range';
import { useTRPC } from '@/lib/trpc/client';
import { useWasPrefetched } from '@/lib/trpc/prefetched';
import { useDashboardParams } from '@/lib/url-state';
import type { WorkloadRef } from '@/server/actions/types';
import type { ChartAnnotation } from '@/server/audit/annotation-types';
import type { RangePanelResponse } from '@/server/metrics/types';
import type { WorkloadPanelId } from '@/server/metrics/workload-panels';
import { workloadPoints, workloadQueryInputs } from './workload-inputs';

const panels: { id: WorkloadPanelId; title: string; subtitle: string; yDomain?: [number, 'auto'] }[] = [
  { id: 'requests', title: 'Requests', subtitle: 'Requests per second', yDomain: [0, 'auto'] },
  { id: 'latency', title: 'Latency', subtitle: 'p50, p95 and p99, seconds' },
  { id: 'errors', title: 'Errors', subtitle: 'Failed requests per second', yDomain: [0, 'auto'] },
  { id: 'gpu', title: 'GPU use', subtitle: 'GPUs held and busy GPU-equivalents', yDomain: [0, 'auto'] },
  { id: 'queue', title: 'Queue', subtitle: 'LLM requests waiting and running', yDomain: [0, 'auto'] },
];

/** The newest value of the first series: the figure a reader looks for before the chart. */
function latestValue(answer: RangePanelResponse): string | null {
  if (answer.status !== 'ok') return null;
  const first = answer.series[0];
  const last = first?.v.findLast((v) => v !== null);
  return last === undefined || last === null ? null : `${first!.name} ${formatValue(last, answer.unit)}`;
}

function WorkloadPanel({
  title,
  subtitle,
  yDomain,
  answer,
  annotations,
  isFetching,
  requestError,
  id,
}: {
  id: WorkloadPanelId;
  title: string;
  subtitle: string;
  yDomain?: [number, 'auto'];
  answer: RangePanelResponse | undefined;
  annotations: readonly ChartAnnotation[];
  isFetching: boolean;
  requestError: RequestError | null;
}): ReactNode {
  const ok = answer?.status === 'ok' ? answer : null;
  const latest = answer ? latestValue(answer) : null;
  return (
    <PanelFrame
      title={title}
      subtitle={subtitle}
      answer={answer}
      requestError={requestError}
      isFetching={isFetching}
      actions={
        latest ? (
          <span className="small" data-testid="latest-value">
            {latest}
          </span>
        ) : null
      }
      omitted={ok ? { count: ok.omittedSeriesCount, what: 'series' } : undefined}
      testId={`workload-panel-${id}`}
    >
      {ok && ok.series.length === 0 ? <PanelEmpty>No data in this range.</PanelEmpty> : null}
      {ok && ok.series.length > 0 ? (
        <TimeSeriesChart
          series={ok.series}
          unit={ok.unit}
          startMs={ok.startMs}
          endMs={ok.endMs}
          yDomain={yDomain}
          heightPx={180}
          annotations={annotations}
        />
      ) : null}
    </PanelFrame>
  );
}

/** Requests/s, latency quantiles, errors, GPU use and LLM queue of one workload, with its actions marked on every chart. */
export function WorkloadMetrics({
  identity,
  pointsWanted = workloadPoints,
}: {
  identity: WorkloadRef;
  pointsWanted?: number;
}): ReactNode {
  const trpc = useTRPC();
  const { range, refresh } = useDashboardParams();
  const refetchInterval = refreshIntervalMs(refresh);
  const inputs = workloadQueryInputs(identity, range, pointsWanted);
  // As for the panels (use-panel-data.ts): what the server prefetched is not asked again on mount.
  const refetchOnMount = !useWasPrefetched(trpc.metrics.workload.queryKey(inputs.metrics));
  const metrics = useQuery({
    ...trpc.metrics.workload.queryOptions(inputs.metrics),
    refetchOnMount,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (isInvalidRequest(q.state.error) ? false : refetchInterval),
  });
  const annotations = useQuery({
    ...trpc.audit.annotations.queryOptions(inputs.annotations),
    refetchOnMount,
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  const requestError = metrics.error && !metrics.data ? requestErrorOf(metrics.error) : null;
  return (
    <div className="grid" data-testid="workload-metrics" data-annotations={annotations.data?.length ?? 0}>
      {annotations.error ? (
        <p className="small muted" role="status">
          Action markers unavailable: {annotations.error.message}
        </p>
      ) : null}
      {panels.map((p) => (
        <WorkloadPanel
          key={p.id}
          {...p}
          answer={metrics.data?.[p.id]}
          annotations={annotations.data ?? []}
          isFetching={metrics.isFetching}
          requestError={requestError}
        />
      ))}
    </div>
  );
}
