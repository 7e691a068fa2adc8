// The allocation as a FOCUS 1.3 dataset: each node-hour's bill line (the origin charge) split into one
// allocated charge per pod and one for the unallocated (idle) portion, per the spec's "Data
// Generator-Calculated Split Cost Allocation": dimensions and unit prices copied, summable metrics split
// so that they add up to the origin's exactly, Allocated* columns filled.
import Decimal from 'decimal.js';
import type { NodeHourAllocation, PodHourAllocation } from '../types';
import { splitByWeights } from './money';
import { podCost } from './shared';

/** A bill line or an allocated row: FOCUS column name → its text (JSON columns as JSON text), null when empty. */
export type FocusLine = Readonly<Record<string, string | null>>;

/** Documented in server/cost/README.md ("FOCUS allocation"). */
export const ALLOCATED_METHOD_ID = 'burnrate-kubernetes-pod-hour-v1';

/** Burnrate's own (data generator-defined) tag keys carry this prefix; pod labels are the one user-defined scheme. */
export const TAG_PREFIX = 'burnrate.io/';

/** Metric columns that add up across allocated charges; every other column is copied from the origin. */
export const SUMMABLE_COLUMNS: readonly string[] = [
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ContractedCost',
  'PricingQuantity',
  'ConsumedQuantity',
  'PricingCurrencyEffectiveCost',
  'CommitmentDiscountQuantity',
];

interface Element {
  AllocatedRatio: number;
  UsageUnit: string;
  UsageQuantity?: number;
}

function ratio(part: Decimal, total: Decimal): number {
  return total.isZero() ? 0 : part.dividedBy(total).toNumber();
}

function podElements(a: PodHourAllocation, total: Decimal): Element[] {
  return [
    { AllocatedRatio: ratio(a.cpu, total), UsageUnit: 'vCPU-Hours', UsageQuantity: a.chargedCpuCoreHours },
    {
      AllocatedRatio: ratio(a.memory, total),
      UsageUnit: 'GiB-Hours',
      UsageQuantity: a.chargedMemoryByteHours / 1024 ** 3,
    },
    { AllocatedRatio: ratio(a.gpuReserved, total), UsageUnit: 'GPU-Hours', UsageQuantity: a.chargedGpuDeviceHours },
  ];
}

function originTagKeys(origin: FocusLine): Set<string> {
  const tags = origin.Tags;
  if (!tags) return new Set();
  try {
    const parsed: unknown = JSON.parse(tags);
    return new Set(parsed && typeof parsed === 'object' ? Object.keys(parsed) : []);
  } catch {
    throw new RangeError(`origin charge: Tags is not a JSON object: ${tags.slice(0, 80)}`);
  }
}

/** The pod's labels and Burnrate's keys for it, less any key the origin's Tags already hold. */
function allocatedTags(a: PodHourAllocation, node: string, skip: Set<string>): string {
  const p = a.pod;
  const own: Record<string, string> = {
    [`${TAG_PREFIX}cluster`]: p.cluster,
    [`${TAG_PREFIX}node`]: node,
    [`${TAG_PREFIX}namespace`]: p.namespace,
    [`${TAG_PREFIX}workload`]: `${p.workloadKind}/${p.workloadName}`,
    ...(p.team === null ? {} : { [`${TAG_PREFIX}team`]: p.team }),
  };
  const all = { ...p.labels, ...own };
  return JSON.stringify(Object.fromEntries(Object.entries(all).filter(([key]) => !skip.has(key))));
}

/**
 * The origin bill line of a node-hour split by the allocation: each pod's share is its own cost
 * (cpu + memory + GPU by reservation) ÷ the node's cost; the idle row takes the rest and has no
 * AllocatedResourceId (the spec's unallocated portion). Σ of each summable column = the origin's, exactly.
 */
export function focusAllocationRows(origin: FocusLine, allocation: NodeHourAllocation): FocusLine[] {
  const { cost, idle, pods } = allocation;
  const idleCost = idle.cpu.plus(idle.memory).plus(idle.gpuReserved);
  // Idle first: a node that cost nothing puts every summable figure on the idle row.
  const weights = [idleCost, ...pods.map(podCost)];
  const splits = new Map<string, Decimal[]>();
  for (const column of SUMMABLE_COLUMNS) {
    const value = origin[column];
    if (value === undefined || value === null || value === '') continue;
    splits.set(column, splitByWeights(new Decimal(value), weights));
  }
  const share = (index: number): Record<string, string> =>
    Object.fromEntries([...splits].map(([column, parts]) => [column, (parts[index] ?? new Decimal(0)).toFixed()]));
  const skip = originTagKeys(origin);
  const rows: FocusLine[] = pods.map((a, i) => ({
    ...origin,
    ...share(i + 1),
    AllocatedMethodId: ALLOCATED_METHOD_ID,
    AllocatedMethodDetails: JSON.stringify({ Elements: podElements(a, cost.total) }),
    AllocatedResourceId: `${a.pod.namespace}/${a.pod.pod}`,
    AllocatedResourceName: a.pod.pod,
    AllocatedTags: allocatedTags(a, allocation.node.node, skip),
  }));
  const idleElements: Element[] = [
    { AllocatedRatio: ratio(idle.cpu, cost.total), UsageUnit: 'vCPU-Hours' },
    { AllocatedRatio: ratio(idle.memory, cost.total), UsageUnit: 'GiB-Hours' },
    { AllocatedRatio: ratio(idle.gpuReserved, cost.total), UsageUnit: 'GPU-Hours' },
  ];
  rows.push({
    ...origin,
    ...share(0),
    AllocatedMethodId: ALLOCATED_METHOD_ID,
    AllocatedMethodDetails: JSON.stringify({ Elements: idleElements, x_Unallocated: true }),
    AllocatedResourceId: null,
    AllocatedResourceName: null,
    AllocatedTags: null,
  });
  return rows;
}
