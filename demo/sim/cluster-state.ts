import type { BatchJob, Pipeline, PipelineStep, ServingWorkload } from '../topology.ts';

// The simulation's own view of a cluster: what it needs from the Kubernetes API and nothing more.
// History builds it from the schedule (nominal-state.ts); live mode adapts the demo API's store.

export type PodRole =
  | { kind: 'serving'; workload: ServingWorkload }
  | { kind: 'step'; pipeline: Pipeline; step: PipelineStep; workflow: string }
  | { kind: 'job'; job: BatchJob; ordinal: number; startMs: number }
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
  /** Devices on `nodeName` (for time-sliced GPUs, the device hosting the slice). */
  gpuIndexes: number[];
  cpuRequestCores: number;
  memoryRequestBytes: number;
  /** Whole GPUs or time-sliced GPU replicas requested. */
  gpuRequest: number;
  gpuResource: 'nvidia_com_gpu' | 'nvidia_com_gpu_shared';
  ownerKind: string;
  ownerName: string;
  workload: string;
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
