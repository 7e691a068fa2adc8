import 'server-only';
import type { CostDimension } from '@/lib/cost-dimensions';
import type { DashboardParams } from '@/lib/dashboard-params';
import { getQueryClient, serverTrpc } from '@/server/trpc/prefetch';
import { costViewInput } from './cost-params';

/** The Cost page's first queries: totals and trend by the grouping, unit costs, reconciliation. */
export function prefetchCost(params: DashboardParams, by: CostDimension): Promise<unknown> {
  const queryClient = getQueryClient();
  const input = costViewInput(params);
  return Promise.all([
    queryClient.prefetchQuery(serverTrpc.cost.overview.queryOptions({ ...input, by })),
    queryClient.prefetchQuery(serverTrpc.cost.unitCosts.queryOptions(input)),
    queryClient.prefetchQuery(serverTrpc.cost.reconcile.queryOptions(input)),
  ]);
}
