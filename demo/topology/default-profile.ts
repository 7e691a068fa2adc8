// The default profile: two clusters of a platform shared by four teams. us-east-prod serves models
// (assistant: chat, a 70B model, guardrails; search: embedder, reranker, query rewriting, OCR;
// us-east-serving.ts) and runs the CPU services around them; eu-west-batch trains, evaluates and
// embeds in batch (eu-west-batch.ts).
import {
  container as c,
  GiB,
  nodePools,
  service,
  systemDaemonSets,
  systemNamespaces,
  systemServices,
  type NodeNaming,
} from './builders.ts';
import { h100, pipelineImage, reg, step } from './default-parts.ts';
import { euWestBatch } from './eu-west-batch.ts';
import type { ClusterSpec } from './types.ts';
import { usEastServing } from './us-east-serving.ts';

const usEast: NodeNaming = { octet: 1, region: 'us-east-1', zones: ['a', 'b'], instanceIdPrefix: 'i-0a1b2c3d4e5f6' };

/** The MIG node: two GPUs as seven 1g.10gb each, four as two 3g.40gb, two as 4g.40gb + 2g.20gb + 1g.10gb. */
const migLayout = [
  ...Array.from({ length: 2 }, () => Array.from({ length: 7 }, () => '1g.10gb' as const)),
  ...Array.from({ length: 4 }, () => ['3g.40gb', '3g.40gb'] as const),
  ...Array.from({ length: 2 }, () => ['4g.40gb', '2g.20gb', '1g.10gb'] as const),
].map((gpu) => [...gpu]);

const usEastProd: ClusterSpec = {
  name: 'us-east-prod',
  region: 'us-east-1',
  billingAccountId: '418827340012',
  subAccountId: '418827340012',
  subAccountName: 'ml-platform-prod',
  controlPlaneUsdPerHour: '0.10',
  nodes: nodePools(usEast, [
    { instanceType: 'g5.12xlarge', count: 2, pricing: 'savings-plan' },
    {
      instanceType: 'g5.12xlarge',
      count: 1,
      pricing: 'on-demand',
      gpuSharing: { mode: 'time-slicing', replicasPerGpu: 4 },
    },
    { instanceType: 'm6i.2xlarge', count: 2, pricing: 'on-demand' },
    { instanceType: 'p5.48xlarge', count: 2, pricing: 'savings-plan' },
    { instanceType: 'p5.48xlarge', count: 1, pricing: 'on-demand' },
    {
      instanceType: 'p4de.24xlarge',
      count: 1,
      pricing: 'savings-plan',
      gpuSharing: { mode: 'mig', layout: migLayout },
    },
    { instanceType: 'g6.12xlarge', count: 1, pricing: 'savings-plan' },
    { instanceType: 'g6.12xlarge', count: 1, pricing: 'on-demand' },
    { instanceType: 'm6i.4xlarge', count: 6, pricing: 'savings-plan' },
    { instanceType: 'm6i.4xlarge', count: 4, pricing: 'spot' },
    { instanceType: 'r6i.4xlarge', count: 3, pricing: 'savings-plan' },
  ]),
  namespaces: [
    ...systemNamespaces,
    { name: 'knative-serving', team: 'ml-platform' },
    { name: 'argo', team: 'ml-platform' },
    { name: 'platform-gateway', team: 'ml-platform' },
    { name: 'queues', team: 'ml-platform' },
    { name: 'ml-platform', team: 'ml-platform' },
    { name: 'llm-serving', team: 'assistant' },
    { name: 'assistant-apps', team: 'assistant' },
    { name: 'ml-pipelines', team: 'assistant' },
    { name: 'search', team: 'search' },
    { name: 'vector-db', team: 'search' },
    { name: 'notebooks', team: 'research' },
  ],
  serving: usEastServing,
  services: [
    ...systemServices('us-east-1'),
    service(
      'knative-serving',
      'ml-platform',
      'activator',
      2,
      c('gcr.io/knative-releases/knative.dev/serving/cmd/activator:v1.16.0', 0.3, 0.6),
      0.2,
    ),
    service(
      'knative-serving',
      'ml-platform',
      'autoscaler',
      1,
      c('gcr.io/knative-releases/knative.dev/serving/cmd/autoscaler:v1.16.0', 0.1, 0.1),
      0.3,
    ),
    service(
      'knative-serving',
      'ml-platform',
      'controller',
      1,
      c('gcr.io/knative-releases/knative.dev/serving/cmd/controller:v1.16.0', 0.1, 0.1),
      0.2,
    ),
    service('argo', 'ml-platform', 'argo-server', 2, c('quay.io/argoproj/argocli:v3.5.12', 0.1, 0.25), 0.1),
    service(
      'argo',
      'ml-platform',
      'workflow-controller',
      1,
      c('quay.io/argoproj/workflow-controller:v3.5.12', 0.2, 0.5),
      0.3,
    ),
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
      service(
        'notebooks',
        'research',
        `jupyter-${user}`,
        1,
        c(`${reg}/notebooks/pytorch-notebook:2024.11`, 2, 16, { kind: 'mig', profile: '1g.10gb', count: 1 }),
        0.1,
        0.06,
      ),
    ),
    ...['chen-wei', 'noah-schmidt'].map((user) =>
      service(
        'notebooks',
        'research',
        `jupyter-${user}`,
        1,
        c(`${reg}/notebooks/pytorch-notebook:2024.11`, 4, 64, { kind: 'mig', profile: '3g.40gb', count: 1 }),
        0.1,
        0.12,
      ),
    ),
  ],
  daemonSets: systemDaemonSets('us-east-1'),
  pipelines: [
    {
      kind: 'ArgoWorkflow',
      name: 'chat-adapter-training',
      namespace: 'ml-pipelines',
      team: 'assistant',
      everyMinutes: 120,
      steps: [
        step('ingest', 150, 0.02, 'source bucket throttled (SlowDown)', c(pipelineImage('ingest'), 2, 4)),
        step('preprocess', 240, 0.03, 'OOMKilled', c(pipelineImage('preprocess'), 4, 16)),
        step(
          'train',
          1200,
          0.08,
          'CUDA error: an illegal memory access was encountered',
          c(pipelineImage('train'), 8, 64, { kind: 'whole', count: 2, model: h100 }),
        ),
        step(
          'evaluate',
          300,
          0.04,
          'eval score 0.61 below gate 0.70',
          c(pipelineImage('evaluate'), 4, 16, { kind: 'whole', count: 1, model: h100 }),
        ),
        step('register', 45, 0.01, undefined, c(pipelineImage('register'), 1, 1)),
        step('deploy', 90, 0.01, undefined, c(pipelineImage('deploy'), 1, 1)),
      ],
    },
  ],
  jobs: [],
};

export const defaultClusters: ClusterSpec[] = [usEastProd, euWestBatch];
export { GiB };
