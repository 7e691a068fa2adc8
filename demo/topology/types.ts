// The types of the topology: what a cluster of the demo is made of. Profiles (default-profile.ts,
// and larger ones for benchmarks) build values of these types with the helpers in builders.ts.
import type { InstanceTypeName, MigProfile } from './instances.ts';

export type ClusterName = 'us-east-prod' | 'eu-west-batch';

export interface NodeSpec {
  name: string;
  instanceType: InstanceTypeName;
  zone: string;
  /** `aws:///<zone>/<instance id>`; the instance id is the FOCUS ResourceId of the node. */
  providerID: string;
  instanceId: string;
  /** Covered by the savings plan (EffectiveCost below ListCost), billed on demand, or a spot instance. */
  pricing: 'savings-plan' | 'on-demand' | 'spot';
  /**
   * GPU sharing on this node: NVIDIA time-slicing (replicas per GPU), MIG partitions (the
   * instances of each device, mixed strategy), or whole devices when absent.
   */
  gpuSharing?: { mode: 'time-slicing'; replicasPerGpu: number } | { mode: 'mig'; layout: MigProfile[][] };
}

export type GpuRequest =
  /** Whole devices; `model` pins the pod to nodes with that GPU (a nodeSelector on the product label). */
  | { kind: 'whole'; count: number; model?: string }
  /** A slice of a time-sliced GPU, requested as `nvidia.com/gpu.shared`. */
  | { kind: 'time-sliced'; slices: number }
  /** MIG instances of one profile, requested as `nvidia.com/mig-<profile>`. */
  | { kind: 'mig'; profile: MigProfile; count: number };

export interface ContainerSpec {
  image: string;
  cpuRequestCores: number;
  memoryRequestBytes: number;
  gpu?: GpuRequest;
}

export interface NamespaceSpec {
  name: string;
  /** The owning team, as the namespace's `team` label; system namespaces have none. */
  team?: string;
}

export interface ServingWorkload {
  kind: 'Deployment' | 'KnativeService';
  name: string;
  namespace: string;
  team: string;
  container: ContainerSpec;
  replicas: number;
  /** Knative only. */
  minScale?: number;
  maxScale?: number;
  server: 'vllm' | 'http';
  model?: string;
  /** HTTP servers: the route their requests go to. */
  route?: string;
  /** Peak requests per second at the daily high, before weekly seasonality and noise. */
  peakRps: number;
  /** Requests one ready replica serves before queueing makes latency climb. */
  rpsPerReplica: number;
  baseLatencySeconds: number;
  sloP95Seconds: number;
  avgPromptTokens?: number;
  avgGenerationTokens?: number;
  /** Seconds from pod creation to ready (image pull + model load). */
  startupSeconds: number;
}

/**
 * A Deployment without request metrics of its own: gateways, vector databases, queues, caches,
 * notebooks, cluster add-ons. Its CPU follows the cluster's daily traffic around `busyShare`.
 */
export interface ServiceWorkload {
  kind: 'Deployment';
  name: string;
  namespace: string;
  /** Absent for cluster add-ons (kube-system, monitoring): shared costs, no team. */
  team?: string;
  container: ContainerSpec;
  replicas: number;
  /** Share of the requested CPU in use at the daily high. */
  busyShare: number;
  /** Share of each held GPU (or MIG instance) in use at the daily high; notebooks sit mostly idle. */
  gpuBusyShare?: number;
}

/** A DaemonSet: one pod on every node, or on GPU nodes only (dcgm-exporter, the device plugin). */
export interface DaemonSetSpec {
  name: string;
  namespace: string;
  container: ContainerSpec;
  gpuNodesOnly: boolean;
}

export interface PipelineStep {
  name: string;
  durationSeconds: number;
  container: ContainerSpec;
  /** Chance that one run of this step fails (the run then stops, marked Failed). */
  failureProbability: number;
  failureReason?: string;
}

export interface Pipeline {
  kind: 'ArgoWorkflow';
  name: string;
  namespace: string;
  team: string;
  /** A run starts every `everyMinutes` minutes of wall-clock time (aligned to the epoch). */
  everyMinutes: number;
  steps: PipelineStep[];
}

export interface BatchJob {
  kind: 'Job';
  name: string;
  namespace: string;
  team: string;
  /** UTC hour at which the nightly run starts. */
  startHourUtc: number;
  parallelism: number;
  durationSeconds: number;
  container: ContainerSpec;
}

export interface ClusterSpec {
  name: ClusterName;
  region: string;
  billingAccountId: string;
  subAccountId: string;
  subAccountName: string;
  nodes: NodeSpec[];
  namespaces: NamespaceSpec[];
  serving: ServingWorkload[];
  services: ServiceWorkload[];
  daemonSets: DaemonSetSpec[];
  pipelines: Pipeline[];
  jobs: BatchJob[];
  /** EKS control-plane fee, billed hourly per cluster. */
  controlPlaneUsdPerHour: string;
}
