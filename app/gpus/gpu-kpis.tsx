'use client';

import type { ReactNode } from 'react';
import { StatTile } from '@/components/charts/chart-stat';
import { useRangePanel } from '@/components/panels/range-panel';
import { nowValue, useNowPanel } from '@/components/panels/use-now-panel';
import { formatMebibytes, formatPercent, formatValue, formatWatts } from '@/lib/format';
import type { NowPanelResponse, RangePanelResponse, SeriesData } from '@/server/metrics/types';
import { gpuChartPoints, type gpuNowPanels } from './gpu-panels';

function seriesOf(answer: RangePanelResponse | undefined, queryId: string): SeriesData | undefined {
  return answer?.status === 'ok' ? answer.series.find((s) => s.queryId === queryId) : undefined;
}

function pending(answer: NowPanelResponse | undefined): string {
  if (!answer) return '…';
  if (answer.status === 'missing') return 'no exporter';
  if (answer.status === 'unavailable') return 'no data';
  return '–';
}

function isStale(answer: NowPanelResponse | undefined): boolean {
  return answer?.status === 'ok' && answer.stale !== null;
}

/** A panel's figures now (tiles) and over the range (sparklines). */
function usePanelNowAndRange(panel: (typeof gpuNowPanels)[number]): {
  now: NowPanelResponse | undefined;
  range: RangePanelResponse | undefined;
} {
  return { now: useNowPanel(panel).answer, range: useRangePanel(panel, gpuChartPoints).answer };
}

/** The tiles show values now (instant queries); the sparklines show the selected range. */
export function GpuKpis({ query }: { query: string }): ReactNode {
  const allocation = usePanelNowAndRange('gpu.allocation');
  const activity = usePanelNowAndRange('gpu.utilisation');
  const memory = usePanelNowAndRange('gpu.memory');
  const power = usePanelNowAndRange('gpu.power');
  const idle = usePanelNowAndRange('gpu.idleAllocated');

  const total = nowValue(allocation.now, 'total');
  const allocatedNow = nowValue(allocation.now, 'allocated');
  const busyNow = nowValue(allocation.now, 'busy');
  const avg = nowValue(activity.now, 'avg');
  const used = nowValue(memory.now, 'used');
  const capacity = nowValue(memory.now, 'total');
  const watts = nowValue(power.now, 'power');
  const idleCount = nowValue(idle.now, 'idle');
  const nowTitle = 'Now; the line: the selected range.';

  return (
    <div className="kpi-grid" data-testid="gpu-kpis">
      <StatTile
        testId="kpi-allocated"
        label="GPUs allocated"
        value={
          allocatedNow !== undefined
            ? `${formatValue(allocatedNow, 'count')} / ${formatValue(total ?? null, 'count')}`
            : pending(allocation.now)
        }
        sub={
          busyNow !== undefined && busyNow !== null
            ? `${formatValue(busyNow, 'count')} GPU-equivalents busy`
            : undefined
        }
        title={nowTitle}
        spark={seriesOf(allocation.range, 'allocated')}
        stale={isStale(allocation.now)}
      />
      <StatTile
        testId="kpi-activity"
        label="Average activity"
        value={avg !== undefined ? formatPercent((avg ?? Number.NaN) * 100) : pending(activity.now)}
        sub={activity.now?.status === 'ok' ? activity.now.source.metrics[0] : undefined}
        title={activity.now?.status === 'ok' ? `${nowTitle} ${activity.now.source.description}` : nowTitle}
        spark={seriesOf(activity.range, 'avg')}
        stale={isStale(activity.now)}
      />
      <StatTile
        testId="kpi-memory"
        label="GPU memory used"
        value={used !== undefined ? formatMebibytes(used) : pending(memory.now)}
        sub={capacity !== undefined && capacity !== null ? `of ${formatMebibytes(capacity)}` : undefined}
        title={nowTitle}
        spark={seriesOf(memory.range, 'used')}
        stale={isStale(memory.now)}
      />
      <StatTile
        testId="kpi-power"
        label="GPU power"
        value={watts !== undefined ? formatWatts(watts) : pending(power.now)}
        sub="board power, all GPUs"
        title={nowTitle}
        spark={seriesOf(power.range, 'power')}
        stale={isStale(power.now)}
      />
      <StatTile
        testId="kpi-idle"
        label="Idle while allocated"
        value={idleCount !== undefined ? formatValue(idleCount ?? 0, 'gpus') : pending(idle.now)}
        sub={
          allocatedNow
            ? `of ${formatValue(allocatedNow, 'count')} allocated, under 10 % activity`
            : 'under 10 % activity'
        }
        title={nowTitle}
        tone={idleCount !== undefined && idleCount !== null && idleCount > 0 ? 'bad' : 'neutral'}
        spark={seriesOf(idle.range, 'idle')}
        stale={isStale(idle.now)}
        href={`/gpus${query}#waste`}
      />
      <StatTile
        testId="kpi-idle-cost"
        label="Cost of idle GPUs"
        value="Not available yet"
        quiet
        sub="Needs the cost model (node prices from billing). No estimate is shown."
      >
        <span className="kpi-na" data-testid="not-available">
          Idle GPU-hours are in the waste ranking below.
        </span>
      </StatTile>
    </div>
  );
}
