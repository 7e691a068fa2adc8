'use client';

import type { ReactNode } from 'react';
import { RangePanel } from '@/components/panels/range-panel';
import { useDashboardParams } from '@/lib/url-state';
import { GpuDevicesTable } from './gpu-devices-table';
import { GpuKpis } from './gpu-kpis';
import { gpuChartPoints, heatmapPoints } from './gpu-panels';
import { WasteRanking, WorkloadTable } from './gpu-workloads';

export function GpusClient(): ReactNode {
  const { queryString } = useDashboardParams();
  return (
    <>
      <GpuKpis query={queryString} />
      <div className="page-grid">
        <RangePanel
          panel="gpu.allocation"
          title="Allocated against used"
          subtitle="GPUs, GPUs with a pod, and busy GPU-equivalents (Σ activity)"
          chart="lines"
          pointsWanted={gpuChartPoints}
          yDomain={[0, 'auto']}
          className="span-8"
          testId="panel-allocation"
        />
        <RangePanel
          panel="gpu.idleAllocated"
          title="Idle while allocated"
          subtitle="GPUs with a pod and under 10 % activity"
          chart="lines"
          pointsWanted={gpuChartPoints}
          yDomain={[0, 'auto']}
          className="span-4"
          testId="panel-idle"
        />
        <RangePanel
          panel="gpu.utilisation"
          title="Average activity"
          subtitle="Mean over GPUs, each device once"
          chart="lines"
          pointsWanted={gpuChartPoints}
          yDomain={[0, 1]}
          className="span-4"
          testId="panel-activity"
        />
        <RangePanel
          panel="gpu.memory"
          title="Memory"
          subtitle="Framebuffer used and capacity"
          chart="lines"
          pointsWanted={gpuChartPoints}
          className="span-4"
          testId="panel-memory"
        />
        <RangePanel
          panel="gpu.power"
          title="Power"
          subtitle="Board power, all GPUs"
          chart="lines"
          pointsWanted={gpuChartPoints}
          className="span-4"
          testId="panel-power"
        />
        <RangePanel
          panel="gpu.heatmap"
          title="Activity per GPU over time"
          subtitle="One row per device; darker = busier"
          chart="heatmap"
          pointsWanted={heatmapPoints}
          className="span-12"
          testId="panel-heatmap"
        />
        <RangePanel
          panel="gpu.byWorkload"
          title="GPU use per workload"
          subtitle="Busy GPU-equivalents, top 10 by mean"
          chart="stacked"
          pointsWanted={gpuChartPoints}
          className="span-7"
          testId="panel-by-workload"
        />
        <div className="span-5" id="waste">
          <WasteRanking />
        </div>
        <WorkloadTable />
        <GpuDevicesTable />
      </div>
    </>
  );
}
