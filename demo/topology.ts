// The shape of the two simulated clusters: the one contract shared by the demo's Kubernetes API
// (demo/kube), its simulation and exporters (demo/sim), and its billing generator (demo/billing).
// Change a cluster here and every part of the demo follows.

export type ClusterName = 'us-east-prod' | 'eu-west-batch';

export interface InstanceType {
  name: string;
  vcpu: number;
  memoryGiB: number;
  gpuCount: number;
  gpuModel: string | null;
  gpuMemoryMiB: number;
  /** GPU board power at idle and at full load, for the power model. */
  gpuIdleWatts: number;
  gpuMaxWatts: number;
  onDemandUsdPerHour: string;
  /** Savings-plan effective rate (what FOCUS EffectiveCost shows for committed usage). */
  savingsPlanUsdPerHour: string;
}

export const instanceTypes = {
  'g5.12xlarge': {
    name: 'g5.12xlarge', vcpu: 48, memoryGiB: 192, gpuCount: 4, gpuModel: 'NVIDIA A10G',
    gpuMemoryMiB: 23028, gpuIdleWatts: 22, gpuMaxWatts: 300,
    onDemandUsdPerHour: '5.672', savingsPlanUsdPerHour: '3.9704',
  },
  'p4d.24xlarge': {
    name: 'p4d.24xlarge', vcpu: 96, memoryGiB: 1152, gpuCount: 8, gpuModel: 'NVIDIA A100-SXM4-40GB',
    gpuMemoryMiB: 40960, gpuIdleWatts: 55, gpuMaxWatts: 400,
    onDemandUsdPerHour: '32.7726', savingsPlanUsdPerHour: '22.9408',
  },
  'm6i.2xlarge': {
    name: 'm6i.2xlarge', vcpu: 8, memoryGiB: 32, gpuCount: 0, gpuModel: null,
    gpuMemoryMiB: 0, gpuIdleWatts: 0, gpuMaxWatts: 0,
    onDemandUsdPerHour: '0.384', savingsPlanUsdPerHour: '0.2688',
  },
} as const satisfies Record<string, InstanceType>;

export type InstanceTypeName = keyof typeof instanceTypes;

export interface NodeSpec {
  name: string;
  instanceType: InstanceTypeName;
  zone: string;
  /** `aws:///<zone>/<instance id>`; the instance id is the FOCUS ResourceId of the node. */
  providerID: string;
  instanceId: string;
  /** Covered by the savings plan (EffectiveCost below ListCost) or billed on demand. */
  pricing: 'savings-plan' | 'on-demand';
  /** GPU sharing on this node: whole devices, NVIDIA time-slicing (replicas per GPU), or none. */
  gpuSharing?: { mode: 'time-slicing'; replicasPerGpu: number };
}

export type GpuRequest =
  | { kind: 'whole'; count: number }
  /** A slice of a time-sliced GPU, requested as `nvidia.com/gpu.shared`. */
  | { kind: 'time-sliced'; slices: number };

export interface ContainerSpec {
  image: string;
  cpuRequestCores: number;
  memoryRequestBytes: number;
  gpu?: GpuRequest;
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
  /** `none`: a service without request metrics Burnrate reads (workers, queues, databases). */
  server: 'vllm' | 'http' | 'none';
  model?: string;
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
  namespaces: string[];
  serving: ServingWorkload[];
  pipelines: Pipeline[];
  jobs: BatchJob[];
  /** EKS control-plane fee, billed hourly per cluster. */
  controlPlaneUsdPerHour: string;
}

const GiB = 1024 ** 3;

function node(
  cluster: string, index: number, instanceType: InstanceTypeName, zone: string,
  pricing: NodeSpec['pricing'], instanceId: string, gpuSharing?: NodeSpec['gpuSharing'],
): NodeSpec {
  const name = `ip-10-${cluster === 'us-east-prod' ? 1 : 2}-${index}-${10 + index}.${zone.slice(0, -1)}.compute.internal`;
  return { name, instanceType, zone, providerID: `aws:///${zone}/${instanceId}`, instanceId, pricing, gpuSharing };
}

const vllmImage = 'registry.burnrate.dev/vllm/vllm-openai:v0.6.3';

export const clusters: ClusterSpec[] = [
  {
    name: 'us-east-prod',
    region: 'us-east-1',
    billingAccountId: '418827340012',
    subAccountId: '418827340012',
    subAccountName: 'ml-platform-prod',
    controlPlaneUsdPerHour: '0.10',
    nodes: [
      node('us-east-prod', 1, 'g5.12xlarge', 'us-east-1a', 'savings-plan', 'i-0a1b2c3d4e5f60001'),
      node('us-east-prod', 2, 'g5.12xlarge', 'us-east-1b', 'savings-plan', 'i-0a1b2c3d4e5f60002'),
      node('us-east-prod', 3, 'g5.12xlarge', 'us-east-1a', 'on-demand', 'i-0a1b2c3d4e5f60003',
        { mode: 'time-slicing', replicasPerGpu: 4 }),
      node('us-east-prod', 4, 'm6i.2xlarge', 'us-east-1a', 'on-demand', 'i-0a1b2c3d4e5f60004'),
      node('us-east-prod', 5, 'm6i.2xlarge', 'us-east-1b', 'on-demand', 'i-0a1b2c3d4e5f60005'),
    ],
    namespaces: ['default', 'kube-system', 'monitoring', 'llm-serving', 'search', 'ml-pipelines', 'knative-serving', 'argo'],
    serving: [
      {
        kind: 'Deployment', name: 'chat-llm', namespace: 'llm-serving', team: 'assistant',
        container: { image: vllmImage, cpuRequestCores: 8, memoryRequestBytes: 48 * GiB, gpu: { kind: 'whole', count: 1 } },
        replicas: 2, server: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct',
        peakRps: 9, rpsPerReplica: 3.2, baseLatencySeconds: 1.8, sloP95Seconds: 6,
        avgPromptTokens: 850, avgGenerationTokens: 310, startupSeconds: 30,
      },
      {
        kind: 'KnativeService', name: 'chat-llm-serverless', namespace: 'llm-serving', team: 'assistant',
        container: { image: vllmImage, cpuRequestCores: 8, memoryRequestBytes: 48 * GiB, gpu: { kind: 'whole', count: 1 } },
        replicas: 0, minScale: 0, maxScale: 3, server: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct',
        peakRps: 1.5, rpsPerReplica: 3.2, baseLatencySeconds: 1.8, sloP95Seconds: 8,
        avgPromptTokens: 850, avgGenerationTokens: 310, startupSeconds: 35,
      },
      {
        kind: 'Deployment', name: 'embedder', namespace: 'search', team: 'search',
        container: { image: 'registry.burnrate.dev/search/text-embeddings:1.5.2', cpuRequestCores: 2, memoryRequestBytes: 8 * GiB, gpu: { kind: 'time-sliced', slices: 1 } },
        replicas: 2, server: 'http', peakRps: 120, rpsPerReplica: 80, baseLatencySeconds: 0.035, sloP95Seconds: 0.25,
        startupSeconds: 20,
      },
      {
        kind: 'Deployment', name: 'reranker', namespace: 'search', team: 'search',
        container: { image: 'registry.burnrate.dev/search/reranker:2.0.1', cpuRequestCores: 2, memoryRequestBytes: 8 * GiB, gpu: { kind: 'time-sliced', slices: 1 } },
        replicas: 1, server: 'http', peakRps: 40, rpsPerReplica: 55, baseLatencySeconds: 0.06, sloP95Seconds: 0.4,
        startupSeconds: 20,
      },
    ],
    pipelines: [
      {
        kind: 'ArgoWorkflow', name: 'chat-adapter-training', namespace: 'ml-pipelines', team: 'assistant',
        everyMinutes: 120,
        steps: [
          { name: 'ingest', durationSeconds: 150, failureProbability: 0.02, failureReason: 'source bucket throttled (SlowDown)', container: { image: 'registry.burnrate.dev/pipelines/ingest:0.9.0', cpuRequestCores: 2, memoryRequestBytes: 4 * GiB } },
          { name: 'preprocess', durationSeconds: 240, failureProbability: 0.03, failureReason: 'OOMKilled', container: { image: 'registry.burnrate.dev/pipelines/preprocess:0.9.0', cpuRequestCores: 4, memoryRequestBytes: 16 * GiB } },
          { name: 'train', durationSeconds: 1200, failureProbability: 0.08, failureReason: 'CUDA error: an illegal memory access was encountered', container: { image: 'registry.burnrate.dev/pipelines/train:0.9.0', cpuRequestCores: 8, memoryRequestBytes: 64 * GiB, gpu: { kind: 'whole', count: 2 } } },
          { name: 'evaluate', durationSeconds: 300, failureProbability: 0.04, failureReason: 'eval score 0.61 below gate 0.70', container: { image: 'registry.burnrate.dev/pipelines/evaluate:0.9.0', cpuRequestCores: 4, memoryRequestBytes: 16 * GiB, gpu: { kind: 'whole', count: 1 } } },
          { name: 'register', durationSeconds: 45, failureProbability: 0.01, container: { image: 'registry.burnrate.dev/pipelines/register:0.9.0', cpuRequestCores: 1, memoryRequestBytes: 1 * GiB } },
          { name: 'deploy', durationSeconds: 90, failureProbability: 0.01, container: { image: 'registry.burnrate.dev/pipelines/deploy:0.9.0', cpuRequestCores: 1, memoryRequestBytes: 1 * GiB } },
        ],
      },
    ],
    jobs: [],
  },
  {
    name: 'eu-west-batch',
    region: 'eu-west-1',
    billingAccountId: '418827340012',
    subAccountId: '730119284455',
    subAccountName: 'ml-research-batch',
    controlPlaneUsdPerHour: '0.10',
    nodes: [
      node('eu-west-batch', 1, 'p4d.24xlarge', 'eu-west-1a', 'savings-plan', 'i-0f9e8d7c6b5a40001'),
      node('eu-west-batch', 2, 'p4d.24xlarge', 'eu-west-1b', 'on-demand', 'i-0f9e8d7c6b5a40002'),
      node('eu-west-batch', 3, 'm6i.2xlarge', 'eu-west-1a', 'on-demand', 'i-0f9e8d7c6b5a40003'),
    ],
    namespaces: ['default', 'kube-system', 'monitoring', 'research', 'batch', 'argo'],
    serving: [],
    pipelines: [
      {
        kind: 'ArgoWorkflow', name: 'llm-finetune', namespace: 'research', team: 'research',
        everyMinutes: 240,
        steps: [
          { name: 'ingest', durationSeconds: 300, failureProbability: 0.02, failureReason: 'source bucket throttled (SlowDown)', container: { image: 'registry.burnrate.dev/pipelines/ingest:0.9.0', cpuRequestCores: 4, memoryRequestBytes: 8 * GiB } },
          { name: 'preprocess', durationSeconds: 600, failureProbability: 0.03, failureReason: 'OOMKilled', container: { image: 'registry.burnrate.dev/pipelines/preprocess:0.9.0', cpuRequestCores: 16, memoryRequestBytes: 64 * GiB } },
          { name: 'train', durationSeconds: 5400, failureProbability: 0.1, failureReason: 'NCCL timeout: rank 5 did not respond', container: { image: 'registry.burnrate.dev/pipelines/train:0.9.0', cpuRequestCores: 64, memoryRequestBytes: 512 * GiB, gpu: { kind: 'whole', count: 8 } } },
          { name: 'evaluate', durationSeconds: 900, failureProbability: 0.04, failureReason: 'eval score 0.58 below gate 0.70', container: { image: 'registry.burnrate.dev/pipelines/evaluate:0.9.0', cpuRequestCores: 8, memoryRequestBytes: 32 * GiB, gpu: { kind: 'whole', count: 2 } } },
          { name: 'register', durationSeconds: 60, failureProbability: 0.01, container: { image: 'registry.burnrate.dev/pipelines/register:0.9.0', cpuRequestCores: 1, memoryRequestBytes: 1 * GiB } },
          { name: 'deploy', durationSeconds: 120, failureProbability: 0.01, container: { image: 'registry.burnrate.dev/pipelines/deploy:0.9.0', cpuRequestCores: 1, memoryRequestBytes: 1 * GiB } },
        ],
      },
    ],
    jobs: [
      {
        kind: 'Job', name: 'batch-embed-nightly', namespace: 'batch', team: 'search', startHourUtc: 1,
        parallelism: 4, durationSeconds: 7200,
        container: { image: 'registry.burnrate.dev/search/batch-embed:1.5.2', cpuRequestCores: 8, memoryRequestBytes: 32 * GiB, gpu: { kind: 'whole', count: 1 } },
      },
    ],
  },
];

/** Ports of the demo's own servers (the app, Prometheus and Alertmanager have theirs in DESIGN). */
export const demoPorts = {
  kubeApi: { 'us-east-prod': 16443, 'eu-west-batch': 16444 } satisfies Record<ClusterName, number>,
  /** One HTTP server for all exporters: /clusters/<cluster>/<exporter>/metrics. */
  exporters: 9450,
  /** Simulation control (scenarios, clock) for the e2e tests. */
  control: 9451,
} as const;

/** Bearer tokens of the demo users; the demo API answers SelfSubjectAccessReview by role. */
export const demoTokens = {
  viewer: 'demo-viewer-token',
  operator: 'demo-operator-token',
  admin: 'demo-admin-token',
  /** The identity the Burnrate app itself uses against the demo API. */
  app: 'demo-burnrate-app-token',
} as const;

/** Stable UUID of GPU `index` on `nodeName`, as dcgm-exporter's `UUID` label shows it. */
export function gpuUuid(nodeName: string, index: number): string {
  let h = 2166136261;
  for (const ch of `${nodeName}/${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const hex = (h.toString(16).padStart(8, '0') + (h ^ 0x9e3779b9).toString(16).padStart(8, '0')).slice(0, 16);
  return `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${index.toString(16).padStart(4, '0')}-${nodeName.length.toString(16).padStart(12, '0')}`;
}

/**
 * Labels and annotations the demo's controllers put on pods, which the simulation reads back:
 * - `app.kubernetes.io/name`: the workload (Deployment, Knative Service, Job or pipeline) name;
 * - `burnrate.dev/team`: the owning team (also on the workload);
 * - `workflows.argoproj.io/workflow`: the Argo run a step pod belongs to; `job-name` for Jobs;
 * - `serving.knative.dev/service` and `serving.knative.dev/revision` for Knative pods;
 * - annotation `demo.burnrate.dev/gpu-indexes`: "0,1", the devices the scheduler gave the pod
 *   on its node (for time-sliced GPUs, the device that hosts the slice).
 */
export const podLabels = {
  workload: 'app.kubernetes.io/name',
  team: 'burnrate.dev/team',
  workflow: 'workflows.argoproj.io/workflow',
  job: 'job-name',
  knativeService: 'serving.knative.dev/service',
  knativeRevision: 'serving.knative.dev/revision',
  gpuIndexes: 'demo.burnrate.dev/gpu-indexes',
} as const;
