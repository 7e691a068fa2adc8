// The default profile: two clusters of a platform shared by four teams. us-east-prod serves models
// (assistant: chat, a 70B model, guardrails; search: embedder, reranker, query rewriting, OCR) and
// runs the CPU services around them; eu-west-batch trains, evaluates and embeds in batch.
import {
  container as c, GiB, nodePools, service, systemDaemonSets, systemServices, type NodeNaming,
} from './builders.ts';
import type { ClusterSpec, PipelineStep, ServingWorkload } from './types.ts';

const h100 = 'NVIDIA H100 80GB HBM3';
const a100 = 'NVIDIA A100-SXM4-40GB';
const a10g = 'NVIDIA A10G';
const l4 = 'NVIDIA L4';
const reg = 'registry.burnrate.dev';
const vllmImage = `${reg}/vllm/vllm-openai:v0.6.3`;

const usEast: NodeNaming = { octet: 1, region: 'us-east-1', zones: ['a', 'b'], instanceIdPrefix: 'i-0a1b2c3d4e5f6' };
const euWest: NodeNaming = { octet: 2, region: 'eu-west-1', zones: ['a', 'b'], instanceIdPrefix: 'i-0f9e8d7c6b5a4' };

/** The MIG node: two GPUs as seven 1g.10gb each, four as two 3g.40gb, two as 4g.40gb + 2g.20gb + 1g.10gb. */
const migLayout = [
  ...Array.from({ length: 2 }, () => Array.from({ length: 7 }, () => '1g.10gb' as const)),
  ...Array.from({ length: 4 }, () => ['3g.40gb', '3g.40gb'] as const),
  ...Array.from({ length: 2 }, () => ['4g.40gb', '2g.20gb', '1g.10gb'] as const),
].map((gpu) => [...gpu]);

function vllm(
  w: Omit<ServingWorkload, 'kind' | 'server' | 'container' | 'replicas'> & { gpu: ServingWorkload['container']['gpu']; replicas?: number; cpu: number; memGiB: number },
): ServingWorkload {
  const { gpu, cpu, memGiB, ...rest } = w;
  return { kind: 'Deployment', server: 'vllm', replicas: 1, container: c(vllmImage, cpu, memGiB, gpu), ...rest };
}

function step(name: string, durationSeconds: number, failureProbability: number, failureReason: string | undefined, spec: ReturnType<typeof c>): PipelineStep {
  return { name, durationSeconds, failureProbability, ...(failureReason ? { failureReason } : {}), container: spec };
}

const pipelineImage = (name: string): string => `${reg}/pipelines/${name}:0.9.0`;

const usEastProd: ClusterSpec = {
  name: 'us-east-prod',
  region: 'us-east-1',
  billingAccountId: '418827340012',
  subAccountId: '418827340012',
  subAccountName: 'ml-platform-prod',
  controlPlaneUsdPerHour: '0.10',
  nodes: nodePools(usEast, [
    { instanceType: 'g5.12xlarge', count: 2, pricing: 'savings-plan' },
    { instanceType: 'g5.12xlarge', count: 1, pricing: 'on-demand', gpuSharing: { mode: 'time-slicing', replicasPerGpu: 4 } },
    { instanceType: 'm6i.2xlarge', count: 2, pricing: 'on-demand' },
    { instanceType: 'p5.48xlarge', count: 2, pricing: 'savings-plan' },
    { instanceType: 'p5.48xlarge', count: 1, pricing: 'on-demand' },
    { instanceType: 'p4de.24xlarge', count: 1, pricing: 'savings-plan', gpuSharing: { mode: 'mig', layout: migLayout } },
    { instanceType: 'g6.12xlarge', count: 1, pricing: 'savings-plan' },
    { instanceType: 'g6.12xlarge', count: 1, pricing: 'on-demand' },
    { instanceType: 'm6i.4xlarge', count: 6, pricing: 'savings-plan' },
    { instanceType: 'm6i.4xlarge', count: 4, pricing: 'spot' },
    { instanceType: 'r6i.4xlarge', count: 3, pricing: 'savings-plan' },
  ]),
  namespaces: [
    { name: 'default' }, { name: 'kube-system' }, { name: 'monitoring' }, { name: 'amazon-cloudwatch' }, { name: 'gpu-operator' },
    { name: 'knative-serving', team: 'ml-platform' }, { name: 'argo', team: 'ml-platform' },
    { name: 'platform-gateway', team: 'ml-platform' }, { name: 'queues', team: 'ml-platform' }, { name: 'ml-platform', team: 'ml-platform' },
    { name: 'llm-serving', team: 'assistant' }, { name: 'assistant-apps', team: 'assistant' }, { name: 'ml-pipelines', team: 'assistant' },
    { name: 'search', team: 'search' }, { name: 'vector-db', team: 'search' },
    { name: 'notebooks', team: 'research' },
  ],
  serving: [
    vllm({
      name: 'chat-llm', namespace: 'llm-serving', team: 'assistant', gpu: { kind: 'whole', count: 1, model: h100 }, cpu: 8, memGiB: 48,
      replicas: 2, model: 'meta-llama/Llama-3.1-8B-Instruct',
      peakRps: 9, rpsPerReplica: 3.2, baseLatencySeconds: 1.8, sloP95Seconds: 6,
      avgPromptTokens: 850, avgGenerationTokens: 310, startupSeconds: 30,
    }),
    {
      ...vllm({
        name: 'chat-llm-serverless', namespace: 'llm-serving', team: 'assistant', gpu: { kind: 'whole', count: 1, model: h100 }, cpu: 8, memGiB: 48,
        replicas: 0, model: 'meta-llama/Llama-3.1-8B-Instruct',
        peakRps: 1.5, rpsPerReplica: 3.2, baseLatencySeconds: 1.8, sloP95Seconds: 8,
        avgPromptTokens: 850, avgGenerationTokens: 310, startupSeconds: 35,
      }),
      kind: 'KnativeService', minScale: 0, maxScale: 3,
    },
    vllm({
      name: 'assistant-70b', namespace: 'llm-serving', team: 'assistant', gpu: { kind: 'whole', count: 4, model: h100 }, cpu: 32, memGiB: 320,
      replicas: 2, model: 'meta-llama/Llama-3.1-70B-Instruct',
      peakRps: 3, rpsPerReplica: 2.2, baseLatencySeconds: 4.5, sloP95Seconds: 14,
      avgPromptTokens: 1400, avgGenerationTokens: 420, startupSeconds: 240,
    }),
    vllm({
      name: 'guardrails', namespace: 'llm-serving', team: 'assistant', gpu: { kind: 'whole', count: 1, model: l4 }, cpu: 4, memGiB: 24,
      replicas: 3, model: 'meta-llama/Llama-Guard-3-8B',
      peakRps: 12, rpsPerReplica: 5, baseLatencySeconds: 0.45, sloP95Seconds: 1.5,
      avgPromptTokens: 900, avgGenerationTokens: 8, startupSeconds: 60,
    }),
    vllm({
      name: 'query-rewriter', namespace: 'search', team: 'search', gpu: { kind: 'whole', count: 1, model: a10g }, cpu: 4, memGiB: 16,
      replicas: 2, model: 'Qwen/Qwen2.5-1.5B-Instruct',
      peakRps: 25, rpsPerReplica: 14, baseLatencySeconds: 0.35, sloP95Seconds: 1.2,
      avgPromptTokens: 120, avgGenerationTokens: 40, startupSeconds: 40,
    }),
    {
      kind: 'Deployment', name: 'embedder', namespace: 'search', team: 'search', route: '/embed',
      container: c(`${reg}/search/text-embeddings:1.5.2`, 2, 8, { kind: 'time-sliced', slices: 1 }),
      replicas: 2, server: 'http', peakRps: 120, rpsPerReplica: 80, baseLatencySeconds: 0.035, sloP95Seconds: 0.25,
      startupSeconds: 20,
    },
    {
      kind: 'Deployment', name: 'reranker', namespace: 'search', team: 'search', route: '/rerank',
      container: c(`${reg}/search/reranker:2.0.1`, 2, 8, { kind: 'time-sliced', slices: 1 }),
      replicas: 1, server: 'http', peakRps: 40, rpsPerReplica: 55, baseLatencySeconds: 0.06, sloP95Seconds: 0.4,
      startupSeconds: 20,
    },
    {
      kind: 'Deployment', name: 'doc-ocr', namespace: 'search', team: 'search', route: '/ocr',
      container: c(`${reg}/search/doc-ocr:0.4.0`, 4, 16, { kind: 'mig', profile: '3g.40gb', count: 1 }),
      replicas: 3, server: 'http', peakRps: 6, rpsPerReplica: 3, baseLatencySeconds: 0.8, sloP95Seconds: 3,
      startupSeconds: 45,
    },
    {
      kind: 'Deployment', name: 'intent-classifier', namespace: 'llm-serving', team: 'assistant', route: '/classify',
      container: c(`${reg}/assistant/intent-classifier:1.2.0`, 1, 4, { kind: 'mig', profile: '1g.10gb', count: 1 }),
      replicas: 4, server: 'http', peakRps: 60, rpsPerReplica: 25, baseLatencySeconds: 0.02, sloP95Seconds: 0.1,
      startupSeconds: 20,
    },
  ],
  services: [
    ...systemServices('us-east-1'),
    service('knative-serving', 'ml-platform', 'activator', 2, c('gcr.io/knative-releases/knative.dev/serving/cmd/activator:v1.16.0', 0.3, 0.6), 0.2),
    service('knative-serving', 'ml-platform', 'autoscaler', 1, c('gcr.io/knative-releases/knative.dev/serving/cmd/autoscaler:v1.16.0', 0.1, 0.1), 0.3),
    service('knative-serving', 'ml-platform', 'controller', 1, c('gcr.io/knative-releases/knative.dev/serving/cmd/controller:v1.16.0', 0.1, 0.1), 0.2),
    service('argo', 'ml-platform', 'argo-server', 2, c('quay.io/argoproj/argocli:v3.5.12', 0.1, 0.25), 0.1),
    service('argo', 'ml-platform', 'workflow-controller', 1, c('quay.io/argoproj/workflow-controller:v3.5.12', 0.2, 0.5), 0.3),
    service('platform-gateway', 'ml-platform', 'api-gateway', 8, c('envoyproxy/envoy:v1.32.1', 1, 1), 0.4),
    service('queues', 'ml-platform', 'kafka', 3, c('bitnami/kafka:3.8.1', 4, 16), 0.3),
    service('queues', 'ml-platform', 'task-queue', 3, c('rabbitmq:3.13.7-management', 1, 4), 0.25),
    service('ml-platform', 'ml-platform', 'model-registry', 2, c('ghcr.io/mlflow/mlflow:v2.18.0', 1, 4), 0.15),
    service('ml-platform', 'ml-platform', 'feature-store', 4, c('feastdev/feature-server:0.41.3', 2, 8), 0.35),
    service('assistant-apps', 'assistant', 'chat-gateway', 8, c(`${reg}/assistant/chat-gateway:3.4.1`, 1, 2), 0.45),
    service('assistant-apps', 'assistant', 'conversation-store', 3, c('redis:7.4.1', 2, 16), 0.3),
    service('search', 'search', 'search-api', 12, c(`${reg}/search/search-api:5.2.0`, 1, 2), 0.5),
    service('search', 'search', 'indexer', 4, c(`${reg}/search/indexer:5.2.0`, 2, 8), 0.6),
    service('vector-db', 'search', 'qdrant', 6, c('qdrant/qdrant:v1.12.4', 4, 24), 0.35),
    ...['mei-tanaka', 'jonas-weber', 'amara-okafor', 'lukas-berg', 'sofia-rossi', 'priya-nair'].map((user) =>
      service('notebooks', 'research', `jupyter-${user}`, 1, c(`${reg}/notebooks/pytorch-notebook:2024.11`, 2, 16, { kind: 'mig', profile: '1g.10gb', count: 1 }), 0.1, 0.06)),
    ...['chen-wei', 'noah-schmidt'].map((user) =>
      service('notebooks', 'research', `jupyter-${user}`, 1, c(`${reg}/notebooks/pytorch-notebook:2024.11`, 4, 64, { kind: 'mig', profile: '3g.40gb', count: 1 }), 0.1, 0.12)),
  ],
  daemonSets: systemDaemonSets('us-east-1'),
  pipelines: [
    {
      kind: 'ArgoWorkflow', name: 'chat-adapter-training', namespace: 'ml-pipelines', team: 'assistant',
      everyMinutes: 120,
      steps: [
        step('ingest', 150, 0.02, 'source bucket throttled (SlowDown)', c(pipelineImage('ingest'), 2, 4)),
        step('preprocess', 240, 0.03, 'OOMKilled', c(pipelineImage('preprocess'), 4, 16)),
        step('train', 1200, 0.08, 'CUDA error: an illegal memory access was encountered', c(pipelineImage('train'), 8, 64, { kind: 'whole', count: 2, model: h100 })),
        step('evaluate', 300, 0.04, 'eval score 0.61 below gate 0.70', c(pipelineImage('evaluate'), 4, 16, { kind: 'whole', count: 1, model: h100 })),
        step('register', 45, 0.01, undefined, c(pipelineImage('register'), 1, 1)),
        step('deploy', 90, 0.01, undefined, c(pipelineImage('deploy'), 1, 1)),
      ],
    },
  ],
  jobs: [],
};

const euWestBatch: ClusterSpec = {
  name: 'eu-west-batch',
  region: 'eu-west-1',
  billingAccountId: '418827340012',
  subAccountId: '730119284455',
  subAccountName: 'ml-research-batch',
  controlPlaneUsdPerHour: '0.10',
  nodes: nodePools(euWest, [
    { instanceType: 'p4d.24xlarge', count: 1, pricing: 'savings-plan' },
    { instanceType: 'p4d.24xlarge', count: 1, pricing: 'on-demand' },
    { instanceType: 'm6i.2xlarge', count: 1, pricing: 'on-demand' },
    { instanceType: 'p5.48xlarge', count: 1, pricing: 'on-demand' },
    { instanceType: 'g6.12xlarge', count: 2, pricing: 'spot' },
    { instanceType: 'm6i.4xlarge', count: 5, pricing: 'savings-plan' },
    { instanceType: 'm6i.4xlarge', count: 4, pricing: 'spot' },
    { instanceType: 'r6i.4xlarge', count: 2, pricing: 'savings-plan' },
  ]),
  namespaces: [
    { name: 'default' }, { name: 'kube-system' }, { name: 'monitoring' }, { name: 'amazon-cloudwatch' }, { name: 'gpu-operator' },
    { name: 'argo', team: 'ml-platform' }, { name: 'datasets', team: 'ml-platform' },
    { name: 'research', team: 'research' }, { name: 'ray', team: 'research' },
    { name: 'batch', team: 'search' },
  ],
  serving: [],
  services: [
    ...systemServices('eu-west-1'),
    service('argo', 'ml-platform', 'argo-server', 2, c('quay.io/argoproj/argocli:v3.5.12', 0.1, 0.25), 0.1),
    service('argo', 'ml-platform', 'workflow-controller', 1, c('quay.io/argoproj/workflow-controller:v3.5.12', 0.2, 0.5), 0.3),
    service('datasets', 'ml-platform', 'dataset-cache', 4, c('minio/minio:RELEASE.2024-11-07T00-52-20Z', 2, 16), 0.3),
    service('research', 'research', 'experiment-tracker', 2, c('ghcr.io/mlflow/mlflow:v2.18.0', 1, 4), 0.15),
    service('ray', 'research', 'ray-head', 1, c('rayproject/ray:2.39.0-py311', 4, 16), 0.3),
    service('ray', 'research', 'ray-worker', 12, c('rayproject/ray:2.39.0-py311', 4, 16), 0.55),
  ],
  daemonSets: systemDaemonSets('eu-west-1'),
  pipelines: [
    {
      kind: 'ArgoWorkflow', name: 'llm-finetune', namespace: 'research', team: 'research',
      everyMinutes: 240,
      steps: [
        step('ingest', 300, 0.02, 'source bucket throttled (SlowDown)', c(pipelineImage('ingest'), 4, 8)),
        step('preprocess', 600, 0.03, 'OOMKilled', c(pipelineImage('preprocess'), 16, 64)),
        step('train', 5400, 0.1, 'NCCL timeout: rank 5 did not respond', c(pipelineImage('train'), 64, 512, { kind: 'whole', count: 8, model: a100 })),
        step('evaluate', 900, 0.04, 'eval score 0.58 below gate 0.70', c(pipelineImage('evaluate'), 8, 32, { kind: 'whole', count: 2, model: a100 })),
        step('register', 60, 0.01, undefined, c(pipelineImage('register'), 1, 1)),
        step('deploy', 120, 0.01, undefined, c(pipelineImage('deploy'), 1, 1)),
      ],
    },
    {
      kind: 'ArgoWorkflow', name: 'model-eval', namespace: 'research', team: 'research',
      everyMinutes: 360,
      steps: [
        step('fetch-checkpoint', 240, 0.02, 'checkpoint not found in s3://burnrate-research/ckpt', c(pipelineImage('fetch'), 2, 8)),
        step('generate', 2400, 0.05, 'CUDA out of memory', c(pipelineImage('eval-generate'), 64, 640, { kind: 'whole', count: 8, model: h100 })),
        step('score', 600, 0.03, 'judge model rate-limited', c(pipelineImage('eval-score'), 8, 32)),
        step('report', 60, 0.01, undefined, c(pipelineImage('report'), 1, 1)),
      ],
    },
  ],
  jobs: [
    {
      kind: 'Job', name: 'batch-embed-nightly', namespace: 'batch', team: 'search', startHourUtc: 1,
      parallelism: 4, durationSeconds: 7200,
      container: c(`${reg}/search/batch-embed:1.5.2`, 8, 32, { kind: 'whole', count: 1, model: l4 }),
    },
  ],
};

export const defaultClusters: ClusterSpec[] = [usEastProd, euWestBatch];
export { GiB };
