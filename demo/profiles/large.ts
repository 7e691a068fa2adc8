// `--profile large`: one cluster of 1,000 nodes and about 30,000 pods, generated from a few
// counts with the topology's own types, for benchmarks of the app at the size of a big platform.
import type {
  ClusterSpec, ContainerSpec, InstanceTypeName, NodeSpec, Pipeline, PipelineStep, ServingWorkload,
} from '../topology.ts';

const GiB = 1024 ** 3;
const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const teams = ['search', 'assistant', 'ml-platform', 'research', 'ads', 'payments', 'growth', 'trust', 'maps', 'media'];
const vllmImage = 'registry.burnrate.dev/vllm/vllm-openai:v0.6.3';
const smallModels = ['meta-llama/Llama-3.1-8B-Instruct', 'mistralai/Mistral-7B-Instruct-v0.3', 'Qwen/Qwen2.5-7B-Instruct'];

/** Node pools: [instance type, count, GPU sharing]; 1,000 nodes in all. */
const pools: [InstanceTypeName, number, NodeSpec['gpuSharing']?][] = [
  ['p4d.24xlarge', 40],
  ['g5.12xlarge', 200],
  ['g5.12xlarge', 40, { mode: 'time-slicing', replicasPerGpu: 4 }],
  ['m6i.2xlarge', 720],
];

function largeNodes(): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  for (const [instanceType, count, gpuSharing] of pools) {
    for (let i = 0; i < count; i++) {
      const n = nodes.length + 1;
      const zone = zones[n % zones.length]!;
      const instanceId = `i-0c${n.toString(16).padStart(15, '0')}`;
      nodes.push({
        name: `ip-10-3-${Math.floor(n / 250)}-${n % 250}.${zone.slice(0, -1)}.compute.internal`,
        instanceType, zone, providerID: `aws:///${zone}/${instanceId}`, instanceId,
        pricing: n % 3 === 0 ? 'on-demand' : 'savings-plan', gpuSharing,
      });
    }
  }
  return nodes;
}

function serving(
  team: string, name: string, container: ContainerSpec, replicas: number, extra: Partial<ServingWorkload> = {},
): ServingWorkload {
  return {
    kind: 'Deployment', name, namespace: `${team}-serving`, team, container, replicas, server: 'http',
    peakRps: replicas * 40, rpsPerReplica: 55, baseLatencySeconds: 0.03, sloP95Seconds: 0.3, startupSeconds: 15,
    ...extra,
  };
}

/**
 * Per team: small chat models on one A10G each, a 70B-class model over 4 A100s, embedders on
 * time-sliced GPUs, a few HTTP gateways, and many CPU workers (queues, vector DB shards,
 * feature services): the bulk of the pods, with no request metrics of their own.
 */
function largeServing(): ServingWorkload[] {
  const out: ServingWorkload[] = [];
  teams.forEach((team, t) => {
    for (let m = 0; m < 4; m++) {
      out.push(serving(team, `chat-${m}`, { image: vllmImage, cpuRequestCores: 8, memoryRequestBytes: 40 * GiB, gpu: { kind: 'whole', count: 1 } }, 18, {
        server: 'vllm', model: smallModels[(t + m) % smallModels.length], peakRps: 40, rpsPerReplica: 3.2,
        baseLatencySeconds: 1.8, sloP95Seconds: 6, avgPromptTokens: 850, avgGenerationTokens: 310, startupSeconds: 30,
      }));
    }
    out.push(serving(team, 'llm-70b', { image: vllmImage, cpuRequestCores: 32, memoryRequestBytes: 256 * GiB, gpu: { kind: 'whole', count: 4 } }, 5, {
      server: 'vllm', model: 'meta-llama/Llama-3.1-70B-Instruct', peakRps: 12, rpsPerReplica: 2.5,
      baseLatencySeconds: 3.5, sloP95Seconds: 12, avgPromptTokens: 1200, avgGenerationTokens: 400, startupSeconds: 90,
    }));
    for (let e = 0; e < 3; e++) {
      out.push(serving(team, `embedder-${e}`, { image: 'registry.burnrate.dev/search/text-embeddings:1.5.2', cpuRequestCores: 1, memoryRequestBytes: 4 * GiB, gpu: { kind: 'time-sliced', slices: 1 } }, 20, {
        peakRps: 800, rpsPerReplica: 80, baseLatencySeconds: 0.035, sloP95Seconds: 0.25,
      }));
    }
    for (let g = 0; g < 2; g++) {
      out.push(serving(team, `gateway-${g}`, { image: 'registry.burnrate.dev/platform/gateway:3.4.0', cpuRequestCores: 0.5, memoryRequestBytes: 1 * GiB }, 10));
    }
    for (let w = 0; w < 38; w++) {
      out.push(serving(team, `worker-${w.toString().padStart(2, '0')}`, {
        image: `registry.burnrate.dev/${team}/worker:2.${w % 7}.0`, cpuRequestCores: 0.15, memoryRequestBytes: 0.5 * GiB,
      }, 75, { namespace: `${team}-apps`, server: 'none' }));
    }
  });
  return out;
}

function step(name: string, durationSeconds: number, cpu: number, memGiB: number, gpus = 0): PipelineStep {
  return {
    name, durationSeconds, failureProbability: name === 'train' ? 0.08 : 0.02,
    failureReason: name === 'train' ? 'NCCL timeout: rank 5 did not respond' : 'OOMKilled',
    container: {
      image: `registry.burnrate.dev/pipelines/${name}:0.9.0`, cpuRequestCores: cpu, memoryRequestBytes: memGiB * GiB,
      ...(gpus > 0 ? { gpu: { kind: 'whole' as const, count: gpus } } : {}),
    },
  };
}

/** Two pipelines per team (a fine-tune on 8 A100s, an evaluation on 2), at staggered periods. */
function largePipelines(): Pipeline[] {
  return teams.flatMap((team, t): Pipeline[] => [
    {
      kind: 'ArgoWorkflow', name: `${team}-finetune`, namespace: `${team}-pipelines`, team, everyMinutes: 180 + 20 * t,
      steps: [step('ingest', 300, 4, 8), step('preprocess', 600, 8, 32), step('train', 3600, 64, 512, 8), step('evaluate', 600, 8, 32, 2), step('register', 60, 1, 1)],
    },
    {
      kind: 'ArgoWorkflow', name: `${team}-eval`, namespace: `${team}-pipelines`, team, everyMinutes: 60 + 10 * t,
      steps: [step('ingest', 120, 2, 4), step('evaluate', 900, 8, 32, 2), step('report', 60, 1, 1)],
    },
  ]);
}

/** The large profile's only cluster: named as the default's serving cluster, so ports and rules carry over. */
export function largeClusters(): ClusterSpec[] {
  const serving = largeServing();
  const pipelines = largePipelines();
  const namespaces = new Set(['default', 'kube-system', 'monitoring', 'knative-serving', 'argo']);
  for (const w of [...serving, ...pipelines]) namespaces.add(w.namespace);
  return [{
    name: 'us-east-prod', region: 'us-east-1', billingAccountId: '418827340012', subAccountId: '418827340012',
    subAccountName: 'ml-platform-prod', controlPlaneUsdPerHour: '0.10',
    nodes: largeNodes(), namespaces: [...namespaces], serving, pipelines, jobs: [],
  }];
}
