import 'server-only';
import { rangePanelInput, type DashboardParams } from '@/lib/dashboard-params';
import { getQueryClient, serverTrpc } from '@/server/trpc/prefetch';
import { overviewKpis, overviewPoints } from './overview-kpis';

/** Overview's first queries: the firing alerts, every KPI's value now and its panel over the range. */
export function prefetchOverview(params: DashboardParams): Promise<unknown> {
  const queryClient = getQueryClient();
  return Promise.all([
    queryClient.prefetchQuery(serverTrpc.metrics.alerts.queryOptions({ cluster: params.cluster })),
    ...overviewKpis.map((kpi) =>
      queryClient.prefetchQuery(
        serverTrpc.metrics.panel.queryOptions(rangePanelInput(kpi.panel, params, overviewPoints)),
      ),
    ),
    ...overviewKpis.map((kpi) =>
      queryClient.prefetchQuery(serverTrpc.metrics.now.queryOptions({ panel: kpi.panel, cluster: params.cluster })),
    ),
  ]);
}
