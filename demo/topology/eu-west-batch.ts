// eu-west-batch: research's training and evaluation pipelines, ml-platform's nightly batch
// embedding, and the CPU services they need.
import {
  container as c,
  nodePools,
  service,
  systemDaemonSets,
  systemNamespaces,
  systemServices,
  type NodeNaming,
} from './builders.ts';
import { a100, h100, l4, pipelineImage, reg, step } from './default-parts.ts';
import type { ClusterSpec } from './types.ts';

const euWest: NodeNaming = { octet: 2, region: 'eu-west-1', zones: ['a', 'b'], instanceIdPrefix: 'i-0f9e8d7c6b5a4' };

export const euWestBatch: ClusterSpec = {
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
    ...systemNamespaces,
    { name: 'argo', team: 'ml-platform' },
    { name: 'datasets', team: 'ml-platform' },
    { name: 'research', team: 'research' },
    { name: 'ray', team: 'research' },
    { name: 'batch', team: 'search' },
  ],
  serving: [],
  services: [
    ...systemServices('eu-west-1'),
    service('argo', 'ml-platform', 'argo-server', 2, c('quay.io/argoproj/argocli:v3.5.12', 0.1, 0.25), 0.1),
    service(
      'argo',
      'ml-platform',
      'workflow-controller',
      1,
      c('quay.io/argoproj/workflow-controller:v3.5.12', 0.2, 0.5),
      0.3,
    ),
    service('datasets', 'ml-platform', 'dataset-cache', 4, c('minio/minio:RELEASE.2024-11-07T00-52-20Z', 2, 16), 0.3),
    service('research', 'research', 'experiment-tracker', 2, c('ghcr.io/mlflow/mlflow:v2.18.0', 1, 4), 0.15),
    service('ray', 'research', 'ray-head', 1, c('rayproject/ray:2.39.0-py311', 4, 16), 0.3),
    service('ray', 'research', 'ray-worker', 12, c('rayproject/ray:2.39.0-py311', 4, 16), 0.55),
  ],
  daemonSets: systemDaemonSets('eu-west-1'),
  pipelines: [
    {
      kind: 'ArgoWorkflow',
      name: 'llm-finetune',
      namespace: 'research',
      team: 'research',
      everyMinutes: 240,
      steps: [
        step('ingest', 300, 0.02, 'source bucket throttled (SlowDown)', c(pipelineImage('ingest'), 4, 8)),
        step('preprocess', 600, 0.03, 'OOMKilled', c(pipelineImage('preprocess'), 16, 64)),
        step(
          'train',
          5400,
          0.1,
          'NCCL timeout: rank 5 did not respond',
          c(pipelineImage('train'), 64, 512, { kind: 'whole', count: 8, model: a100 }),
        ),
        step(
          'evaluate',
          900,
          0.04,
          'eval score 0.58 below gate 0.70',
          c(pipelineImage('evaluate'), 8, 32, { kind: 'whole', count: 2, model: a100 }),
        ),
        step('register', 60, 0.01, undefined, c(pipelineImage('register'), 1, 1)),
        step('deploy', 120, 0.01, undefined, c(pipelineImage('deploy'), 1, 1)),
      ],
    },
    {
      kind: 'ArgoWorkflow',
      name: 'model-eval',
      namespace: 'research',
      team: 'research',
      everyMinutes: 360,
      steps: [
        step(
          'fetch-checkpoint',
          240,
          0.02,
          'checkpoint not found in s3://burnrate-research/ckpt',
          c(pipelineImage('fetch'), 2, 8),
        ),
        step(
          'generate',
          2400,
          0.05,
          'CUDA out of memory',
          c(pipelineImage('eval-generate'), 64, 640, { kind: 'whole', count: 8, model: h100 }),
        ),
        step('score', 600, 0.03, 'judge model rate-limited', c(pipelineImage('eval-score'), 8, 32)),
        step('report', 60, 0.01, undefined, c(pipelineImage('report'), 1, 1)),
      ],
    },
  ],
  jobs: [
    {
      kind: 'Job',
      name: 'batch-embed-nightly',
      namespace: 'batch',
      team: 'search',
      startHourUtc: 1,
      parallelism: 4,
      durationSeconds: 7200,
      container: c(`${reg}/search/batch-embed:1.5.2`, 8, 32, { kind: 'whole', count: 1, model: l4 }),
    },
  ],
};
