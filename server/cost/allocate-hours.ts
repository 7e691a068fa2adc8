import 'server-only';
import type { SharedHourCost } from '@/server/db/cost-results';
import { instanceIdOf, type BillInputs } from './inputs/bill-inputs';
import type { HourInputs } from './inputs/prometheus-inputs';
import { allocateNodeHour } from './model/allocate';
import { nodeHourCost } from './model/node-cost';
import type { PriceSheet } from './model/price-sheet';
import type { NodeHourAllocation, PodHour } from './types';

export interface AllocatedHours {
  allocations: NodeHourAllocation[];
  shared: SharedHourCost[];
  nodeHours: number;
  podHours: number;
  /** Pods whose node kube_node_info did not name in that hour: not allocated, counted here. */
  podsWithoutNode: number;
}

/** Lets requests run between hours: a day of the large profile is ~720,000 pod-hours of decimal work. */
const yieldToRequests = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Each node-hour priced (bill, else OpenCost's metrics, else the price sheet) and allocated to its pods; the bill's cluster items as shared. */
export async function allocateHours(
  hours: readonly HourInputs[],
  bill: BillInputs,
  priceSheet: PriceSheet,
): Promise<AllocatedHours> {
  const result: AllocatedHours = { allocations: [], shared: [], nodeHours: 0, podHours: 0, podsWithoutNode: 0 };
  for (const hour of hours) {
    const hourMs = hour.hourStart.getTime();
    const podsByNode = new Map<string, PodHour[]>();
    for (const pod of hour.pods) podsByNode.set(pod.node, [...(podsByNode.get(pod.node) ?? []), pod]);
    for (const node of hour.nodes) {
      const instanceId = instanceIdOf(node.providerId);
      const billed = instanceId ? bill.nodeHours.get(instanceId)?.get(hourMs) : undefined;
      const cost = nodeHourCost(node, {
        billedEffectiveCost: billed?.cost ?? null,
        billingCurrency: billed?.currency ?? null,
        openCost: hour.openCostByNode.get(node.node) ?? null,
        priceSheet,
      });
      const pods = podsByNode.get(node.node) ?? [];
      podsByNode.delete(node.node);
      result.allocations.push(allocateNodeHour(node, cost, pods));
      result.nodeHours += 1;
      result.podHours += pods.length;
    }
    for (const pods of podsByNode.values()) result.podsWithoutNode += pods.length;
    for (const item of bill.sharedHours.get(hourMs) ?? []) {
      result.shared.push({
        hourStart: hour.hourStart,
        item: item.item,
        cost: item.cost.toFixed(),
        currency: item.currency,
      });
    }
    await yieldToRequests();
  }
  return result;
}
