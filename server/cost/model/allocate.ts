// One node-hour allocated to its pods (../../../shared/DESIGN.md, "Cost model"): CPU and memory by
// max(request, usage), GPU by reservation and by use side by side; idle is what is left, never negative.
import Decimal from 'decimal.js';
import type { NodeHour, NodeHourAllocation, NodeHourCost, PodHour, PodHourAllocation } from '../types';
import { DEFAULT_MIG_SLICES_PER_DEVICE, heldDeviceEquivalents, usedDeviceHours } from './gpu-share';
import { checkQuantity, decimalOf, roundMoney, splitByWeights, sumMoney, ZERO } from './money';

export interface AllocateOptions {
  /** MIG compute slices per device: 7 on A100/H100/H200, 4 on A30. */
  migSlicesPerDevice?: number;
}

/** Price of one unit for one hour: the part ÷ (capacity × hours the node was present); 0 without capacity. */
function unitPrice(part: Decimal, capacity: number, node: NodeHour): Decimal {
  const unitHours = decimalOf(capacity).times(decimalOf(node.hoursPresent));
  return unitHours.isZero() ? ZERO : part.dividedBy(unitHours);
}

function checkPod(pod: PodHour, node: NodeHour): void {
  const at = `pod ${pod.namespace}/${pod.pod}`;
  if (pod.node !== node.node) throw new RangeError(`${at}: runs on ${pod.node}, not on ${node.node}`);
  checkQuantity(`${at}: hoursPresent`, pod.hoursPresent);
  if (pod.hoursPresent > 1) throw new RangeError(`${at}: hoursPresent must be ≤ 1, got ${pod.hoursPresent}`);
  checkQuantity(`${at}: cpuRequestCores`, pod.cpuRequestCores);
  checkQuantity(`${at}: cpuUsageCores`, pod.cpuUsageCores);
  checkQuantity(`${at}: memoryRequestBytes`, pod.memoryRequestBytes);
  checkQuantity(`${at}: memoryUsageBytes`, pod.memoryUsageBytes);
  if (pod.gpuActivity !== null) checkQuantity(`${at}: gpuActivity`, pod.gpuActivity);
}

/** Charges (rounded to money) as they are, or scaled down to the node's part when they exceed it (Σ = part exactly). */
function fitToPart(charges: Decimal[], part: Decimal): { charges: Decimal[]; idle: Decimal; scaled: boolean } {
  const sum = sumMoney(charges);
  if (charges.length === 0 || sum.lessThanOrEqualTo(part)) return { charges, idle: part.minus(sum), scaled: false };
  return { charges: splitByWeights(part, charges), idle: ZERO, scaled: true };
}

/** price × each quantity, rounded to money; no Decimal work for the (many) zero quantities. */
function charges(price: Decimal, quantities: readonly number[]): Decimal[] {
  return quantities.map((q) => (q === 0 || price.isZero() ? ZERO : roundMoney(price.times(q))));
}

/** `used` as the same share of the (possibly scaled) charge as usage is of max(request, usage). */
function usedShare(charge: Decimal, request: number, usage: number): Decimal {
  if (usage >= request) return charge;
  return usage === 0 ? ZERO : roundMoney(charge.times(usage / request));
}

/**
 * Per pod: cpu = max(request, usage) cores × hoursPresent × cpu price; memory likewise; GPU reserved =
 * device-equivalents held × hoursPresent × device price; GPU used = device-hours kept busy × device price.
 * Per resource, idle = node part − Σ pods ≥ 0; over the part, the pods are scaled down (scaledDown).
 */
export function allocateNodeHour(
  node: NodeHour,
  cost: NodeHourCost,
  pods: readonly PodHour[],
  options: AllocateOptions = {},
): NodeHourAllocation {
  pods.forEach((pod) => checkPod(pod, node));
  const slicesPerDevice = options.migSlicesPerDevice ?? DEFAULT_MIG_SLICES_PER_DEVICE;
  const cpuPrice = unitPrice(cost.cpu, node.cpuCores, node);
  const memoryPrice = unitPrice(cost.memory, node.memoryBytes, node);
  const devicePrice = unitPrice(cost.gpu, node.gpuDevices, node);

  const held = pods.map((pod) => heldDeviceEquivalents(pod.gpu, node, slicesPerDevice));
  const used = usedDeviceHours(node, pods, held);
  // Quantities are plain numbers (they come from Prometheus as such); money is one Decimal product each.
  const cpuCoreHours = pods.map((p) => Math.max(p.cpuRequestCores, p.cpuUsageCores) * p.hoursPresent);
  const memoryByteHours = pods.map((p) => Math.max(p.memoryRequestBytes, p.memoryUsageBytes) * p.hoursPresent);
  const gpuDeviceHours = pods.map((p, i) => (held[i] ?? 0) * p.hoursPresent);

  const cpu = fitToPart(charges(cpuPrice, cpuCoreHours), cost.cpu);
  const memory = fitToPart(charges(memoryPrice, memoryByteHours), cost.memory);
  const gpuReserved = fitToPart(charges(devicePrice, gpuDeviceHours), cost.gpu);
  const gpuUsed = fitToPart(charges(devicePrice, used), cost.gpu);

  const allocations: PodHourAllocation[] = pods.map((pod, i) => {
    const cpuCharge = cpu.charges[i] ?? ZERO;
    const memoryCharge = memory.charges[i] ?? ZERO;
    return {
      pod,
      cpu: cpuCharge,
      memory: memoryCharge,
      gpuReserved: gpuReserved.charges[i] ?? ZERO,
      gpuUsed: gpuUsed.charges[i] ?? ZERO,
      cpuUsed: usedShare(cpuCharge, pod.cpuRequestCores, pod.cpuUsageCores),
      memoryUsed: usedShare(memoryCharge, pod.memoryRequestBytes, pod.memoryUsageBytes),
      chargedCpuCoreHours: cpuCoreHours[i] ?? 0,
      chargedMemoryByteHours: memoryByteHours[i] ?? 0,
      chargedGpuDeviceHours: gpuDeviceHours[i] ?? 0,
    };
  });
  return {
    node,
    cost,
    pods: allocations,
    idle: { cpu: cpu.idle, memory: memory.idle, gpuReserved: gpuReserved.idle, gpuUsed: gpuUsed.idle },
    scaledDown: cpu.scaled || memory.scaled || gpuReserved.scaled || gpuUsed.scaled,
  };
}
