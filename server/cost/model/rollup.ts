// Cost rows summed by cluster, team, namespace, workload, pod or any pod label, over any number of
// hours, with efficiency per resource: used ÷ paid (the usage-based charge ÷ the charge).
import type Decimal from 'decimal.js';
import type { PodHour, PodHourAllocation } from '../types';
import { ZERO } from './money';
import { IDLE_ROW, rowTotal, SHARED_ROW, type CostRow } from './shared';

export type RollupDimension = 'cluster' | 'team' | 'namespace' | 'workload' | 'pod' | { label: string };

/** The key of pods without a team or without the label grouped by. */
export const UNASSIGNED = '__unassigned__';

/** Σ of the pods' charges per resource, both GPU bases, and the usage-based parts. */
type ResourceCharges = Pick<PodHourAllocation, 'cpu' | 'memory' | 'gpuReserved' | 'gpuUsed' | 'cpuUsed' | 'memoryUsed'>;

export interface CostGroup extends ResourceCharges {
  key: string;
  /** Own cost (cpu + memory + GPU by reservation; or the fee or idle amount). */
  cost: Decimal;
  sharedShare: Decimal;
  idleShare: Decimal;
  total: Decimal;
  podHours: number;
  /** Used ÷ paid per resource (GPU: by use ÷ by reservation); null when nothing was paid. */
  efficiency: { cpu: number | null; memory: number | null; gpu: number | null };
}

function podKey(pod: PodHour, by: RollupDimension): string {
  if (typeof by === 'object') return pod.labels[by.label] ?? UNASSIGNED;
  switch (by) {
    case 'cluster':
      return pod.cluster;
    case 'team':
      return pod.team ?? UNASSIGNED;
    case 'namespace':
      return pod.namespace;
    case 'workload':
      return `${pod.namespace}/${pod.workloadKind}/${pod.workloadName}`;
    case 'pod':
      return `${pod.namespace}/${pod.pod}`;
  }
}

/** Idle and shared rows keep their own key in every dimension: they belong to no workload. */
function rowKey(row: CostRow, by: RollupDimension): string {
  if (row.kind === 'idle') return IDLE_ROW;
  if (row.kind === 'shared') return SHARED_ROW;
  return row.allocation ? podKey(row.allocation.pod, by) : UNASSIGNED;
}

function emptyGroup(key: string): CostGroup {
  return {
    key,
    cost: ZERO,
    sharedShare: ZERO,
    idleShare: ZERO,
    total: ZERO,
    cpu: ZERO,
    memory: ZERO,
    gpuReserved: ZERO,
    gpuUsed: ZERO,
    cpuUsed: ZERO,
    memoryUsed: ZERO,
    podHours: 0,
    efficiency: { cpu: null, memory: null, gpu: null },
  };
}

function ratio(used: Decimal, paid: Decimal): number | null {
  return paid.isZero() ? null : used.dividedBy(paid).toNumber();
}

function add(group: CostGroup, row: CostRow): void {
  group.cost = group.cost.plus(row.cost);
  group.sharedShare = group.sharedShare.plus(row.sharedShare);
  group.idleShare = group.idleShare.plus(row.idleShare);
  group.total = group.total.plus(rowTotal(row));
  const a = row.allocation;
  if (!a) return;
  group.cpu = group.cpu.plus(a.cpu);
  group.memory = group.memory.plus(a.memory);
  group.gpuReserved = group.gpuReserved.plus(a.gpuReserved);
  group.gpuUsed = group.gpuUsed.plus(a.gpuUsed);
  group.cpuUsed = group.cpuUsed.plus(a.cpuUsed);
  group.memoryUsed = group.memoryUsed.plus(a.memoryUsed);
  group.podHours += a.pod.hoursPresent;
}

/** Groups by `by`, largest total first (ties by key); Σ group totals = Σ row totals exactly. */
export function rollupCosts(rows: readonly CostRow[], by: RollupDimension): CostGroup[] {
  const groups = new Map<string, CostGroup>();
  for (const row of rows) {
    const key = rowKey(row, by);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = emptyGroup(key)));
    add(group, row);
  }
  const result = [...groups.values()];
  for (const g of result) {
    g.efficiency = {
      cpu: ratio(g.cpuUsed, g.cpu),
      memory: ratio(g.memoryUsed, g.memory),
      gpu: ratio(g.gpuUsed, g.gpuReserved),
    };
  }
  return result.sort((a, b) => b.total.comparedTo(a.total) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
