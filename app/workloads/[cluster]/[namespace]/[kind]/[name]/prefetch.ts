import 'server-only';
import type { DashboardParams } from '@/lib/dashboard-params';
import { workloadQueryInputs } from '@/components/workload-metrics/workload-inputs';
import type { WorkloadRef } from '@/server/actions/types';
import { getQueryClient, serverTrpc } from '@/server/trpc/prefetch';

/** A workload page's first queries: its metrics panels and the action markers on them. */
export function prefetchWorkload(identity: WorkloadRef, params: DashboardParams): Promise<unknown> {
  const queryClient = getQueryClient();
  const inputs = workloadQueryInputs(identity, params.range);
  return Promise.all([
    queryClient.prefetchQuery(serverTrpc.metrics.workload.queryOptions(inputs.metrics)),
    queryClient.prefetchQuery(serverTrpc.audit.annotations.queryOptions(inputs.annotations)),
  ]);
}
