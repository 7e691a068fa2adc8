// `--profile large`: one cluster of 1,000 nodes and about 30,000 pods, generated from a few
// counts with the topology's own types and builders, for benchmarks of the app at platform size.
import {
  container,
  nodePools,
  service,
  systemDaemonSets,
  systemNamespaces,
  systemServices,
  type NodeNaming,
} from '../topology/builders.ts';
import type {
  ClusterSpec,
  NamespaceSpec,
  Pipeline,
  PipelineStep,
  ServiceWorkload,
  ServingWorkload,
} from '../topology/types.ts';

const teams = ['search', 'assistant', 'ml-platform', 'research', 'ads', 'payments', 'growth', 'trust', 'maps', 'media'];
const reg = 'registry.burnrate.dev';
const vllmImage = `${reg}/vllm/vllm-openai:v0.6.3`;
const smallModels = [
  'meta-llama/Llama-3.1-8B-Instruct',
  'mistralai/Mistral-7B-Instruct-v0.3',
  'Qwen/Qwen2.5-7B-Instruct',
];
const naming: NodeNaming = {
  octet: 3,
  region: 'us-east-1',
  zones: ['a', 'b', 'c'],
  instanceIdPrefix: 'i-0c1d2e3f4a5b6',
};
/** CPU workers per team (queues, vector DB shards, feature services) and replicas of each. */
const workersPerTeam = 26;
const workerReplicas = 80;

function serving(
  team: string,
  name: string,
  replicas: number,
  w: Omit<ServingWorkload, 'kind' | 'name' | 'namespace' | 'team' | 'replicas'>,
): ServingWorkload {
  return { kind: 'Deployment', name, namespace: `${team}-serving`, team, replicas, ...w };
}

/**
 * Per team: small chat models on one A10G each, a 70B-class model over 4 A100s, embedders on
 * time-sliced GPUs and HTTP gateways.
 */
function largeServing(): ServingWorkload[] {
  return teams.flatMap((team, t) => [
    ...[0, 1, 2, 3].map((m) =>
      serving(team, `chat-${m}`, 18, {
        container: container(vllmImage, 8, 40, { kind: 'whole', count: 1 }),
        server: 'vllm',
        model: smallModels[(t + m) % smallModels.length],
        peakRps: 40,
        rpsPerReplica: 3.2,
        baseLatencySeconds: 1.8,
        sloP95Seconds: 6,
        avgPromptTokens: 850,
        avgGenerationTokens: 310,
        startupSeconds: 30,
      }),
    ),
    serving(team, 'llm-70b', 5, {
      container: container(vllmImage, 32, 256, { kind: 'whole', count: 4 }),
      server: 'vllm',
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      peakRps: 10,
      rpsPerReplica: 2.5,
      baseLatencySeconds: 3.5,
      sloP95Seconds: 12,
      avgPromptTokens: 1200,
      avgGenerationTokens: 400,
      startupSeconds: 90,
    }),
    ...[0, 1, 2].map((e) =>
      serving(team, `embedder-${e}`, 20, {
        container: container(`${reg}/search/text-embeddings:1.5.2`, 1, 4, { kind: 'time-sliced', slices: 1 }),
        server: 'http',
        route: '/embed',
        peakRps: 800,
        rpsPerReplica: 80,
        baseLatencySeconds: 0.035,
        sloP95Seconds: 0.25,
        startupSeconds: 20,
      }),
    ),
    ...[0, 1].map((g) =>
      serving(team, `gateway-${g}`, 10, {
        container: container(`${reg}/platform/gateway:3.4.0`, 0.5, 1),
        server: 'http',
        route: '/v1/chat',
        peakRps: 400,
        rpsPerReplica: 55,
        baseLatencySeconds: 0.03,
        sloP95Seconds: 0.3,
        startupSeconds: 10,
      }),
    ),
  ]);
}

/** The bulk of the pods: CPU workers without request metrics of their own. */
function largeServices(): ServiceWorkload[] {
  return teams.flatMap((team) =>
    Array.from({ length: workersPerTeam }, (_, w) =>
      service(
        `${team}-apps`,
        team,
        `worker-${String(w).padStart(2, '0')}`,
        workerReplicas,
        container(`${reg}/${team}/worker:2.${w % 7}.0`, 0.25, 1),
        0.3 + 0.4 * ((w % 5) / 4),
      ),
    ),
  );
}

function step(name: string, durationSeconds: number, cpu: number, memGiB: number, gpus = 0): PipelineStep {
  return {
    name,
    durationSeconds,
    failureProbability: name === 'train' ? 0.08 : 0.02,
    failureReason: name === 'train' ? 'NCCL timeout: rank 5 did not respond' : 'OOMKilled',
    container: container(
      `${reg}/pipelines/${name}:0.9.0`,
      cpu,
      memGiB,
      gpus > 0 ? { kind: 'whole', count: gpus } : undefined,
    ),
  };
}

/** Two pipelines per team (a fine-tune on 8 A100s, an evaluation on 2), at staggered periods. */
function largePipelines(): Pipeline[] {
  return teams.flatMap((team, t): Pipeline[] => [
    {
      kind: 'ArgoWorkflow',
      name: `${team}-finetune`,
      namespace: `${team}-pipelines`,
      team,
      everyMinutes: 180 + 20 * t,
      steps: [
        step('ingest', 300, 4, 8),
        step('preprocess', 600, 8, 32),
        step('train', 3600, 64, 512, 8),
        step('evaluate', 600, 8, 32, 2),
        step('register', 60, 1, 1),
      ],
    },
    {
      kind: 'ArgoWorkflow',
      name: `${team}-eval`,
      namespace: `${team}-pipelines`,
      team,
      everyMinutes: 60 + 10 * t,
      steps: [step('ingest', 120, 2, 4), step('evaluate', 900, 8, 32, 2), step('report', 60, 1, 1)],
    },
  ]);
}

/** The large profile's only cluster, named as the default's serving cluster so ports and rules carry over. */
export function largeClusters(): ClusterSpec[] {
  const namespaces: NamespaceSpec[] = [...systemNamespaces, { name: 'knative-serving' }, { name: 'argo' }];
  for (const team of teams)
    for (const kind of ['serving', 'apps', 'pipelines']) namespaces.push({ name: `${team}-${kind}`, team });
  return [
    {
      name: 'us-east-prod',
      region: 'us-east-1',
      billingAccountId: '418827340012',
      subAccountId: '418827340012',
      subAccountName: 'ml-platform-prod',
      controlPlaneUsdPerHour: '0.10',
      nodes: nodePools(naming, [
        { instanceType: 'p4d.24xlarge', count: 30, pricing: 'savings-plan' },
        { instanceType: 'p4d.24xlarge', count: 10, pricing: 'on-demand' },
        { instanceType: 'g5.12xlarge', count: 160, pricing: 'savings-plan' },
        { instanceType: 'g5.12xlarge', count: 40, pricing: 'spot' },
        {
          instanceType: 'g5.12xlarge',
          count: 40,
          pricing: 'on-demand',
          gpuSharing: { mode: 'time-slicing', replicasPerGpu: 4 },
        },
        { instanceType: 'm6i.4xlarge', count: 480, pricing: 'savings-plan' },
        { instanceType: 'm6i.4xlarge', count: 240, pricing: 'spot' },
      ]),
      namespaces,
      serving: largeServing(),
      services: [...systemServices('us-east-1'), ...largeServices()],
      daemonSets: systemDaemonSets('us-east-1'),
      pipelines: largePipelines(),
      jobs: [],
    },
  ];
}
