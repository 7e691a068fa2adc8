import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeCluster, type KubeCluster } from '../kube/index.ts';
import { freePort } from '../prometheus/test-support.ts';
import { clusters, podLabels } from '../topology.ts';
import { clusterStateFromStore } from './kube-adapter.ts';

// The adapter against the demo Kubernetes API's real store, as the live simulation uses it.

const spec = clusters.find((c) => c.name === 'us-east-prod')!;
// 12:01 UTC: one minute into a chat-adapter-training run (every 120 min from the epoch), in `ingest`.
let nowMs = Date.UTC(2026, 10, 24, 12, 1);

describe('cluster state read from the demo Kubernetes API', () => {
  let kube: KubeCluster;

  beforeAll(async () => {
    kube = await startKubeCluster(spec, { port: await freePort(), seed: 21, now: () => nowMs });
    // The step pod starts Pending; 30 s later (its startup is 5 s) it runs.
    nowMs += 30_000;
    kube.reconcile();
    kube.reconcile();
  });
  afterAll(async () => { await kube?.stop(); });

  it('maps chat-llm pods to the serving workload, on their node and GPUs', () => {
    const state = clusterStateFromStore(spec, kube.store, { failRunningSteps: false });
    const chat = state.pods.filter((p) => p.workload === 'chat-llm');
    expect(chat).toHaveLength(2);
    for (const pod of chat) {
      const raw = kube.store.get('pods', pod.namespace, pod.name)!;
      expect(pod.role.kind).toBe('serving');
      expect(pod.nodeName).toBe(raw.spec.nodeName);
      expect(pod.gpuIndexes.join(',')).toBe(raw.metadata.annotations?.[podLabels.gpuIndexes]);
      expect(pod.gpuIndexes).toHaveLength(1);
      expect(pod.containerName).toBe('vllm');
      expect(pod.ownerKind).toBe('ReplicaSet');
    }
    const deployment = state.deployments.find((d) => d.name === 'chat-llm');
    expect(deployment?.specReplicas).toBe(2);
  });

  it('puts embedder and reranker slices on the time-sliced node', () => {
    const state = clusterStateFromStore(spec, kube.store, { failRunningSteps: false });
    const sliced = spec.nodes.find((n) => n.gpuSharing)!.name;
    const search = state.pods.filter((p) => p.namespace === 'search' && p.phase === 'Running');
    expect(search.length).toBeGreaterThanOrEqual(3);
    for (const pod of search) {
      expect(pod.nodeName).toBe(sliced);
      expect(pod.gpuResource).toBe('nvidia_com_gpu_shared');
    }
  });

  it('shows running pipeline steps as failed in the pipeline-failure scenario', () => {
    const normal = clusterStateFromStore(spec, kube.store, { failRunningSteps: false });
    const failing = clusterStateFromStore(spec, kube.store, { failRunningSteps: true });
    const running = normal.pods.filter((p) => p.role.kind === 'step' && p.phase === 'Running').map((p) => p.name);
    expect(running).toHaveLength(1);
    expect(normal.workflows.filter((w) => w.phase === 'Running')).toHaveLength(1);
    for (const name of running) expect(failing.pods.find((p) => p.name === name)?.phase).toBe('Failed');
    expect(failing.workflows.filter((w) => w.phase === 'Running')).toEqual([]);
  });
});
