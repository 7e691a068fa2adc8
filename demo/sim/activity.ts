import type { ClusterSpec, ServingWorkload } from '../topology.ts';
import { instanceTypes } from '../topology.ts';
import type { ClusterState, SimPod } from './cluster-state.ts';
import { workloadLoad, type WorkloadLoad } from './latency.ts';
import { hashNormal } from './noise.ts';
import { modelBucketMs } from './traffic.ts';

// How busy each running pod is: its GPU use per device, CPU and memory. Derived from the offered
// load for serving pods and from the kind of step for batch work.

export interface PodActivity {
  pod: SimPod;
  /** 0..1 per entry of `pod.gpuIndexes` (the pod's share of that device's time). */
  gpuUtil: number[];
  /** Framebuffer the pod holds per device, MiB. */
  gpuMemoryMiB: number[];
  cpuCores: number;
  memoryBytes: number;
}

export interface ClusterActivity {
  loads: Map<ServingWorkload, WorkloadLoad>;
  pods: PodActivity[];
}

export function readyServingPods(state: ClusterState, w: ServingWorkload): SimPod[] {
  return readyServingPodsByWorkload(state).get(w) ?? [];
}

// One pass over the pods for every workload: the large profile has 30,000 pods and 400 workloads.
const readyCache = new WeakMap<ClusterState, Map<ServingWorkload, SimPod[]>>();

export function readyServingPodsByWorkload(state: ClusterState): Map<ServingWorkload, SimPod[]> {
  let byWorkload = readyCache.get(state);
  if (byWorkload) return byWorkload;
  byWorkload = new Map();
  for (const p of state.pods) {
    if (p.role.kind !== 'serving' || p.phase !== 'Running' || !p.ready) continue;
    const list = byWorkload.get(p.role.workload);
    if (list) list.push(p);
    else byWorkload.set(p.role.workload, [p]);
  }
  readyCache.set(state, byWorkload);
  return byWorkload;
}

export function clusterActivity(
  spec: ClusterSpec, state: ClusterState, tMs: number, seed: number, rpsOf: (w: ServingWorkload) => number,
): ClusterActivity {
  const loads = new Map<ServingWorkload, WorkloadLoad>();
  const ready = readyServingPodsByWorkload(state);
  for (const w of spec.serving) loads.set(w, workloadLoad(w, rpsOf(w), ready.get(w)?.length ?? 0));
  const deviceMiBByNode = new Map(spec.nodes.map((n) => [n.name, Math.max(1, instanceTypes[n.instanceType].gpuMemoryMiB)]));
  const bucket = Math.floor(tMs / modelBucketMs);
  const pods: PodActivity[] = [];
  for (const pod of state.pods) {
    if (pod.phase !== 'Running' || !pod.nodeName) continue;
    const jitter = 0.03 * hashNormal(seed, `${spec.name}/${pod.name}/util`, bucket);
    const deviceMiB = deviceMiBByNode.get(pod.nodeName) ?? 1;
    let busy = 0.5;
    let gpuUtil: number[] = pod.gpuIndexes.map(() => 0);
    let memoryShare = 0;
    const role = pod.role;
    if (role.kind === 'serving') {
      const load = loads.get(role.workload);
      const utilisation = pod.ready && load ? load.utilisation : 0;
      busy = Math.min(1, utilisation);
      if (role.workload.server === 'vllm') {
        gpuUtil = pod.gpuIndexes.map(() => (pod.ready ? 0.1 + 0.85 * Math.min(1, utilisation / 1.5) : 0));
        memoryShare = 0.92; // vLLM preallocates the KV cache: memory is flat whatever the load.
      } else {
        gpuUtil = pod.gpuIndexes.map(() => 0.04 + 0.45 * Math.min(1, utilisation));
        memoryShare = 2600 / deviceMiB;
      }
    } else if (role.kind === 'step') {
      busy = 0.75;
      if (role.step.name === 'train') {
        gpuUtil = pod.gpuIndexes.map(() => 0.95);
        memoryShare = 0.86;
      } else {
        // Evaluation asks for several GPUs but its harness drives only the first one.
        gpuUtil = pod.gpuIndexes.map((_, i) => (i === 0 ? 0.7 : 0));
        memoryShare = 0.55;
      }
    } else if (role.kind === 'job') {
      // The last worker gets the smallest shard and then sits on its GPU until the job ends.
      const straggler = role.ordinal === role.job.parallelism - 1 && tMs - role.startMs > role.job.durationSeconds * 400;
      busy = straggler ? 0.02 : 0.8;
      gpuUtil = pod.gpuIndexes.map(() => (straggler ? 0 : 0.85));
      memoryShare = straggler ? 0.3 : 0.7;
    }
    gpuUtil = gpuUtil.map((u) => (u > 0 ? clamp01(u + jitter) : 0));
    const activeShare = Math.max(0, Math.min(1, busy + jitter));
    pods.push({
      pod, gpuUtil,
      gpuMemoryMiB: pod.gpuIndexes.map((_, i) => Math.round(deviceMiB * memoryShare * (gpuUtil[i] === 0 && role.kind === 'step' ? 0.02 : 1))),
      cpuCores: pod.cpuRequestCores * (0.05 + 0.6 * activeShare),
      memoryBytes: Math.round(pod.memoryRequestBytes * (0.35 + 0.35 * activeShare)),
    });
  }
  return { loads, pods };
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}
