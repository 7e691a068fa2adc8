'use client';

import type { ReactNode } from 'react';
import { lastValue } from '@/components/charts/chart-parts';
import { StatTile } from '@/components/charts/chart-stat';
import { useRangePanel } from '@/components/panels/range-panel';
import { formatMebibytes, formatPercent, formatValue, formatWatts } from '@/lib/format';
import type { RangePanelResponse, SeriesData } from '@/server/metrics/types';
import { gpuChartPoints } from './gpu-panels';


function seriesOf(answer: RangePanelResponse | undefined, queryId: string): SeriesData | undefined {
  return answer?.status === 'ok' ? answer.series.find((s) => s.queryId === queryId) : undefined;
}

function pending(answer: RangePanelResponse | undefined): string {
  if (!answer) return '…';
  if (answer.status === 'missing') return 'no exporter';
  if (answer.status === 'unavailable') return 'no data';
  return '–';
}

function isStale(answer: RangePanelResponse | undefined): boolean {
  return answer?.status === 'ok' && answer.stale !== null;
}

export function GpuKpis({ query }: { query: string }): ReactNode {
  const allocation = useRangePanel('gpu.allocation', gpuChartPoints).answer;
  const activity = useRangePanel('gpu.utilisation', gpuChartPoints).answer;
  const memory = useRangePanel('gpu.memory', gpuChartPoints).answer;
  const power = useRangePanel('gpu.power', gpuChartPoints).answer;
  const idle = useRangePanel('gpu.idleAllocated', gpuChartPoints).answer;

  const total = seriesOf(allocation, 'total');
  const allocated = seriesOf(allocation, 'allocated');
  const busy = seriesOf(allocation, 'busy');
  const avg = seriesOf(activity, 'avg');
  const used = seriesOf(memory, 'used');
  const capacity = seriesOf(memory, 'total');
  const watts = seriesOf(power, 'power');
  const idleNow = seriesOf(idle, 'idle');
  const idleCount = idleNow ? lastValue(idleNow) : null;
  const allocatedNow = allocated ? lastValue(allocated) : null;
  const busyNow = busy ? lastValue(busy) : null;

  return (
    <div className="kpi-grid" data-testid="gpu-kpis">
      <StatTile
        testId="kpi-allocated"
        label="GPUs allocated"
        value={allocated && total ? `${formatValue(lastValue(allocated), 'count')} / ${formatValue(lastValue(total), 'count')}` : pending(allocation)}
        sub={busyNow !== null ? `${formatValue(busyNow, 'count')} GPU-equivalents busy` : undefined}
        spark={allocated}
        stale={isStale(allocation)}
      />
      <StatTile
        testId="kpi-activity"
        label="Average activity"
        value={avg ? formatPercent((lastValue(avg) ?? Number.NaN) * 100) : pending(activity)}
        sub={activity?.status === 'ok' ? activity.source.metrics[0] : undefined}
        title={activity?.status === 'ok' ? activity.source.description : undefined}
        spark={avg}
        stale={isStale(activity)}
      />
      <StatTile
        testId="kpi-memory"
        label="GPU memory used"
        value={used ? formatMebibytes(lastValue(used)) : pending(memory)}
        sub={capacity ? `of ${formatMebibytes(lastValue(capacity))}` : undefined}
        spark={used}
        stale={isStale(memory)}
      />
      <StatTile testId="kpi-power" label="GPU power" value={watts ? formatWatts(lastValue(watts)) : pending(power)} sub="board power, all GPUs" spark={watts} stale={isStale(power)} />
      <StatTile
        testId="kpi-idle"
        label="Idle while allocated"
        value={idleNow ? formatValue(idleCount ?? 0, 'gpus') : pending(idle)}
        sub={allocatedNow ? `of ${formatValue(allocatedNow, 'count')} allocated, under 10 % activity` : 'under 10 % activity'}
        tone={idleCount !== null && idleCount > 0 ? 'bad' : 'neutral'}
        spark={idleNow}
        stale={isStale(idle)}
        href={`/gpus${query}#waste`}
      />
      <StatTile testId="kpi-idle-cost" label="Cost of idle GPUs" value="Not available yet" quiet sub="Needs the cost model (node prices from billing). No estimate is shown.">
        <span className="kpi-na" data-testid="not-available">Idle GPU-hours are in the waste ranking below.</span>
      </StatTile>
    </div>
  );
}
