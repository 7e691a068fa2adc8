// The slim shapes the watch caches keep and stream to the browser: only what the pages show,
// so memory stays bounded and patches stay small. Browser code imports these as types only.

/** The identity of one workload: what every other view links to (actions, cost, alerts). */
export interface WorkloadIdentity {
  cluster: string;
  namespace: string;
  kind: WorkloadKind;
  name: string;
}

export type WorkloadKind = 'Deployment' | 'KnativeService' | 'Workflow' | 'Job';

export const liveKinds = [
  'Deployment',
  'ReplicaSet',
  'Pod',
  'Event',
  'KnativeService',
  'KnativeRevision',
  'Workflow',
] as const;
export type LiveKind = (typeof liveKinds)[number];

/** GPUs requested: whole devices (`nvidia.com/gpu`) and time-sliced shares (`nvidia.com/gpu.shared`). */
export interface GpuRequest {
  whole: number;
  sharedSlices: number;
}

interface LiveBase {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  createdAt: string | null;
}

export interface LiveOwner {
  kind: string;
  name: string;
}

export interface LiveDeployment extends LiveBase {
  kind: 'Deployment';
  labels: Record<string, string>;
  owner: LiveOwner | null;
  desiredReplicas: number;
  currentReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  updatedReplicas: number;
  images: string[];
  gpuRequest: GpuRequest;
  revision: string | null;
  generation: number;
  observedGeneration: number;
  /** Progressing condition: reason and message (NewReplicaSetAvailable, ReplicaSetUpdated, …). */
  progressReason: string | null;
  progressMessage: string | null;
  selector: Record<string, string>;
}

export interface LiveReplicaSet extends LiveBase {
  kind: 'ReplicaSet';
  owner: LiveOwner | null;
  revision: string | null;
  desiredReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  images: string[];
}

export interface LivePod extends LiveBase {
  kind: 'Pod';
  labels: Record<string, string>;
  owner: LiveOwner | null;
  nodeName: string | null;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Why a container waits or ended (CrashLoopBackOff, OOMKilled, ContainerCreating, …). */
  reason: string | null;
  startedAt: string | null;
  terminating: boolean;
  gpuRequest: GpuRequest;
}

export interface LiveEvent extends LiveBase {
  kind: 'Event';
  involvedKind: string;
  involvedName: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  lastSeenAt: string | null;
}

export interface LiveTrafficTarget {
  revisionName: string;
  percent: number;
  latestRevision: boolean;
}

export interface LiveKnativeService extends LiveBase {
  kind: 'KnativeService';
  labels: Record<string, string>;
  ready: boolean;
  url: string | null;
  latestCreatedRevision: string | null;
  latestReadyRevision: string | null;
  traffic: LiveTrafficTarget[];
  minScale: number | null;
  maxScale: number | null;
  images: string[];
  gpuRequest: GpuRequest;
}

export interface LiveKnativeRevision extends LiveBase {
  kind: 'KnativeRevision';
  serviceName: string;
  desiredReplicas: number;
  actualReplicas: number;
  ready: boolean;
  active: boolean;
  images: string[];
}

export interface LiveWorkflowStep {
  id: string;
  name: string;
  phase: string;
  startedAt: string | null;
  finishedAt: string | null;
  hostNodeName: string | null;
  podName: string | null;
  message: string | null;
  exitCode: string | null;
  /** Attempts beyond the first (Argo retry nodes). */
  retries: number;
  children: string[];
  gpuSeconds: number;
}

export interface LiveWorkflow extends LiveBase {
  kind: 'Workflow';
  pipeline: string | null;
  creator: string | null;
  phase: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: string | null;
  message: string | null;
  estimatedDurationSeconds: number | null;
  gpuSeconds: number;
  steps: LiveWorkflowStep[];
}

export type LiveObject =
  LiveDeployment | LiveReplicaSet | LivePod | LiveEvent | LiveKnativeService | LiveKnativeRevision | LiveWorkflow;

export type ConnectionState =
  | { state: 'connecting'; sinceMs: number }
  | { state: 'connected'; sinceMs: number }
  | { state: 'reconnecting'; sinceMs: number; error: string }
  /** The API server refused the credentials (401) or the permission (403): not retried. */
  | { state: 'forbidden'; sinceMs: number; error: string; statusCode: 401 | 403 }
  | { state: 'error'; sinceMs: number; error: string };

/** A kind whose watch the cluster's API server refused (401/403): shown as "no permission". */
export interface KindDenied {
  kind: LiveKind;
  statusCode: 401 | 403;
  error: string;
}

export interface ClusterConnection {
  cluster: string;
  /** The worst of the kinds still watched; `forbidden` only when every kind is refused. */
  connection: ConnectionState;
  denied: KindDenied[];
}

/** One message of a live stream: a full snapshot of one (cluster, kind), changes, or cluster states. */
export type LiveMessage =
  /** `synced` false: the cache has not finished its first list yet (show loading, not empty). */
  | { type: 'snapshot'; cluster: string; kind: LiveKind; synced: boolean; objects: LiveObject[] }
  | { type: 'changes'; changes: LiveChange[] }
  | { type: 'clusters'; clusters: ClusterConnection[] };

export type LiveChange =
  | { op: 'upsert'; object: LiveObject }
  | { op: 'delete'; cluster: string; kind: LiveKind; namespace: string; name: string };
