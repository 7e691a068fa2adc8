import 'server-only';
import { rangePanelInput, type DashboardParams } from '@/lib/dashboard-params';
import { getQueryClient, serverTrpc } from '@/server/trpc/prefetch';
import { overviewKpis, overviewPoints } from './overview-kpis';

/** Overview's first queries: the firing alerts and every KPI's panel (the charts ask for the same ones). */
export function prefetchOverview(params: DashboardParams): Promise<unknown> {
  const queryClient = getQueryClient();
  return Promise.all([
    queryClient.prefetchQuery(serverTrpc.metrics.alerts.queryOptions({ cluster: params.cluster })),
    ...overviewKpis.map((kpi) =>
      queryClient.prefetchQuery(serverTrpc.metrics.panel.queryOptions(rangePanelInput(kpi.panel, params, overviewPoints))),
    ),
  ]);
}
