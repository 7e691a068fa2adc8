import 'server-only';
import { rangePanelInput, type DashboardParams } from '@/lib/dashboard-params';
import { getQueryClient, serverTrpc } from '@/server/trpc/prefetch';
import { gpuNowPanels, gpuRangePanels } from './gpu-panels';

/** The GPU page's first queries: its tiles' values now, its range panels, the per-workload and per-device tables. */
export function prefetchGpus(params: DashboardParams): Promise<unknown> {
  const queryClient = getQueryClient();
  const tableInput = { cluster: params.cluster, range: { from: params.range.from, to: params.range.to } };
  return Promise.all([
    ...gpuRangePanels.map(({ panel, pointsWanted }) =>
      queryClient.prefetchQuery(serverTrpc.metrics.panel.queryOptions(rangePanelInput(panel, params, pointsWanted))),
    ),
    ...gpuNowPanels.map((panel) =>
      queryClient.prefetchQuery(serverTrpc.metrics.now.queryOptions({ panel, cluster: params.cluster })),
    ),
    queryClient.prefetchQuery(serverTrpc.metrics.gpuWorkloads.queryOptions(tableInput)),
    queryClient.prefetchQuery(serverTrpc.metrics.gpuDevices.queryOptions(tableInput)),
  ]);
}
