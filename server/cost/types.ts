// The cost model's inputs and outputs (../shared/DESIGN.md, "Cost model"). The model itself
// (server/cost/model/) is pure: it sees one node-hour at a time and never does I/O. The inputs are
// built from Prometheus and the bill (server/cost/inputs/), the results written hourly by the
// allocation job (server/cost/job.ts). Money is decimal.js, quantities are plain numbers in the
// units their names say.
import type Decimal from 'decimal.js';

export type CostResource = 'cpu' | 'memory' | 'gpu';

/** Where a node-hour's price came from, best first; shown beside every figure that uses it. */
export type NodeCostSource = 'bill' | 'opencost' | 'price-sheet';

/** How a pod holds GPU capacity on its node. */
export type GpuHolding =
  | { kind: 'whole'; devices: number }
  /** MIG instances of one profile, e.g. '1g.10gb'; the share of a device is its compute slices ÷ 7. */
  | { kind: 'mig'; profile: string; instances: number }
  /** Time-sliced replicas (resource nvidia.com/gpu shared); the device is split by the node's replica count. */
  | { kind: 'time-sliced'; replicas: number };

export interface NodeHour {
  cluster: string;
  node: string;
  /** spec.providerID, e.g. aws:///us-east-1a/i-0abc…; the bill's ResourceId is its last segment. */
  providerId: string | null;
  instanceType: string | null;
  hourStart: Date;
  /** Part of the hour the node existed (0–1): a node that joined at :30 is charged half an hour. */
  hoursPresent: number;
  cpuCores: number;
  memoryBytes: number;
  /** Physical GPU devices. */
  gpuDevices: number;
  gpuModel: string | null;
  /** Time-slicing replicas per device (1 when not time-sliced). */
  gpuTimeSliceReplicas: number;
  /** Average DCGM engine activity per device over the hour (0–1), by device index; empty when unknown. */
  gpuActivityByDevice: number[];
}

export interface PodHour {
  cluster: string;
  namespace: string;
  pod: string;
  node: string;
  /** Owner resolved to the top controller (ReplicaSet → Deployment, Job → CronJob/Workflow). */
  workloadKind: string;
  workloadName: string;
  /** The team label of the pod or its namespace, or the settings' namespace mapping; null when none. */
  team: string | null;
  labels: Record<string, string>;
  /** Part of the hour the pod ran (0–1). */
  hoursPresent: number;
  cpuRequestCores: number;
  cpuUsageCores: number;
  memoryRequestBytes: number;
  memoryUsageBytes: number;
  gpu: GpuHolding | null;
  /** Device indexes on the node the pod holds (whole or time-sliced), for use-basis attribution. */
  gpuDeviceIndexes: number[];
  /**
   * The pod's own DCGM engine activity over the time it ran when DCGM labels it, else null: in devices
   * kept busy (0–1 for one device or a MIG instance scaled to its device; Σ over devices for several).
   */
  gpuActivity: number | null;
}

/** A node-hour's cost and its split into resources; cpu + memory + gpu = total exactly. */
export interface NodeHourCost {
  total: Decimal;
  cpu: Decimal;
  memory: Decimal;
  gpu: Decimal;
  currency: string;
  source: NodeCostSource;
}

/** One pod's cost for one hour, by resource, on both GPU bases. */
export interface PodHourAllocation {
  pod: PodHour;
  cpu: Decimal;
  memory: Decimal;
  /** GPU cost by reservation: what the pod holds. */
  gpuReserved: Decimal;
  /** GPU cost by use: the device cost × the pod's engine activity. */
  gpuUsed: Decimal;
  /** The part of `cpu` its usage accounts for (cpu × usage ÷ max(request, usage)): efficiency = used ÷ paid. */
  cpuUsed: Decimal;
  /** The part of `memory` its usage accounts for, likewise. */
  memoryUsed: Decimal;
  /** The quantities charged, for "show the working": max(request, usage) per resource, GPU device-hours. */
  chargedCpuCoreHours: number;
  chargedMemoryByteHours: number;
  chargedGpuDeviceHours: number;
}

/** A node-hour allocated: pods, and the idle that is left (never negative). */
export interface NodeHourAllocation {
  node: NodeHour;
  cost: NodeHourCost;
  pods: PodHourAllocation[];
  idle: { cpu: Decimal; memory: Decimal; gpuReserved: Decimal; gpuUsed: Decimal };
  /** True when the pods' charges exceeded the node's cost and were scaled down to it. */
  scaledDown: boolean;
}
