// What the nominal state's pods share: stable names and uids from the seed, the GPU plan of the
// cluster, and the fields every pod carries.
import type { ClusterSpec, ContainerSpec, ServingWorkload } from '../topology.ts';
import { gpuRequestOf, type SimPod } from './cluster-state.ts';
import { planGpus, type GpuPlan, type GpuPlacement } from './gpu-plan.ts';
import { hashUniform } from './noise.ts';

export interface NominalInput {
  spec: ClusterSpec;
  seed: number;
  tMs: number;
  rpsAt: (workload: ServingWorkload, tMs: number) => number;
  /** Force the running step of every pipeline to fail (the `pipeline-failure` scenario). */
  failRunningSteps: boolean;
  /** Pods of Deployments as the live API has them now: history reuses their names and GPUs. */
  livePods?: SimPod[];
}

export function suffix(seed: number, key: string, length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(hashUniform(seed, key, i) * alphabet.length)];
  return out;
}

const planCache = new WeakMap<ClusterSpec, GpuPlan>();
export function gpuPlan(spec: ClusterSpec): GpuPlan {
  let plan = planCache.get(spec);
  if (!plan) planCache.set(spec, (plan = planGpus(spec)));
  return plan;
}

export type PodBase = Omit<
  SimPod,
  | 'role'
  | 'ownerKind'
  | 'ownerName'
  | 'phase'
  | 'ready'
  | 'createdMs'
  | 'nodeName'
  | 'gpuIndexes'
  | 'migInstanceIds'
  | 'containerName'
>;

export function basePod(
  input: NominalInput,
  name: string,
  namespace: string,
  team: string | undefined,
  workload: string,
  container: ContainerSpec,
): PodBase {
  return {
    uid: `${suffix(input.seed, `${input.spec.name}/${name}`, 8)}-uid`,
    name,
    namespace,
    team: team ?? '',
    workload,
    cpuRequestCores: container.cpuRequestCores,
    memoryRequestBytes: container.memoryRequestBytes,
    ...gpuRequestOf(container),
    workflow: null,
    revision: null,
  };
}

export function placed(placement: GpuPlacement | undefined): Pick<SimPod, 'gpuIndexes' | 'migInstanceIds'> {
  return { gpuIndexes: placement?.gpuIndexes ?? [], migInstanceIds: placement?.migInstanceIds ?? [] };
}
