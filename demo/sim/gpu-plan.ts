import type { ClusterSpec, GpuRequest, NodeSpec } from '../topology.ts';
import { instanceTypes, migInstancesOf } from '../topology.ts';

// Where history puts each GPU-using pod: a fixed reservation per workload slot, filled in topology
// order, so that a device keeps one tenant across the backfilled weeks (live mode reads the real
// scheduler's choice from the pod annotation instead).

export interface GpuPlacement {
  nodeName: string;
  gpuIndexes: number[];
  /** MIG only: GPU_I_ID of each entry of `gpuIndexes`. */
  migInstanceIds: number[];
}

export type GpuPlan = Map<string, GpuPlacement>;

export function slotKey(workload: string, slot: number): string {
  return `${workload}#${slot}`;
}

interface Device {
  nodeName: string;
  index: number;
  model: string | null;
}
interface MigSlot {
  nodeName: string;
  gpu: number;
  instanceId: number;
  profile: string;
}

export function planGpus(spec: ClusterSpec): GpuPlan {
  const plan: GpuPlan = new Map();
  const whole = freeDevices(spec.nodes.filter((n) => !n.gpuSharing));
  const sliced = spec.nodes.filter((n) => n.gpuSharing?.mode === 'time-slicing');
  const mig: MigSlot[] = spec.nodes.flatMap((n) => migInstancesOf(n).map((i) => ({ nodeName: n.name, ...i })));
  let sliceCursor = 0;
  const take = (key: string, gpu: GpuRequest): void => {
    if (gpu.kind === 'whole') {
      const pool = whole.filter((d) => !gpu.model || d.model === gpu.model);
      const first = pool[0];
      if (!first) return;
      const onNode = pool.filter((d) => d.nodeName === first.nodeName).slice(0, gpu.count);
      const fits = onNode.length === gpu.count ? onNode : pool.slice(0, gpu.count);
      for (const d of fits) whole.splice(whole.indexOf(d), 1);
      plan.set(key, {
        nodeName: fits[0]?.nodeName ?? first.nodeName,
        gpuIndexes: fits.map((d) => d.index),
        migInstanceIds: [],
      });
    } else if (gpu.kind === 'time-sliced') {
      const node = sliced[0];
      if (!node) return;
      const devices = instanceTypes[node.instanceType].gpuCount;
      plan.set(key, { nodeName: node.name, gpuIndexes: [sliceCursor % devices], migInstanceIds: [] });
      sliceCursor++;
    } else {
      const free = mig.filter((m) => m.profile === gpu.profile).slice(0, gpu.count);
      if (free.length < gpu.count || !free[0]) return;
      for (const m of free) mig.splice(mig.indexOf(m), 1);
      plan.set(key, {
        nodeName: free[0].nodeName,
        gpuIndexes: free.map((m) => m.gpu),
        migInstanceIds: free.map((m) => m.instanceId),
      });
    }
  };
  for (const w of spec.serving) {
    const slots = w.kind === 'KnativeService' ? (w.maxScale ?? 1) : w.replicas;
    if (w.container.gpu) for (let slot = 0; slot < slots; slot++) take(slotKey(w.name, slot), w.container.gpu);
  }
  for (const w of spec.services) {
    if (w.container.gpu) for (let slot = 0; slot < w.replicas; slot++) take(slotKey(w.name, slot), w.container.gpu);
  }
  for (const p of spec.pipelines) {
    // One reservation per pipeline, as large as its largest step: steps run one after another.
    const largest = p.steps
      .map((s) => s.container.gpu)
      .filter((g) => g?.kind === 'whole')
      .sort((a, b) => (b?.kind === 'whole' ? b.count : 0) - (a?.kind === 'whole' ? a.count : 0))[0];
    if (largest) take(slotKey(p.name, 0), largest);
  }
  for (const j of spec.jobs) {
    if (j.container.gpu) for (let slot = 0; slot < j.parallelism; slot++) take(slotKey(j.name, slot), j.container.gpu);
  }
  return plan;
}

function freeDevices(nodes: NodeSpec[]): Device[] {
  return nodes.flatMap((n) => {
    const type = instanceTypes[n.instanceType];
    return Array.from({ length: type.gpuCount }, (_, index) => ({ nodeName: n.name, index, model: type.gpuModel }));
  });
}

/** CPU-only pods go to the nodes without GPUs, spread by a stable number. */
export function cpuNodeFor(spec: ClusterSpec, spread: number): string {
  const cpuNodes = spec.nodes.filter((n) => instanceTypes[n.instanceType].gpuCount === 0);
  const pool = cpuNodes.length > 0 ? cpuNodes : spec.nodes;
  const chosen = pool[Math.abs(spread) % pool.length];
  if (!chosen) throw new Error(`cluster ${spec.name} has no nodes`);
  return chosen.name;
}
