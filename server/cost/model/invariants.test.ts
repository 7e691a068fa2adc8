// The model's promises checked on many seeded random node-hours (a fixed seed: the same cases every run).
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { GpuHolding, NodeHourAllocation, PodHour } from '../types';
import { allocateNodeHour } from './allocate';
import { sumMoney } from './money';
import { nodeHourCost } from './node-cost';
import { DEFAULT_PRICE_SHEET } from './price-sheet';
import { rollupCosts } from './rollup';
import { rowTotal, shareCosts, type SpreadMode } from './shared';
import { GIB, nodeHour, podHour } from './test-data';

/** mulberry32: a small seeded PRNG. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomNodeHours(count: number, seed: number): NodeHourAllocation[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: count }, (_, n) => {
    const gpuDevices = pick([0, 0, 1, 4, 8]);
    const replicas = pick([1, 1, 4]);
    const node = nodeHour({
      node: `node-${n}`,
      hoursPresent: pick([1, 1, 0.5, 0.25]),
      cpuCores: pick([2, 8, 32]),
      memoryBytes: pick([8, 32, 128]) * GIB,
      gpuDevices,
      gpuModel: gpuDevices ? pick(['NVIDIA H100 80GB HBM3', 'NVIDIA A100-SXM4-80GB', 'NVIDIA L4']) : null,
      gpuTimeSliceReplicas: replicas,
      gpuActivityByDevice: Array.from({ length: gpuDevices }, () => next()),
    });
    const pods: PodHour[] = Array.from({ length: Math.floor(next() * 12) }, (_, p) => {
      const device = gpuDevices ? Math.floor(next() * gpuDevices) : -1;
      const gpu: GpuHolding | null =
        device < 0 || next() < 0.4
          ? null
          : replicas > 1
            ? { kind: 'time-sliced', replicas: 1 }
            : pick<GpuHolding>([
                { kind: 'whole', devices: 1 },
                { kind: 'mig', profile: pick(['1g.10gb', '3g.40gb']), instances: 1 },
              ]);
      return podHour(`pod-${n}-${p}`, {
        node: node.node,
        namespace: pick(['serving', 'batch', 'kube-system', 'monitoring']),
        team: pick(['ml', 'data', null]),
        hoursPresent: pick([1, 0.5, 0.1]),
        cpuRequestCores: next() * 4,
        cpuUsageCores: next() * 6,
        memoryRequestBytes: next() * 16 * GIB,
        memoryUsageBytes: next() * 24 * GIB,
        gpu,
        gpuDeviceIndexes: gpu && gpu.kind !== 'mig' ? [device] : [],
        gpuActivity: gpu && next() < 0.5 ? next() : null,
      });
    });
    const billed = next() < 0.5 ? new Decimal((next() * 40).toFixed(6)) : null;
    const cost = nodeHourCost(node, {
      billedEffectiveCost: billed,
      billingCurrency: 'USD',
      openCost: null,
      priceSheet: DEFAULT_PRICE_SHEET,
    });
    return allocateNodeHour(node, cost, pods);
  });
}

const allocations = randomNodeHours(200, 42);
const nodeTotal = sumMoney(allocations.map((a) => a.cost.total));
const fees = [{ cluster: 'prod', name: 'EKS control plane', cost: new Decimal('0.10') }];

describe('the model on 200 random node-hours', () => {
  it('never leaves negative idle, and pods + idle = the node part exactly, per resource', () => {
    for (const a of allocations) {
      for (const [part, pods, idle] of [
        [a.cost.cpu, a.pods.map((p) => p.cpu), a.idle.cpu],
        [a.cost.memory, a.pods.map((p) => p.memory), a.idle.memory],
        [a.cost.gpu, a.pods.map((p) => p.gpuReserved), a.idle.gpuReserved],
        [a.cost.gpu, a.pods.map((p) => p.gpuUsed), a.idle.gpuUsed],
      ] as const) {
        expect(idle.isNegative()).toBe(false);
        expect(sumMoney(pods).plus(idle).equals(part)).toBe(true);
      }
      expect(a.cost.cpu.plus(a.cost.memory).plus(a.cost.gpu).equals(a.cost.total)).toBe(true);
    }
    // The seed makes both cases happen: some node-hours were scaled down, some were not.
    expect(new Set(allocations.map((a) => a.scaledDown))).toEqual(new Set([true, false]));
  });

  it('keeps the grand total exactly in every shared/idle mode and every rollup', () => {
    const modes: SpreadMode[] = ['row', 'spread'];
    for (const shared of modes) {
      for (const idle of modes) {
        const rows = shareCosts(allocations, fees, { systemNamespaces: ['kube-system', 'monitoring'], shared, idle });
        expect(sumMoney(rows.map(rowTotal)).equals(nodeTotal.plus('0.10'))).toBe(true);
        for (const by of ['team', 'workload', { label: 'app' }] as const) {
          expect(sumMoney(rollupCosts(rows, by).map((g) => g.total)).equals(nodeTotal.plus('0.10'))).toBe(true);
        }
      }
    }
  });
});
