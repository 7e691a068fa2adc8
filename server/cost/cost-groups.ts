import Decimal from 'decimal.js';
import type { NodeCostSums, PodCostSums, SharedCostSums } from '@/server/db/cost-read';
import { rollupCosts } from './model/rollup';
import { shareCosts, type ClusterFee, type CostRow, type SharedCostOptions } from './model/shared';
import type { NodeHourAllocation, PodHourAllocation } from './types';

// The model's idle and shared rules (model/shared.ts, model/rollup.ts) applied to sums from SQL: each
// cluster's window becomes one allocation whose "pods" are the groups. Spreading is proportional,
// so spreading over group sums gives what spreading over every pod-hour gives, to the rounding.

/** The label the groups carry their key in, for rollupCosts. */
const GROUP_LABEL = 'burnrate.group';

const d = (text: string | null | undefined): Decimal => new Decimal(text ?? 0);

function groupAllocation(sums: PodCostSums): PodHourAllocation {
  return {
    pod: {
      cluster: sums.cluster,
      namespace: sums.namespace,
      pod: sums.key,
      node: '',
      workloadKind: sums.workloadKind,
      workloadName: sums.workloadName,
      team: sums.team || null,
      labels: { [GROUP_LABEL]: sums.key },
      hoursPresent: sums.podHours,
      cpuRequestCores: 0,
      cpuUsageCores: 0,
      memoryRequestBytes: 0,
      memoryUsageBytes: 0,
      gpu: null,
      gpuDeviceIndexes: [],
      gpuActivity: null,
    },
    cpu: d(sums.cpu),
    memory: d(sums.memory),
    gpuReserved: d(sums.gpuReserved),
    gpuUsed: d(sums.gpuUsed),
    cpuUsed: d(sums.cpuUsed),
    memoryUsed: d(sums.memoryUsed),
    chargedCpuCoreHours: 0,
    chargedMemoryByteHours: 0,
    chargedGpuDeviceHours: 0,
  };
}

function clusterAllocation(
  cluster: string,
  pods: PodCostSums[],
  nodes: NodeCostSums[],
  fromMs: number,
): NodeHourAllocation {
  const sum = (pick: (n: NodeCostSums) => string): Decimal =>
    nodes.reduce((t, n) => t.plus(d(pick(n))), new Decimal(0));
  const total = sum((n) => n.total);
  return {
    node: {
      cluster,
      node: '',
      providerId: null,
      instanceType: null,
      hourStart: new Date(fromMs),
      hoursPresent: 0,
      cpuCores: 0,
      memoryBytes: 0,
      gpuDevices: 0,
      gpuModel: null,
      gpuTimeSliceReplicas: 1,
      gpuActivityByDevice: [],
    },
    cost: {
      total,
      cpu: total,
      memory: new Decimal(0),
      gpu: new Decimal(0),
      currency: nodes[0]?.currency ?? '',
      source: 'bill',
    },
    pods: pods.map(groupAllocation),
    idle: {
      cpu: sum((n) => n.idleCpu),
      memory: sum((n) => n.idleMemory),
      gpuReserved: sum((n) => n.idleGpuReserved),
      gpuUsed: sum((n) => n.idleGpuUsed),
    },
    scaledDown: false,
  };
}

function byCluster<T extends { cluster: string }>(items: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(item.cluster, [...(map.get(item.cluster) ?? []), item]);
  return map;
}

export interface CostSums {
  pods: readonly PodCostSums[];
  nodes: readonly NodeCostSums[];
  shared: readonly SharedCostSums[];
}

/** The window's cost rows (model/shared.ts) from SQL sums: workload groups, shared, idle, as the options say. */
export function costRowsOf(sums: CostSums, options: SharedCostOptions, fromMs: number): CostRow[] {
  const pods = byCluster(sums.pods);
  const nodes = byCluster(sums.nodes);
  const clusters = [...new Set([...pods.keys(), ...nodes.keys()])].sort();
  const allocations = clusters.map((c) => clusterAllocation(c, pods.get(c) ?? [], nodes.get(c) ?? [], fromMs));
  const fees: ClusterFee[] = sums.shared.map((s) => ({ cluster: s.cluster, name: s.item, cost: d(s.cost) }));
  return shareCosts(allocations, fees, options);
}

export const groupDimension = { label: GROUP_LABEL } as const;

/** Groups by key, largest first, with idle and shared as their own keys when kept as rows. */
export function costGroupsOf(rows: readonly CostRow[]): ReturnType<typeof rollupCosts> {
  return rollupCosts(rows, groupDimension);
}
