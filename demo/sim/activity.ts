import type { ClusterSpec, ServingWorkload } from '../topology.ts';
import { instanceTypes, migProfiles } from '../topology.ts';
import type { ClusterState, SimPod } from './cluster-state.ts';
import { workloadLoad, type WorkloadLoad } from './latency.ts';
import { hashNormalOf, hashUniformOf, keyHash } from './noise.ts';
import { diurnalFactor, localTime, modelBucketMs } from './traffic.ts';

// How busy each running pod is: its GPU use per device (or MIG instance), CPU and memory. Derived
// from the offered load for serving pods, from the kind of step for batch work, and from the
// daily rhythm for CPU services.

export interface PodActivity {
  pod: SimPod;
  /** 0..1 per entry of `pod.gpuIndexes`: the pod's share of that device's (or MIG instance's) time. */
  gpuUtil: number[];
  /** Framebuffer the pod holds per entry, MiB. */
  gpuMemoryMiB: number[];
  cpuCores: number;
  memoryBytes: number;
}

export interface ClusterActivity {
  loads: Map<ServingWorkload, WorkloadLoad>;
  pods: PodActivity[];
}

/** Sequences vLLM keeps in one batch before it stops gaining throughput on an 80 GB device. */
const vllmSaturatingBatch = 64;

/**
 * GPU busy share of a vLLM replica running `batch` sequences at once: decoding is memory-bound,
 * so even one sequence keeps the device about a third busy, and a fuller batch adds little time.
 */
export function vllmGpuUtil(batch: number): number {
  if (batch <= 0) return 0.02;
  return Math.min(1, 0.3 + 0.7 * Math.sqrt(Math.min(1, batch / vllmSaturatingBatch)));
}

export function clusterActivity(
  spec: ClusterSpec,
  state: ClusterState,
  tMs: number,
  seed: number,
  rpsOf: (w: ServingWorkload) => number,
): ClusterActivity {
  const loads = new Map<ServingWorkload, WorkloadLoad>();
  const readyCount = new Map<ServingWorkload, number>();
  for (const p of state.pods) {
    if (p.role.kind === 'serving' && p.phase === 'Running' && p.ready)
      readyCount.set(p.role.workload, (readyCount.get(p.role.workload) ?? 0) + 1);
  }
  for (const w of spec.serving) loads.set(w, workloadLoad(w, rpsOf(w), readyCount.get(w) ?? 0));
  const bucket = Math.floor(tMs / modelBucketMs);
  const daily = diurnalFactor(localTime(spec.region, bucket * modelBucketMs).hour);
  const memoryOf = deviceMemory(spec);
  const pods: PodActivity[] = [];
  for (const pod of state.pods) {
    if (pod.phase !== 'Running' || !pod.nodeName) continue;
    const hashes = podHashes(spec, pod);
    const jitter = 0.03 * hashNormalOf(seed, hashes.util, bucket);
    const deviceMiB = pod.migProfile ? migProfiles[pod.migProfile].memoryMiB : (memoryOf.get(pod.nodeName) ?? 1);
    let busy = 0.5;
    let gpuUtil: number[] = pod.gpuIndexes.map(() => 0);
    let memoryShare = 0;
    const role = pod.role;
    if (role.kind === 'serving') {
      const load = loads.get(role.workload);
      const utilisation = pod.ready && load ? load.utilisation : 0;
      busy = Math.min(1, utilisation);
      if (role.workload.server === 'vllm') {
        const batch = pod.ready && load && load.readyReplicas > 0 ? load.running / load.readyReplicas : 0;
        gpuUtil = pod.gpuIndexes.map(() => (pod.ready ? vllmGpuUtil(batch) : 0));
        memoryShare = 0.92; // vLLM preallocates the KV cache: memory is flat whatever the load.
      } else {
        gpuUtil = pod.gpuIndexes.map(() => 0.04 + 0.45 * Math.min(1, utilisation));
        memoryShare = Math.min(0.9, 2600 / deviceMiB);
      }
    } else if (role.kind === 'step') {
      busy = 0.75;
      if (role.step.name === 'train' || role.step.name === 'generate') {
        gpuUtil = pod.gpuIndexes.map(() => 0.95);
        memoryShare = 0.86;
      } else {
        // Evaluation asks for several GPUs but its harness drives only the first one.
        gpuUtil = pod.gpuIndexes.map((_, i) => (i === 0 ? 0.7 : 0));
        memoryShare = 0.55;
      }
    } else if (role.kind === 'job') {
      // The last worker gets the smallest shard and then sits on its GPU until the job ends.
      const straggler =
        role.ordinal === role.job.parallelism - 1 && tMs - role.startMs > role.job.durationSeconds * 400;
      busy = straggler ? 0.02 : 0.8;
      gpuUtil = pod.gpuIndexes.map(() => (straggler ? 0 : 0.85));
      memoryShare = straggler ? 0.3 : 0.7;
    } else if (role.kind === 'service') {
      busy = role.service.busyShare * (0.4 + 0.6 * daily);
      const gpuBusy = role.service.gpuBusyShare ?? 0;
      // Notebooks hold their GPU all day and use it in bursts: a cell runs for a few minutes now and then.
      const burst = hashUniformOf(seed, hashes.burst, Math.floor(tMs / 600_000)) < 0.12;
      gpuUtil = pod.gpuIndexes.map(() => (burst ? 0.6 : gpuBusy * 0.3));
      memoryShare = burst ? 0.7 : 0.25;
    } else if (role.kind === 'system') {
      busy = 0.25;
    }
    gpuUtil = gpuUtil.map((u) => (u > 0 ? clamp01(u + jitter) : 0));
    const activeShare = Math.max(0, Math.min(1, busy + jitter));
    pods.push({
      pod,
      gpuUtil,
      gpuMemoryMiB: pod.gpuIndexes.map((_, i) =>
        Math.round(deviceMiB * memoryShare * (gpuUtil[i] === 0 && role.kind === 'step' ? 0.02 : 1)),
      ),
      cpuCores: pod.cpuRequestCores * (0.05 + 0.6 * activeShare),
      memoryBytes: Math.round(pod.memoryRequestBytes * (0.35 + 0.35 * activeShare)),
    });
  }
  return { loads, pods };
}

const hashCache = new WeakMap<SimPod, { util: number; burst: number }>();

/** The pod's noise keys, hashed once per pod object. */
function podHashes(spec: ClusterSpec, pod: SimPod): { util: number; burst: number } {
  let h = hashCache.get(pod);
  if (!h)
    hashCache.set(
      pod,
      (h = { util: keyHash(`${spec.name}/${pod.name}/util`), burst: keyHash(`${spec.name}/${pod.name}/burst`) }),
    );
  return h;
}

const memoryCache = new WeakMap<ClusterSpec, Map<string, number>>();

function deviceMemory(spec: ClusterSpec): Map<string, number> {
  let m = memoryCache.get(spec);
  if (!m)
    memoryCache.set(
      spec,
      (m = new Map(spec.nodes.map((n) => [n.name, Math.max(1, instanceTypes[n.instanceType].gpuMemoryMiB)]))),
    );
  return m;
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}
