import 'server-only';
import Decimal from 'decimal.js';
import type { Db } from '@/server/db/client';
import {
  costRunDays,
  coveredHours,
  nodeCostSums,
  OTHER_KEY,
  podCostSums,
  sharedCostSums,
  type CostDimension,
  type CostReadWindow,
  type NodeCostSums,
  type PodCostSums,
} from '@/server/db/cost-read';
import { costGroupsOf, costRowsOf } from './cost-groups';
import { allocationTotals } from './model/reconcile';
import { UNASSIGNED } from './model/rollup';
import { IDLE_ROW, SHARED_ROW, type SharedCostOptions } from './model/shared';

// The Cost page's figures for a window: totals by group with idle and shared rows (or spread, by the
// setting), efficiency and the monthly waste it implies, and the trend. Money leaves as decimal text.

const HOUR_MS = 3_600_000;
/** A month of hours as cloud price sheets count it (8,760 ÷ 12). */
export const MONTH_HOURS = 730;

export type CostRowKind = 'workload' | 'idle' | 'shared' | 'other';
export type CostSource = 'bill' | 'opencost' | 'price-sheet';

export interface CostGroupKeys {
  cluster?: string;
  team?: string;
  namespace?: string;
  workloadKind?: string;
  workloadName?: string;
  pod?: string;
}

export interface CostGroupRow {
  key: string;
  kind: CostRowKind;
  keys: CostGroupKeys;
  /** Own cost + shares received: what the group is charged. */
  cost: string;
  ownCost: string;
  idleShare: string;
  sharedShare: string;
  cpu: string;
  memory: string;
  gpuReserved: string;
  gpuUsed: string;
  efficiency: { cpu: number | null; memory: number | null; gpu: number | null };
  podHours: number;
  /** Where the prices of its node-hours came from; an estimate unless all came from the bill. */
  sources: CostSource[];
  estimate: boolean;
}

export interface CostSummary {
  fromMs: number;
  toMs: number;
  by: CostDimension;
  currency: string;
  sharing: { idle: 'row' | 'spread'; shared: 'row' | 'spread' };
  groups: CostGroupRow[];
  totals: { cost: string; allocated: string; idle: string; shared: string; nodeCost: string };
  /** Used ÷ paid over the node-hours: usage-based charges ÷ what the nodes cost. */
  efficiency: { used: string; paid: string; ratio: number | null; wasteMonthly: string; coveredHours: number };
  sources: { source: CostSource; nodeHours: number; cost: string }[];
  coverage: { daysComplete: number; daysInProgress: number; hoursWithoutMetrics: number; daysInWindow: number };
}

export interface CostRequest extends CostReadWindow {
  by: CostDimension;
}

function keysOf(sums: PodCostSums, by: CostDimension): CostGroupKeys {
  switch (by) {
    case 'cluster':
      return { cluster: sums.cluster };
    case 'team':
      return { team: sums.team || UNASSIGNED };
    case 'namespace':
      return { namespace: sums.namespace };
    case 'workload':
      return {
        cluster: sums.cluster,
        namespace: sums.namespace,
        workloadKind: sums.workloadKind,
        workloadName: sums.workloadName,
      };
    case 'pod':
      return {
        cluster: sums.cluster,
        namespace: sums.namespace,
        pod: sums.pod,
        workloadKind: sums.workloadKind,
        workloadName: sums.workloadName,
      };
  }
}

function kindOf(key: string): CostRowKind {
  if (key === IDLE_ROW) return 'idle';
  if (key === SHARED_ROW) return 'shared';
  return key === OTHER_KEY ? 'other' : 'workload';
}

const money = (value: Decimal): string => value.toFixed();

/** Groups of the window as rows, sources per key from the pod sums (the cluster's sources for idle and shared). */
export function groupRows(
  pods: readonly PodCostSums[],
  nodes: readonly NodeCostSums[],
  shared: Parameters<typeof costRowsOf>[0]['shared'],
  options: SharedCostOptions,
  by: CostDimension,
  fromMs: number,
): { rows: CostGroupRow[]; totals: ReturnType<typeof allocationTotals> } {
  const costRows = costRowsOf({ pods, nodes, shared }, options, fromMs);
  const meta = new Map<string, { keys: CostGroupKeys; sources: Set<string> }>();
  for (const p of pods) {
    const entry = meta.get(p.key) ?? { keys: keysOf(p, by), sources: new Set<string>() };
    for (const s of p.sources) entry.sources.add(s);
    meta.set(p.key, entry);
  }
  const nodeSources = new Set(nodes.map((n) => n.costSource));
  const rows = costGroupsOf(costRows).map((g): CostGroupRow => {
    const kind = kindOf(g.key);
    const sources = [
      ...(kind === 'idle' || kind === 'shared' ? nodeSources : (meta.get(g.key)?.sources ?? [])),
    ].sort() as CostSource[];
    return {
      key: g.key,
      kind,
      keys: meta.get(g.key)?.keys ?? {},
      cost: money(g.total),
      ownCost: money(g.cost),
      idleShare: money(g.idleShare),
      sharedShare: money(g.sharedShare),
      cpu: money(g.cpu),
      memory: money(g.memory),
      gpuReserved: money(g.gpuReserved),
      gpuUsed: money(g.gpuUsed),
      efficiency: g.efficiency,
      podHours: g.podHours,
      sources,
      estimate: sources.some((s) => s !== 'bill'),
    };
  });
  return { rows, totals: allocationTotals(costRows) };
}

function efficiencyOf(
  pods: readonly PodCostSums[],
  nodes: readonly NodeCostSums[],
  hours: number,
): CostSummary['efficiency'] {
  const used = pods.reduce((t, p) => t.plus(p.cpuUsed).plus(p.memoryUsed).plus(p.gpuUsed), new Decimal(0));
  const paid = nodes.reduce((t, n) => t.plus(n.total), new Decimal(0));
  const waste = Decimal.max(paid.minus(used), 0);
  return {
    used: money(used),
    paid: money(paid),
    ratio: paid.isZero() ? null : used.dividedBy(paid).toNumber(),
    wasteMonthly: hours === 0 ? '0' : money(waste.times(MONTH_HOURS).dividedBy(hours).toDecimalPlaces(10)),
    coveredHours: hours,
  };
}

function sourcesOf(nodes: readonly NodeCostSums[]): CostSummary['sources'] {
  const bySource = new Map<string, { nodeHours: number; cost: Decimal }>();
  for (const n of nodes) {
    const entry = bySource.get(n.costSource) ?? { nodeHours: 0, cost: new Decimal(0) };
    bySource.set(n.costSource, { nodeHours: entry.nodeHours + n.nodeHours, cost: entry.cost.plus(n.total) });
  }
  return [...bySource].map(([source, v]) => ({
    source: source as CostSource,
    nodeHours: v.nodeHours,
    cost: money(v.cost),
  }));
}

export async function costSummary(db: Db, request: CostRequest, options: SharedCostOptions): Promise<CostSummary> {
  const [pods, nodes, shared, runs, hours] = await Promise.all([
    podCostSums(db, request, request.by),
    nodeCostSums(db, request),
    sharedCostSums(db, request),
    costRunDays(db, request),
    coveredHours(db, request),
  ]);
  const { rows, totals } = groupRows(pods, nodes, shared, options, request.by, request.fromMs);
  const nodeCost = nodes.reduce((t, n) => t.plus(n.total), new Decimal(0));
  return {
    fromMs: request.fromMs,
    toMs: request.toMs,
    by: request.by,
    currency: nodes[0]?.currency ?? 'USD',
    sharing: { idle: options.idle, shared: options.shared },
    groups: rows,
    totals: {
      cost: money(totals.allocated.plus(totals.idle).plus(totals.shared)),
      allocated: money(totals.allocated),
      idle: money(totals.idle),
      shared: money(totals.shared),
      nodeCost: money(nodeCost),
    },
    efficiency: efficiencyOf(pods, nodes, hours),
    sources: sourcesOf(nodes),
    coverage: {
      daysComplete: runs.filter((r) => r.hoursComputed >= 24).length,
      daysInProgress: runs.filter((r) => r.hoursComputed < 24).length,
      hoursWithoutMetrics: runs.reduce((t, r) => t + r.hoursWithoutMetrics, 0),
      daysInWindow: Math.ceil((request.toMs - request.fromMs) / (24 * HOUR_MS)),
    },
  };
}
