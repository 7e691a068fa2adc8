import type { ClusterSpec, NodeSpec } from '../topology.ts';
import { instanceTypes } from '../topology.ts';

// Where history puts each GPU-using pod: a fixed reservation per workload slot, filled in topology
// order, so that a device keeps one tenant across the backfilled weeks (live mode reads the real
// scheduler's choice from the pod annotation instead).

export interface GpuPlacement {
  nodeName: string;
  gpuIndexes: number[];
}

export type GpuPlan = Map<string, GpuPlacement>;

export function slotKey(workload: string, slot: number): string {
  return `${workload}#${slot}`;
}

export function planGpus(spec: ClusterSpec): GpuPlan {
  const plan: GpuPlan = new Map();
  const whole = freeDevices(spec.nodes.filter((n) => !n.gpuSharing));
  const sliced = spec.nodes.filter((n) => n.gpuSharing);
  const takeWhole = (key: string, count: number): void => {
    const first = whole[0];
    if (!first) return;
    const onNode = whole.filter((d) => d.nodeName === first.nodeName).slice(0, count);
    const fits = onNode.length === count ? onNode : whole.slice(0, count);
    for (const d of fits) whole.splice(whole.indexOf(d), 1);
    plan.set(key, { nodeName: fits[0]?.nodeName ?? first.nodeName, gpuIndexes: fits.map((d) => d.index) });
  };
  let sliceCursor = 0;
  for (const w of spec.serving) {
    const gpu = w.container.gpu;
    if (!gpu) continue;
    const slots = w.kind === 'KnativeService' ? (w.maxScale ?? 1) : w.replicas;
    for (let slot = 0; slot < slots; slot++) {
      if (gpu.kind === 'whole') takeWhole(slotKey(w.name, slot), gpu.count);
      else {
        const node = sliced[0];
        if (!node) continue;
        const devices = instanceTypes[node.instanceType].gpuCount;
        plan.set(slotKey(w.name, slot), { nodeName: node.name, gpuIndexes: [sliceCursor % devices] });
        sliceCursor++;
      }
    }
  }
  for (const p of spec.pipelines) {
    const count = Math.max(0, ...p.steps.map((s) => (s.container.gpu?.kind === 'whole' ? s.container.gpu.count : 0)));
    if (count > 0) takeWhole(slotKey(p.name, 0), count);
  }
  for (const j of spec.jobs) {
    const gpu = j.container.gpu;
    if (gpu?.kind !== 'whole') continue;
    for (let slot = 0; slot < j.parallelism; slot++) takeWhole(slotKey(j.name, slot), gpu.count);
  }
  return plan;
}

function freeDevices(nodes: NodeSpec[]): { nodeName: string; index: number }[] {
  return nodes.flatMap((n) =>
    Array.from({ length: instanceTypes[n.instanceType].gpuCount }, (_, index) => ({ nodeName: n.name, index })));
}

/** CPU-only pods go to the nodes without GPUs, spread by a stable number. */
export function cpuNodeFor(spec: ClusterSpec, spread: number): string {
  const cpuNodes = spec.nodes.filter((n) => instanceTypes[n.instanceType].gpuCount === 0);
  const pool = cpuNodes.length > 0 ? cpuNodes : spec.nodes;
  const chosen = pool[Math.abs(spread) % pool.length];
  if (!chosen) throw new Error(`cluster ${spec.name} has no nodes`);
  return chosen.name;
}
