import 'server-only';
import type { Db } from '@/server/db/client';
import { nodeCostSums, podCostSums, sharedCostSums, type CostBucket } from '@/server/db/cost-read';
import type { SharedCostOptions } from './model/shared';
import { groupRows, type CostRequest, type CostRowKind } from './queries';

// The trend of the Cost page: per hour for windows up to two days, else per UTC day; the top groups
// of the window by name, the rest as one "other" series, idle and shared as series when kept as rows.

const TWO_DAYS_MS = 2 * 86_400_000;
export const TREND_TOP_GROUPS = 8;

export interface CostTrend {
  bucket: 'hour' | 'day';
  series: { key: string; kind: CostRowKind }[];
  /** Per bucket start (ms), each series' cost as decimal text (absent when nothing). */
  points: { bucketMs: number; costs: Record<string, string> }[];
}

export function trendBucket(fromMs: number, toMs: number): Exclude<CostBucket, null> {
  return toMs - fromMs <= TWO_DAYS_MS ? 'hour' : 'day';
}

/** `topKeys`: the groups drawn by name (the summary's largest workload groups). */
export async function costTrend(
  db: Db,
  request: CostRequest,
  options: SharedCostOptions,
  topKeys: readonly string[],
): Promise<CostTrend> {
  const bucket = trendBucket(request.fromMs, request.toMs);
  const [pods, nodes, shared] = await Promise.all([
    podCostSums(db, request, request.by, bucket, topKeys.slice(0, TREND_TOP_GROUPS)),
    nodeCostSums(db, request, bucket),
    sharedCostSums(db, request, bucket),
  ]);
  const buckets = [...new Set([...pods, ...nodes, ...shared].map((r) => r.bucketMs ?? 0))].sort((a, b) => a - b);
  const series = new Map<string, CostRowKind>();
  const points = buckets.map((bucketMs) => {
    const at = <T extends { bucketMs: number | null }>(rows: readonly T[]): T[] =>
      rows.filter((r) => r.bucketMs === bucketMs);
    const { rows } = groupRows(at(pods), at(nodes), at(shared), options, request.by, bucketMs);
    const costs: Record<string, string> = {};
    for (const row of rows) {
      costs[row.key] = row.cost;
      series.set(row.key, row.kind);
    }
    return { bucketMs, costs };
  });
  const order: CostRowKind[] = ['workload', 'other', 'shared', 'idle'];
  const sorted = [...series]
    .map(([key, kind]) => ({ key, kind }))
    .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || topKeys.indexOf(a.key) - topKeys.indexOf(b.key));
  return { bucket, series: sorted, points };
}
