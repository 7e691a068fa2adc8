// A node-hour's cost (../../../shared/DESIGN.md, "Cost model"): from the bill, else OpenCost's price
// metrics, else the price sheet; split into CPU, memory and GPU parts that add up to the total exactly.
import Decimal from 'decimal.js';
import type { NodeHour, NodeHourCost } from '../types';
import { checkQuantity, decimalOf, splitByWeights } from './money';
import { gpuDeviceHourPrice, type PriceSheet } from './price-sheet';

const BYTES_PER_GIB = 1024 ** 3;

/** OpenCost's per-node price metrics for the hour (Prometheus sample text → Decimal), any of them may be missing. */
export interface OpenCostNodePrices {
  /** node_total_hourly_cost. */
  totalPerHour: Decimal | null;
  /** node_cpu_hourly_cost: per vCPU. */
  cpuPerVcpuHour: Decimal | null;
  /** node_ram_hourly_cost: per GiB. */
  ramPerGibHour: Decimal | null;
  /** node_gpu_hourly_cost: per device. */
  gpuPerDeviceHour: Decimal | null;
}

export interface NodeCostInputs {
  /**
   * The bill's EffectiveCost of the node's instance for this hour (after commitments and discounts:
   * spot and savings-plan rates are what was billed). Already the amount for the time the instance
   * ran, so it is not multiplied by hoursPresent again. Null when the bill has no line for it.
   */
  billedEffectiveCost: Decimal | null;
  billingCurrency: string | null;
  openCost: OpenCostNodePrices | null;
  priceSheet: PriceSheet;
}

interface Weights {
  cpu: Decimal;
  memory: Decimal;
  gpu: Decimal;
}

/** Hourly cost of the node's capacity at the given unit prices. */
function capacityCosts(node: NodeHour, cpuPerVcpuHour: Decimal, memoryPerGibHour: Decimal, gpuPerDevice: Decimal) {
  return {
    cpu: decimalOf(node.cpuCores).times(cpuPerVcpuHour),
    memory: decimalOf(node.memoryBytes).dividedBy(BYTES_PER_GIB).times(memoryPerGibHour),
    gpu: decimalOf(node.gpuDevices).times(gpuPerDevice),
  } satisfies Weights;
}

function sheetWeights(node: NodeHour, sheet: PriceSheet): Weights {
  return capacityCosts(node, sheet.cpuPerVcpuHour, sheet.memoryPerGibHour, gpuDeviceHourPrice(sheet, node.gpuModel));
}

/** OpenCost's component prices, when they price every resource the node has. */
function openCostWeights(node: NodeHour, prices: OpenCostNodePrices): Weights | null {
  const { cpuPerVcpuHour, ramPerGibHour, gpuPerDeviceHour } = prices;
  if (!cpuPerVcpuHour || !ramPerGibHour) return null;
  if (node.gpuDevices > 0 && !gpuPerDeviceHour) return null;
  return capacityCosts(node, cpuPerVcpuHour, ramPerGibHour, gpuPerDeviceHour ?? new Decimal(0));
}

function checkNode(node: NodeHour): void {
  const at = `node ${node.cluster}/${node.node}`;
  checkQuantity(`${at}: hoursPresent`, node.hoursPresent);
  if (node.hoursPresent > 1) throw new RangeError(`${at}: hoursPresent must be ≤ 1, got ${node.hoursPresent}`);
  checkQuantity(`${at}: cpuCores`, node.cpuCores);
  checkQuantity(`${at}: memoryBytes`, node.memoryBytes);
  checkQuantity(`${at}: gpuDevices`, node.gpuDevices);
}

function split(total: Decimal, weights: Weights, currency: string, source: NodeHourCost['source']): NodeHourCost {
  // Part order cpu, memory, gpu: a node with no priced capacity puts everything on cpu.
  const [cpu, memory, gpu] = splitByWeights(total, [weights.cpu, weights.memory, weights.gpu]) as [
    Decimal,
    Decimal,
    Decimal,
  ];
  return { total, cpu, memory, gpu, currency, source };
}

/**
 * The node-hour's cost and its split. Bill: total = EffectiveCost as billed. OpenCost: total =
 * (node_total_hourly_cost, else Σ capacity × component price) × hoursPresent. Sheet: Σ capacity ×
 * sheet price × hoursPresent. Split weights: OpenCost's component prices when complete, else the sheet's.
 */
export function nodeHourCost(node: NodeHour, inputs: NodeCostInputs): NodeHourCost {
  checkNode(node);
  const { billedEffectiveCost, openCost, priceSheet } = inputs;
  const ocWeights = openCost ? openCostWeights(node, openCost) : null;
  const weights = ocWeights ?? sheetWeights(node, priceSheet);
  const hours = decimalOf(node.hoursPresent);
  if (billedEffectiveCost) {
    return split(billedEffectiveCost, weights, inputs.billingCurrency ?? priceSheet.currency, 'bill');
  }
  const openCostPerHour =
    openCost?.totalPerHour ?? (ocWeights ? ocWeights.cpu.plus(ocWeights.memory).plus(ocWeights.gpu) : null);
  if (openCostPerHour) return split(openCostPerHour.times(hours), weights, priceSheet.currency, 'opencost');
  const sheetPerHour = weights.cpu.plus(weights.memory).plus(weights.gpu);
  return split(sheetPerHour.times(hours), weights, priceSheet.currency, 'price-sheet');
}
