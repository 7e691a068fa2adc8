import 'server-only';
import Decimal from 'decimal.js';
import type { Db } from '@/server/db/client';
import { clusterOtherBillLines, nodeBillLines, type BillLineSpan } from '@/server/db/cost-bill';
import { hourMs } from './prometheus-samples';

// What the bill says a cluster's nodes cost hour by hour (FOCUS EffectiveCost: after commitments
// and discounts), and what else it bills the cluster, for reconciliation.

/** Decimal places kept when a line is spread over hours; the hours of a line still sum to it exactly. */
const spreadDecimalPlaces = 10;

/** The bill's ResourceId of a node: the last segment of spec.providerID (`aws:///us-east-1a/i-0abc` → `i-0abc`). */
export function instanceIdOf(providerId: string | null): string | null {
  const id = providerId?.split('/').at(-1)?.trim();
  return id ? id : null;
}

export interface HourCost {
  cost: Decimal;
  currency: string;
}

export interface BillInputs {
  /** Instance id → hour start (ms) → the node's EffectiveCost for that hour. */
  nodeHours: Map<string, Map<number, HourCost>>;
  /** Hour start (ms) → the cluster's other billed items (control plane, volumes, transfer). */
  sharedHours: Map<number, { item: string; cost: Decimal; currency: string }[]>;
  /** Instance lines tagged with the cluster that no node of it matches. */
  unmatchedLines: BillLineSpan[];
  /** Billing imports whose lines priced the window, ascending. */
  importIds: number[];
}

/**
 * A line's cost over each whole hour of [fromMs, toMs) it overlaps, evenly by time (a daily line:
 * 1/24 an hour). Rounded on cumulative shares, so the hours of the whole line sum to its cost exactly.
 */
export function spreadOverHours(line: BillLineSpan, fromMs: number, toMs: number): [number, Decimal][] {
  const cost = new Decimal(line.effectiveCost);
  const lengthMs = line.endMs - line.startMs;
  if (lengthMs <= 0) return [];
  const shareTo = (ms: number): Decimal =>
    cost
      .times(Math.min(lengthMs, Math.max(0, ms - line.startMs)))
      .dividedBy(lengthMs)
      .toDecimalPlaces(spreadDecimalPlaces);
  const spread: [number, Decimal][] = [];
  const first = Math.max(fromMs, Math.floor(line.startMs / hourMs) * hourMs);
  for (let h = first; h < Math.min(toMs, line.endMs); h += hourMs) {
    spread.push([h, shareTo(h + hourMs).minus(shareTo(h))]);
  }
  return spread;
}

function addTo(map: Map<number, HourCost>, hour: number, cost: Decimal, currency: string): void {
  const previous = map.get(hour);
  map.set(hour, { cost: previous ? previous.cost.plus(cost) : cost, currency });
}

export interface BillInputsRequest {
  cluster: string;
  /** The instance ids of the cluster's nodes in the window. */
  instanceIds: readonly string[];
  fromMs: number;
  toMs: number;
}

export async function billCostInputs(db: Db, request: BillInputsRequest): Promise<BillInputs> {
  const { cluster, instanceIds, fromMs, toMs } = request;
  const [nodeLines, otherLines] = await Promise.all([
    nodeBillLines(db, instanceIds, fromMs, toMs),
    clusterOtherBillLines(db, cluster, instanceIds, fromMs, toMs),
  ]);
  const nodeHours = new Map<string, Map<number, HourCost>>();
  for (const line of nodeLines) {
    const id = line.resourceId!;
    const hours = nodeHours.get(id) ?? new Map<number, HourCost>();
    for (const [hour, cost] of spreadOverHours(line, fromMs, toMs)) addTo(hours, hour, cost, line.currency);
    nodeHours.set(id, hours);
  }
  const unmatchedLines = otherLines.filter((l) => l.resourceType === 'Virtual Machine');
  const sharedByItem = new Map<string, Map<number, HourCost>>();
  for (const line of otherLines) {
    if (line.resourceType === 'Virtual Machine') continue;
    const hours = sharedByItem.get(line.serviceName) ?? new Map<number, HourCost>();
    for (const [hour, cost] of spreadOverHours(line, fromMs, toMs)) addTo(hours, hour, cost, line.currency);
    sharedByItem.set(line.serviceName, hours);
  }
  const sharedHours = new Map<number, { item: string; cost: Decimal; currency: string }[]>();
  for (const [item, hours] of sharedByItem) {
    for (const [hour, { cost, currency }] of hours)
      sharedHours.set(hour, [...(sharedHours.get(hour) ?? []), { item, cost, currency }]);
  }
  const importIds = [...new Set([...nodeLines, ...otherLines].map((l) => l.importId))].sort((a, b) => a - b);
  return { nodeHours, sharedHours, unmatchedLines, importIds };
}
