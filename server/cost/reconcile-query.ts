import 'server-only';
import Decimal from 'decimal.js';
import type { Db } from '@/server/db/client';
import {
  costRunDays,
  nodeCostSums,
  nodeInstanceIds,
  podCostSums,
  sharedCostSums,
  type CostReadWindow,
} from '@/server/db/cost-read';
import { costRowsOf } from './cost-groups';
import { billCostInputs, spreadOverHours, type BillInputs } from './inputs/bill-inputs';
import { allocationTotals, reconcile } from './model/reconcile';
import type { SharedCostOptions } from './model/shared';

// Reconciliation per day and cluster (model/reconcile.ts): the bill's EffectiveCost of the cluster's
// resources over the hours the job has allocated, against allocated + idle + shared of those hours.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ReconcileRow {
  day: string;
  cluster: string;
  currency: string;
  billed: string;
  allocated: string;
  idle: string;
  shared: string;
  gap: string;
  gapPercent: string | null;
  /** Instance lines tagged with the cluster that no node with metrics matches, over the day. */
  unmatchedLines: { count: number; cost: string };
  unexplained: string;
  /** Hours of the day allocated so far (the figures cover these), and hours Prometheus had no node for. */
  hoursComputed: number;
  hoursWithoutMetrics: number;
}

function billedIn(bill: BillInputs, fromMs: number, toMs: number) {
  let billed = new Decimal(0);
  const inHours = (hour: number): boolean => hour >= fromMs && hour < toMs;
  for (const hours of bill.nodeHours.values()) {
    for (const [hour, { cost }] of hours) if (inHours(hour)) billed = billed.plus(cost);
  }
  for (const [hour, items] of bill.sharedHours) {
    if (inHours(hour)) for (const item of items) billed = billed.plus(item.cost);
  }
  const unmatched = bill.unmatchedLines
    .map((line) => ({
      resourceId: line.resourceId,
      effectiveCost: spreadOverHours(line, fromMs, toMs).reduce((t, [, c]) => t.plus(c), new Decimal(0)),
    }))
    .filter((line) => !line.effectiveCost.isZero());
  for (const line of unmatched) billed = billed.plus(line.effectiveCost);
  return { billed, unmatched };
}

/** One row per cluster-day the job has started in the window's days, oldest first. */
export async function reconcileDays(
  db: Db,
  window: CostReadWindow,
  options: SharedCostOptions,
): Promise<ReconcileRow[]> {
  const days: CostReadWindow = {
    fromMs: Math.floor(window.fromMs / DAY_MS) * DAY_MS,
    toMs: Math.ceil(window.toMs / DAY_MS) * DAY_MS,
    clusters: window.clusters,
  };
  const [runs, pods, nodes, shared, instanceIds] = await Promise.all([
    costRunDays(db, days),
    podCostSums(db, days, 'cluster', 'day'),
    nodeCostSums(db, days, 'day'),
    sharedCostSums(db, days, 'day'),
    nodeInstanceIds(db, days),
  ]);
  const bills = new Map<string, BillInputs>();
  for (const cluster of new Set(runs.map((r) => r.cluster))) {
    const ids = instanceIds.get(cluster) ?? [];
    bills.set(cluster, await billCostInputs(db, { cluster, instanceIds: ids, ...days }));
  }
  // Every figure is of the day's allocated hours only: a day still running is compared hour for hour.
  const rowOptions: SharedCostOptions = { ...options, idle: 'row', shared: 'row' };
  return runs.map((run): ReconcileRow => {
    const dayMs = Date.parse(`${run.day}T00:00:00Z`);
    const of = <T extends { bucketMs: number | null; cluster: string }>(rows: readonly T[]): T[] =>
      rows.filter((r) => r.bucketMs === dayMs && r.cluster === run.cluster);
    const totals = allocationTotals(
      costRowsOf({ pods: of(pods), nodes: of(nodes), shared: of(shared) }, rowOptions, dayMs),
    );
    const { billed, unmatched } = billedIn(bills.get(run.cluster)!, dayMs, dayMs + run.hoursComputed * HOUR_MS);
    const result = reconcile({
      day: run.day,
      cluster: run.cluster,
      currency: of(nodes)[0]?.currency ?? 'USD',
      billed,
      ...totals,
      unmatchedBillLines: unmatched,
      nodeHoursWithoutMetrics: [],
    });
    return {
      day: run.day,
      cluster: run.cluster,
      currency: result.currency,
      billed: result.billed.toFixed(),
      allocated: result.allocated.toFixed(),
      idle: result.idle.toFixed(),
      shared: result.shared.toFixed(),
      gap: result.gap.toFixed(),
      gapPercent: result.gapPercent?.toFixed() ?? null,
      unmatchedLines: {
        count: result.gapParts.unmatchedBillLines.count,
        cost: result.gapParts.unmatchedBillLines.cost.toFixed(),
      },
      unexplained: result.gapParts.unexplained.toFixed(),
      hoursComputed: run.hoursComputed,
      hoursWithoutMetrics: run.hoursWithoutMetrics,
    };
  });
}
