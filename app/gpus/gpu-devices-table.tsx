'use client';

import type { ReactNode } from 'react';
import { PanelFrame } from '@/components/panels/panel-frame';
import { usePagedRows } from '@/components/table-pager';
import { PanelEmpty } from '@/components/panels/panel-states';
import { usePanelData } from '@/components/panels/use-panel-data';
import { formatMebibytes, formatValue, formatWatts } from '@/lib/format';
import { useTRPC } from '@/lib/trpc/client';
import { useDashboardParams } from '@/lib/url-state';
import { Meter } from './meter';

/** Per node and per GPU: model, UUID, activity now and over the range, memory, temperature, power, pods. */
export function GpuDevicesTable(): ReactNode {
  const trpc = useTRPC();
  const { cluster, range } = useDashboardParams();
  const { answer, isFetching, requestError } = usePanelData(
    trpc.metrics.gpuDevices.queryOptions({ cluster, range: { from: range.from, to: range.to } }),
  );
  const ok = answer?.status === 'ok' ? answer : null;
  const { rows, pager } = usePagedRows(ok?.rows ?? [], 'GPUs');
  return (
    <PanelFrame
      title="GPUs per node"
      subtitle="Now, and the mean over the range; pods mapped by dcgm-exporter"
      answer={answer}
      requestError={requestError}
      isFetching={isFetching}
      omitted={ok ? { count: ok.omittedRowCount, what: 'GPUs' } : undefined}
      className="span-12"
      testId="panel-devices"
    >
      {ok && ok.rows.length === 0 ? (
        <PanelEmpty>No GPUs reported in this cluster.</PanelEmpty>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="device-table">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">GPU</th>
                <th scope="col">Model</th>
                <th scope="col">UUID</th>
                <th scope="col">Activity now</th>
                <th scope="col">Mean (range)</th>
                <th scope="col" className="num">
                  Memory
                </th>
                <th scope="col" className="num">
                  Temp.
                </th>
                <th scope="col" className="num">
                  Power
                </th>
                <th scope="col">Pods</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.cluster}/${r.uuid}`} data-testid="device-row">
                  <td className="mono" title={`${r.node} (${r.cluster})`}>
                    {r.node.split('.')[0]}
                  </td>
                  <td className="num">{r.gpu}</td>
                  <td>{r.model}</td>
                  <td className="mono small" title={r.uuid}>
                    {r.uuid.length > 16 ? `${r.uuid.slice(0, 16)}…` : r.uuid}
                  </td>
                  <td>
                    <Meter ratio={r.utilRatio} />
                  </td>
                  <td>
                    <Meter ratio={r.avgUtilRatio} />
                  </td>
                  <td className="num">
                    {formatMebibytes(r.memoryUsedMiB)}
                    {r.memoryTotalMiB ? <span className="muted"> / {formatMebibytes(r.memoryTotalMiB)}</span> : null}
                  </td>
                  <td className="num">{formatValue(r.temperatureCelsius, 'celsius')}</td>
                  <td className="num">{formatWatts(r.powerWatts)}</td>
                  <td className="mono small" title={r.pods.join('\n')}>
                    {r.pods.length === 0 ? <span className="muted">unallocated</span> : r.pods[0]}
                    {r.pods.length > 1 ? <span className="tag">+{r.pods.length - 1}, time-sliced</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {pager}
        </div>
      )}
    </PanelFrame>
  );
}
