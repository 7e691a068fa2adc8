'use client';

import type { ReactNode } from 'react';
import { BarChartHorizontal } from '@/components/charts/chart-bar';
import { PanelFrame } from '@/components/panels/panel-frame';
import { PanelEmpty } from '@/components/panels/panel-states';
import { usePanelData, type PanelData } from '@/components/panels/use-panel-data';
import { formatValue } from '@/lib/format';
import { useTRPC } from '@/lib/trpc/client';
import { useDashboardParams } from '@/lib/url-state';
import type { GpuWorkloadRow, TablePanelResponse } from '@/server/metrics/types';
import { Meter } from './meter';

const rankedInChart = 10;

function useWorkloads(): PanelData<TablePanelResponse<GpuWorkloadRow>> {
  const trpc = useTRPC();
  const { cluster, range } = useDashboardParams();
  return usePanelData(trpc.metrics.gpuWorkloads.queryOptions({ cluster, range: { from: range.from, to: range.to } }));
}

function label(row: GpuWorkloadRow): string {
  return `${row.namespace}/${row.workload}`;
}

/** Workloads holding GPUs they barely use, ranked by idle GPU-hours in the range. */
export function WasteRanking(): ReactNode {
  const { answer, isFetching, requestError } = useWorkloads();
  const ok = answer?.status === 'ok' ? answer : null;
  const wasteful = (ok?.rows ?? []).filter((r) => r.idleGpuHours > 0).slice(0, rankedInChart);
  return (
    <PanelFrame
      title="Waste ranking"
      subtitle="Idle GPU-hours: GPUs held × (1 − activity), over the range"
      answer={answer}
      requestError={requestError}
      isFetching={isFetching}
      testId="panel-waste"
    >
      {wasteful.length === 0 ? (
        <PanelEmpty>No workload held an idle GPU in this range.</PanelEmpty>
      ) : (
        <BarChartHorizontal
          unit="count"
          data={wasteful.map((r) => ({
            label: label(r),
            value: Number(r.idleGpuHours.toFixed(2)),
            detail: `${formatValue(r.avgGpusHeld, 'gpus')} held, ${formatValue(r.avgUtilRatio, 'ratio')} active${r.shared ? ', shared GPU' : ''}`,
            tone: r.avgUtilRatio < 0.1 ? 'bad' : r.avgUtilRatio < 0.4 ? 'warn' : 'neutral',
          }))}
        />
      )}
    </PanelFrame>
  );
}

export function WorkloadTable(): ReactNode {
  const { answer, isFetching, requestError } = useWorkloads();
  const ok = answer?.status === 'ok' ? answer : null;
  return (
    <PanelFrame
      title="GPU use per workload"
      subtitle="Workloads by idle GPU-hours; a time-sliced GPU counts 1 ÷ its pods for each"
      answer={answer}
      requestError={requestError}
      isFetching={isFetching}
      omitted={ok ? { count: ok.omittedRowCount, what: 'workloads' } : undefined}
      className="span-12"
      testId="panel-workloads"
    >
      {ok && ok.rows.length === 0 ? (
        <PanelEmpty>No pods held GPUs in this range.</PanelEmpty>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="workload-table">
            <thead>
              <tr>
                <th scope="col">Workload</th>
                <th scope="col">Cluster</th>
                <th scope="col" className="num">
                  GPUs held (mean)
                </th>
                <th scope="col">Activity</th>
                <th scope="col" className="num">
                  GPU-hours
                </th>
                <th scope="col" className="num">
                  Idle GPU-hours
                </th>
              </tr>
            </thead>
            <tbody>
              {(ok?.rows ?? []).map((r) => (
                <tr key={`${r.cluster}/${label(r)}`}>
                  <td className="mono">
                    {label(r)}
                    {r.shared ? (
                      <span
                        className="tag"
                        title="Time-sliced GPU: activity is the device's, split evenly between its pods"
                      >
                        shared
                      </span>
                    ) : null}
                    {r.avgUtilRatio < 0.1 && r.gpuHours > 0 ? <span className="tag warn">idle</span> : null}
                  </td>
                  <td>{r.cluster}</td>
                  <td className="num">{formatValue(r.avgGpusHeld, 'count')}</td>
                  <td>
                    <Meter ratio={r.avgUtilRatio} />
                  </td>
                  <td className="num">{formatValue(r.gpuHours, 'count')}</td>
                  <td className="num">{formatValue(r.idleGpuHours, 'count')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </PanelFrame>
  );
}
