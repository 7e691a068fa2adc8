import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeCluster, type KubeCluster } from '../kube/index.ts';
import { fastSpec } from '../kube/testing.ts';
import { ApiStateRecorder } from './api-history.ts';
import { clusterStateFromStore } from './kube-adapter.ts';
import { LiveSimulation } from './live.ts';
import type { Sample } from './samples.ts';
import { ClusterSimulator } from './simulator.ts';

// One truth: every pod a metric names exists in the demo Kubernetes API at that instant, and every
// pod of the API has its kube_pod_info. A simulated hour of us-east-prod on a hand-moved clock, at
// 04:00 local time when chat-llm-serverless scales to zero and back, with a scale-up of reranker
// and an image rollout of chat-llm; then the same hour as history reads it from the API's record.

const spec = fastSpec('us-east-prod');
const startMs = Date.UTC(2026, 11, 2, 9, 0, 0);
const stepMs = 30_000;
const podLabel = /(?:^|,)(?:pod|pod_name)="([^"]*)"/;
const namespaceLabel = /(?:^|,)(?:namespace|container_namespace|namespace_name)="([^"]*)"/;

function podsNamedBy(samples: Sample[]): Set<string> {
  const out = new Set<string>();
  for (const s of samples) {
    const pod = podLabel.exec(s.labelText)?.[1];
    if (pod) out.add(`${namespaceLabel.exec(s.labelText)?.[1] ?? '?'}/${pod}`);
  }
  return out;
}

function podInfo(samples: Sample[]): Set<string> {
  return podsNamedBy(samples.filter((s) => s.name === 'kube_pod_info'));
}

describe('metrics name only pods the Kubernetes API has', () => {
  let clock = startMs;
  let kube: KubeCluster;
  let live: LiveSimulation;
  let recorder: ApiStateRecorder;
  const apiPodsAt = new Map<number, Set<string>>();
  const serverlessReplicas: number[] = [];
  const mismatches: string[] = [];
  let rerankerReady = 0;
  let chatImages = new Set<string>();

  beforeAll(async () => {
    kube = await startKubeCluster(spec, { port: 0, seed: 7, now: () => clock, tickMs: 3_600_000 });
    const simulator = new ClusterSimulator(spec, { seed: 7, scenario: () => ({ name: 'normal', sinceMs: 0 }) });
    const state = (): ReturnType<typeof clusterStateFromStore> => clusterStateFromStore(spec, kube.store);
    live = new LiveSimulation(
      [{ simulator, state, setKnativeScale: (ns, svc, n) => kube.setKnativeScale(ns, svc, n) }],
      () => clock,
      3_600_000,
    );
    recorder = new ApiStateRecorder(state, clock);
    for (; clock <= startMs + 3_600_000; clock += stepMs) {
      if (clock === startMs + 20 * 60_000) {
        const d = kube.store.get('deployments.apps', 'search', 'reranker')!;
        kube.store.update('deployments.apps', { ...d, spec: { ...d.spec, replicas: 3 } });
      }
      if (clock === startMs + 35 * 60_000) {
        const d = kube.store.get('deployments.apps', 'llm-serving', 'chat-llm')!;
        const containers = d.spec.template.spec.containers.map((c: object) => ({
          ...c,
          image: 'registry.burnrate.dev/vllm/vllm-openai:v0.6.4',
        }));
        kube.store.update('deployments.apps', {
          ...d,
          spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers } } },
        });
      }
      live.autoscale();
      kube.reconcile();
      recorder.record(clock);
      const apiPods = new Set(kube.store.list('pods').map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      apiPodsAt.set(clock, apiPods);
      const samples = live.samples('us-east-prod')!;
      for (const pod of podsNamedBy(samples))
        if (!apiPods.has(pod)) mismatches.push(`${new Date(clock).toISOString()} metrics name ${pod}`);
      const info = podInfo(samples);
      for (const pod of apiPods)
        if (!info.has(pod)) mismatches.push(`${new Date(clock).toISOString()} no kube_pod_info for ${pod}`);
      serverlessReplicas.push(
        kube.store
          .list('pods', 'llm-serving')
          .filter((p) => p.metadata.labels?.['serving.knative.dev/service'] === 'chat-llm-serverless').length,
      );
      rerankerReady = kube.store.get('deployments.apps', 'search', 'reranker')?.status?.readyReplicas ?? 0;
      chatImages = new Set(
        kube.store
          .list('pods', 'llm-serving')
          .filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'chat-llm' && !p.metadata.deletionTimestamp)
          .map((p) => p.spec.containers[0].image as string),
      );
    }
  }, 600_000);

  afterAll(async () => {
    live?.stop();
    await kube?.stop();
  });

  it('went through scale-to-zero, scale-up and a rollout', () => {
    const zeroAfterServing = serverlessReplicas.some(
      (n, i) => n === 0 && serverlessReplicas.slice(0, i).some((m) => m > 0),
    );
    const servingAfterZero = serverlessReplicas.some(
      (n, i) => n > 0 && serverlessReplicas.slice(0, i).some((m) => m === 0),
    );
    expect({ zeroAfterServing, servingAfterZero }).toEqual({ zeroAfterServing: true, servingAfterZero: true });
    expect(rerankerReady).toBe(3);
    expect([...chatImages]).toEqual(['registry.burnrate.dev/vllm/vllm-openai:v0.6.4']);
  });

  it('names in metrics exactly the pods the API has, at every instant of the hour', () => {
    expect(mismatches).toEqual([]);
  });

  it('writes history for the time the API was up from what the API had, not from the schedule', () => {
    const history = new ClusterSimulator(spec, { seed: 7, scenario: () => ({ name: 'normal', sinceMs: 0 }) });
    const wrong: string[] = [];
    let knativeSeen = 0;
    for (const [t, apiPods] of apiPodsAt) {
      const state = recorder.stateAt(t);
      knativeSeen += state.pods.filter((p) => p.revision !== null).length;
      for (const pod of podsNamedBy(history.advance(t, state)))
        if (!apiPods.has(pod)) wrong.push(`${new Date(t).toISOString()} ${pod}`);
    }
    expect(wrong).toEqual([]);
    expect(knativeSeen).toBeGreaterThan(0);
    // What history wrote before: the schedule's own Knative pods, which the API never had.
    const nominal = [...apiPodsAt].flatMap(([t, apiPods]) =>
      history.nominalState(t).pods.filter((p) => p.revision !== null && !apiPods.has(`${p.namespace}/${p.name}`)),
    );
    expect(nominal.length).toBeGreaterThan(0);
  });
});
