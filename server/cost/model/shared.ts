// Shared costs (system namespaces, cluster fees such as the EKS control plane) and idle: each either
// its own row or spread over the cluster's workloads in proportion to their cost, by a setting.
import type Decimal from 'decimal.js';
import type { NodeHourAllocation, PodHourAllocation } from '../types';
import { splitByWeights, sumMoney, ZERO } from './money';

export const IDLE_ROW = '__idle__';
export const SHARED_ROW = '__shared__';

/** Namespaces whose pods serve the whole cluster; a setting, these are its defaults. */
export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'monitoring',
  'gpu-operator',
  'amazon-cloudwatch',
];

export type SpreadMode = 'row' | 'spread';

export interface SharedCostOptions {
  systemNamespaces: readonly string[];
  shared: SpreadMode;
  idle: SpreadMode;
}

/** A cluster-level charge no node carries (control plane fee, load balancer…), for the window allocated. */
export interface ClusterFee {
  cluster: string;
  name: string;
  cost: Decimal;
}

export type CostRowKind = 'workload' | 'shared' | 'idle';

/** One line of the allocation: a workload pod, a shared cost, or a node's idle. */
export interface CostRow {
  kind: CostRowKind;
  cluster: string;
  /** The node for pod and idle rows; null for a cluster fee. */
  node: string | null;
  /** Pod name, fee name, or IDLE_ROW. */
  name: string;
  hourStart: Date | null;
  /** The pod's allocation (workload rows, and system pods kept as shared rows); null for fees and idle. */
  allocation: PodHourAllocation | null;
  /** The row's own cost: cpu + memory + GPU by reservation for a pod; the amount for a fee or idle. */
  cost: Decimal;
  /** What this row received when shared costs or idle were spread (zero in row mode). */
  sharedShare: Decimal;
  idleShare: Decimal;
}

/** A pod's own cost: what it holds, GPU on the reservation basis (the basis the bill adds up to). */
export function podCost(allocation: PodHourAllocation): Decimal {
  return allocation.cpu.plus(allocation.memory).plus(allocation.gpuReserved);
}

export function rowTotal(row: CostRow): Decimal {
  return row.cost.plus(row.sharedShare).plus(row.idleShare);
}

function rowsOf(allocations: readonly NodeHourAllocation[], fees: readonly ClusterFee[], system: Set<string>) {
  const rows: CostRow[] = [];
  for (const a of allocations) {
    const base = {
      cluster: a.node.cluster,
      node: a.node.node,
      hourStart: a.node.hourStart,
      sharedShare: ZERO,
      idleShare: ZERO,
    };
    for (const pod of a.pods) {
      const kind = system.has(pod.pod.namespace) ? 'shared' : 'workload';
      rows.push({ ...base, kind, name: pod.pod.pod, allocation: pod, cost: podCost(pod) });
    }
    const idle = a.idle.cpu.plus(a.idle.memory).plus(a.idle.gpuReserved);
    rows.push({ ...base, kind: 'idle', name: IDLE_ROW, allocation: null, cost: idle });
  }
  for (const fee of fees) {
    rows.push({
      kind: 'shared',
      cluster: fee.cluster,
      node: null,
      name: fee.name,
      hourStart: null,
      allocation: null,
      cost: fee.cost,
      sharedShare: ZERO,
      idleShare: ZERO,
    });
  }
  return rows;
}

/**
 * Spreads the rows of `kind` over the cluster's workload rows in proportion to their own cost, and
 * drops them; kept as rows in a cluster whose workloads cost nothing (there is nothing to weigh by).
 */
function spread(rows: CostRow[], kind: 'shared' | 'idle'): CostRow[] {
  const kept: CostRow[] = [];
  const byCluster = new Map<string, CostRow[]>();
  for (const row of rows) {
    const list = byCluster.get(row.cluster);
    if (list) list.push(row);
    else byCluster.set(row.cluster, [row]);
  }
  for (const clusterRows of byCluster.values()) {
    const spreadRows = clusterRows.filter((row) => row.kind === kind);
    const targets = clusterRows.filter((row) => row.kind === 'workload');
    const weights = targets.map((row) => row.cost);
    if (spreadRows.length === 0 || sumMoney(weights).isZero()) {
      kept.push(...clusterRows);
      continue;
    }
    const shares = splitByWeights(sumMoney(spreadRows.map((row) => row.cost)), weights);
    const field = kind === 'shared' ? 'sharedShare' : 'idleShare';
    const given = new Map(targets.map((row, i) => [row, shares[i] ?? ZERO]));
    for (const row of clusterRows) {
      if (row.kind === kind) continue;
      const share = given.get(row);
      kept.push(share ? { ...row, [field]: row[field].plus(share) } : row);
    }
  }
  return kept;
}

/**
 * The allocation's rows with shared costs and idle each as rows (kinds 'shared' and 'idle') or
 * spread over the workloads of their cluster. Spreading happens over everything passed in, so the
 * caller picks the window (an hour, a day). Σ rowTotal is the same in every mode, exactly.
 */
export function shareCosts(
  allocations: readonly NodeHourAllocation[],
  fees: readonly ClusterFee[],
  options: SharedCostOptions,
): CostRow[] {
  let rows = rowsOf(allocations, fees, new Set(options.systemNamespaces));
  if (options.shared === 'spread') rows = spread(rows, 'shared');
  if (options.idle === 'spread') rows = spread(rows, 'idle');
  return rows;
}
