import 'server-only';
import { resolveTimeRange, TimeRangeError, type TimeRangeInput } from '@/lib/time-range';
import { ALL_CLUSTERS } from '@/lib/dashboard-params';
import { getDatabase } from '@/server/db/client';
import type { CostDimension, CostReadWindow } from '@/server/db/cost-read';
import { DomainError } from '@/server/errors';
import { costTrend, TREND_TOP_GROUPS, type CostTrend } from './cost-trend';
import { costSharingOptions } from './cost-settings';
import { costSummary, type CostSummary } from './queries';
import { reconcileDays, type ReconcileRow } from './reconcile-query';
import { servingUnitCostsOf, type ServingUnitCost } from './unit-cost-query';

// What the cost router, the CLI and the allocation API call: a window from the page's range and
// cluster, the sharing setting read once per call, and the queries of server/cost/.

export interface CostViewInput {
  range: TimeRangeInput;
  /** A cluster name, or `all`. */
  cluster: string;
}

export function costWindowOf(input: CostViewInput, nowMs: number): CostReadWindow {
  try {
    const { fromMs, toMs } = resolveTimeRange(input.range, nowMs);
    return { fromMs, toMs, clusters: input.cluster === ALL_CLUSTERS ? null : [input.cluster] };
  } catch (error) {
    if (error instanceof TimeRangeError) throw new DomainError('BAD_INPUT', error.message, error.field);
    throw error;
  }
}

export async function costOverview(
  input: CostViewInput & { by: CostDimension },
): Promise<{ summary: CostSummary; trend: CostTrend }> {
  const window = costWindowOf(input, Date.now());
  const { db } = await getDatabase();
  const options = await costSharingOptions(db);
  const summary = await costSummary(db, { ...window, by: input.by }, options);
  const top = summary.groups.filter((g) => g.kind === 'workload').slice(0, TREND_TOP_GROUPS);
  const trend = await costTrend(
    db,
    { ...window, by: input.by },
    options,
    top.map((g) => g.key),
  );
  return { summary, trend };
}

export async function costUnitCosts(input: CostViewInput): Promise<ServingUnitCost[]> {
  const { db } = await getDatabase();
  return servingUnitCostsOf(db, costWindowOf(input, Date.now()), await costSharingOptions(db));
}

export async function costReconcile(input: CostViewInput): Promise<ReconcileRow[]> {
  const { db } = await getDatabase();
  return reconcileDays(db, costWindowOf(input, Date.now()), await costSharingOptions(db));
}
