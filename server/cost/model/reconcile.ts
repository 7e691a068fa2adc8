// Reconciliation of one day and cluster: what the bill says against allocated + idle + shared, and what
// the gap is made of. Arithmetic only: the caller passes the bill's figures and the allocation's rows.
import Decimal from 'decimal.js';
import { sumMoney, ZERO } from './money';
import type { CostRow } from './shared';

/** A bill line of the cluster that no node matched (a volume, a load balancer, egress…). */
export interface UnmatchedBillLine {
  resourceId: string | null;
  effectiveCost: Decimal;
}

/** A node-hour that was billed but not allocated because Prometheus had no metrics for it. */
export interface NodeHourWithoutMetrics {
  node: string;
  hourStart: Date;
  effectiveCost: Decimal;
}

/** The day's figures, as passed in and as reported. */
interface DayFigures {
  day: string;
  cluster: string;
  currency: string;
  /** Σ EffectiveCost of the cluster's resources that day, unmatched lines included. */
  billed: Decimal;
  allocated: Decimal;
  idle: Decimal;
  shared: Decimal;
}

export interface ReconcileInput extends DayFigures {
  unmatchedBillLines: readonly UnmatchedBillLine[];
  nodeHoursWithoutMetrics: readonly NodeHourWithoutMetrics[];
}

export interface Reconciliation extends DayFigures {
  /** billed − (allocated + idle + shared): positive when the bill holds more than was allocated. */
  gap: Decimal;
  /** gap ÷ billed × 100, to 4 decimal places; null when nothing was billed. */
  gapPercent: Decimal | null;
  gapParts: {
    unmatchedBillLines: { count: number; cost: Decimal };
    nodeHoursWithoutMetrics: { count: number; cost: Decimal };
    /** What the two known parts do not explain (rounding, timing, or a bug to look at). */
    unexplained: Decimal;
  };
}

/** allocated, idle and shared of a day's rows, whatever the modes: spread shares count where they came from. */
export function allocationTotals(rows: readonly CostRow[]): { allocated: Decimal; idle: Decimal; shared: Decimal } {
  let allocated = ZERO;
  let idle = ZERO;
  let shared = ZERO;
  for (const row of rows) {
    if (row.kind === 'workload') allocated = allocated.plus(row.cost);
    else if (row.kind === 'idle') idle = idle.plus(row.cost);
    else shared = shared.plus(row.cost);
    idle = idle.plus(row.idleShare);
    shared = shared.plus(row.sharedShare);
  }
  return { allocated, idle, shared };
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const { day, cluster, currency, billed, allocated, idle, shared } = input;
  const gap = billed.minus(allocated).minus(idle).minus(shared);
  const unmatched = sumMoney(input.unmatchedBillLines.map((line) => line.effectiveCost));
  const withoutMetrics = sumMoney(input.nodeHoursWithoutMetrics.map((hour) => hour.effectiveCost));
  return {
    day,
    cluster,
    currency,
    billed,
    allocated,
    idle,
    shared,
    gap,
    gapPercent: billed.isZero() ? null : gap.dividedBy(billed).times(100).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN),
    gapParts: {
      unmatchedBillLines: { count: input.unmatchedBillLines.length, cost: unmatched },
      nodeHoursWithoutMetrics: { count: input.nodeHoursWithoutMetrics.length, cost: withoutMetrics },
      unexplained: gap.minus(unmatched).minus(withoutMetrics),
    },
  };
}
