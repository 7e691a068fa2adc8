import type {
  BatchJob,
  ContainerSpec,
  DaemonSetSpec,
  MigProfile,
  Pipeline,
  PipelineStep,
  ServiceWorkload,
  ServingWorkload,
} from '../topology.ts';

// The simulation's own view of a cluster: what it needs from the Kubernetes API and nothing more.
// History builds it from the schedule (nominal-state.ts); live mode adapts the demo API's store.

export type PodRole =
  | { kind: 'serving'; workload: ServingWorkload }
  | { kind: 'step'; pipeline: Pipeline; step: PipelineStep; workflow: string }
  | { kind: 'job'; job: BatchJob; ordinal: number; startMs: number }
  | { kind: 'service'; service: ServiceWorkload }
  | { kind: 'system'; daemonSet: DaemonSetSpec }
  | { kind: 'other' };

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface SimPod {
  uid: string;
  name: string;
  namespace: string;
  nodeName: string | null;
  containerName: string;
  phase: PodPhase;
  ready: boolean;
  createdMs: number;
  /** Devices on `nodeName` (for time-sliced GPUs, the device hosting the slice; for MIG, one per instance). */
  gpuIndexes: number[];
  /** MIG only: GPU_I_ID of each entry of `gpuIndexes`, and the profile of the instances. */
  migInstanceIds: number[];
  migProfile: MigProfile | null;
  cpuRequestCores: number;
  memoryRequestBytes: number;
  /** Whole GPUs, time-sliced GPU replicas or MIG instances requested. */
  gpuRequest: number;
  /** The extended resource as kube-state-metrics names it: `nvidia_com_gpu`, `nvidia_com_gpu_shared`, `nvidia_com_mig_1g_10gb`. */
  gpuResource: string;
  ownerKind: string;
  ownerName: string;
  workload: string;
  /** '' for cluster add-ons, which belong to no team. */
  team: string;
  workflow: string | null;
  /** Knative revision the pod serves, if any. */
  revision: string | null;
  role: PodRole;
}

export interface SimDeployment {
  namespace: string;
  name: string;
  specReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
}

export type WorkflowPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';

export interface SimWorkflow {
  namespace: string;
  name: string;
  pipeline: string;
  phase: WorkflowPhase;
}

export interface SimJob {
  namespace: string;
  name: string;
  active: number;
  succeeded: number;
  failed: number;
  startMs: number;
  completedMs: number | null;
}

export interface ClusterState {
  pods: SimPod[];
  deployments: SimDeployment[];
  workflows: SimWorkflow[];
  jobs: SimJob[];
}

export function isRunning(pod: SimPod): boolean {
  return pod.phase === 'Running';
}

/** What a container asks of GPUs, in kube-state-metrics' terms. */
export function gpuRequestOf(
  container: ContainerSpec | undefined,
): Pick<SimPod, 'gpuRequest' | 'gpuResource' | 'migProfile'> {
  const gpu = container?.gpu;
  if (!gpu) return { gpuRequest: 0, gpuResource: 'nvidia_com_gpu', migProfile: null };
  if (gpu.kind === 'whole') return { gpuRequest: gpu.count, gpuResource: 'nvidia_com_gpu', migProfile: null };
  if (gpu.kind === 'time-sliced')
    return { gpuRequest: gpu.slices, gpuResource: 'nvidia_com_gpu_shared', migProfile: null };
  return {
    gpuRequest: gpu.count,
    gpuResource: `nvidia_com_mig_${gpu.profile.replace('.', '_')}`,
    migProfile: gpu.profile,
  };
}
