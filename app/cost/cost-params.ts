// The Cost page's own URL state: the grouping (`by`), beside the dashboard's range and cluster.
import { costDimensions, type CostDimension } from '@/lib/cost-dimensions';
import type { DashboardParams } from '@/lib/dashboard-params';

export const defaultCostDimension: CostDimension = 'namespace';

export function costDimensionOf(params: URLSearchParams): CostDimension {
  const by = params.get('by');
  return (costDimensions as readonly string[]).includes(by ?? '') ? (by as CostDimension) : defaultCostDimension;
}

/** The inputs of the page's queries, built one way for the server's prefetch and the browser. */
export function costViewInput(params: Pick<DashboardParams, 'cluster' | 'range'>): {
  range: { from: string; to: string };
  cluster: string;
} {
  return { range: { from: params.range.from, to: params.range.to }, cluster: params.cluster };
}
