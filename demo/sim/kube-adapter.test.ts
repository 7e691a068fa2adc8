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
  let pipelineFailure = false;

  beforeAll(async () => {
    kube = await startKubeCluster(spec, {
      port: await freePort(),
      seed: 21,
      now: () => nowMs,
      failRunningSteps: () => pipelineFailure,
    });
    // The step pod starts Pending; 30 s later (its startup is 5 s) it runs.
    nowMs += 30_000;
    kube.reconcile();
    kube.reconcile();
  });
  afterAll(async () => {
    await kube?.stop();
  });

  it('maps chat-llm pods to the serving workload, on their node and GPUs', () => {
    const state = clusterStateFromStore(spec, kube.store);
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
    const state = clusterStateFromStore(spec, kube.store);
    const sliced = spec.nodes.find((n) => n.gpuSharing?.mode === 'time-slicing')!.name;
    const search = state.pods.filter((p) => ['embedder', 'reranker'].includes(p.workload) && p.phase === 'Running');
    expect(search.length).toBeGreaterThanOrEqual(3);
    for (const pod of search) {
      expect(pod.nodeName).toBe(sliced);
      expect(pod.gpuResource).toBe('nvidia_com_gpu_shared');
    }
  });

  it('fails the running pipeline step through the API in the pipeline-failure scenario, and it stays failed', () => {
    const before = clusterStateFromStore(spec, kube.store);
    const running = before.pods.filter((p) => p.role.kind === 'step' && p.phase === 'Running');
    expect(running.map((p) => p.name)).toHaveLength(1);
    const workflow = before.workflows.find((w) => w.phase === 'Running')!;
    expect(workflow).toBeDefined();

    pipelineFailure = true;
    nowMs += 2_000;
    kube.reconcile();
    kube.reconcile();
    pipelineFailure = false;
    nowMs += 2_000;
    kube.reconcile();

    const pod = kube.store.get('pods', running[0]!.namespace, running[0]!.name);
    const wf = kube.store.get('workflows.argoproj.io', workflow.namespace, workflow.name)!;
    // podGC OnPodCompletion may already have removed the exited pod; if not, it shows the failure.
    if (pod) expect(pod.status.phase).toBe('Failed');
    expect(wf.status.phase).toBe('Failed');
    expect(wf.metadata.labels?.['workflows.argoproj.io/phase']).toBe('Failed');
    const failedNode = Object.values(
      wf.status.nodes as Record<string, { type: string; phase: string; displayName: string; message?: string }>,
    ).find((n) => n.type === 'Pod' && n.phase === 'Failed');
    expect(failedNode?.displayName).toBe(running[0]!.role.kind === 'step' ? running[0]!.role.step.name : '');
    expect(failedNode?.message).toBeTruthy();
    const after = clusterStateFromStore(spec, kube.store);
    expect(after.workflows.find((w) => w.name === workflow.name)?.phase).toBe('Failed');
    expect(after.pods.filter((p) => p.role.kind === 'step' && p.phase === 'Running')).toEqual([]);
    const events = kube.store
      .list('events', workflow.namespace)
      .filter(
        (e) =>
          (e.involvedObject as { name?: string } | undefined)?.name === workflow.name && e.reason === 'WorkflowFailed',
      );
    expect(events).toHaveLength(1);
  });
});
