// Store, selectors and patches as pure logic; the controllers driven by a hand-moved clock.
import { afterEach, describe, expect, it } from 'vitest';
import { clusters } from '../topology.ts';
import { type KubeCluster, planWorkflowRun, startKubeCluster } from './index.ts';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.ts';
import { parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { KubeStore, StoreError } from './store.ts';

const pod = (
  name: string,
  labels: Record<string, string>,
  nodeName?: string,
): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { nodeName?: string };
} => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', labels }, spec: { nodeName } });

describe('store', () => {
  it('counts one revision per change across kinds and keeps a bounded history', () => {
    const store = new KubeStore({ now: () => 0, historySize: 3 });
    store.create('pods', pod('a', {}));
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
    const updated = store.update('pods', {
      ...pod('a', { x: '1' }),
      metadata: { ...pod('a', { x: '1' }).metadata, resourceVersion: '1' },
    });
    expect(updated.metadata.resourceVersion).toBe('3');
    store.delete('pods', 'ns', 'a');
    // 4 changes, 3 kept: resuming from 1 still works (events 2..4), from 0 it is gone.
    expect(store.eventsSince(1)).not.toBe('expired');
    expect(store.eventsSince(0)).toBe('expired');
    expect(() =>
      store.update('namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'ns', resourceVersion: '1' },
      }),
    ).toThrow(StoreError);
  });

  it('bumps generation only when the spec changes and skips no-op writes', () => {
    const store = new KubeStore({ now: () => 0 });
    const created = store.create('pods', pod('a', {}, undefined));
    const labelled = store.update('pods', { ...created, metadata: { ...created.metadata, labels: { x: '1' } } });
    expect(labelled.metadata.generation).toBe(1);
    const moved = store.update('pods', { ...labelled, spec: { nodeName: 'n1' } });
    expect(moved.metadata.generation).toBe(2);
    expect(store.update('pods', moved).metadata.resourceVersion).toBe(moved.metadata.resourceVersion);
  });
});

describe('selectors', () => {
  it('supports =, !=, in, notin, exists and !exists', () => {
    const p = pod('a', { app: 'chat', tier: 'gpu' }, 'n1');
    expect(parseLabelSelector('app=chat,tier!=cpu')(p)).toBe(true);
    expect(parseLabelSelector('app in (chat, embed),!canary')(p)).toBe(true);
    expect(parseLabelSelector('app notin (chat)')(p)).toBe(false);
    expect(parseLabelSelector('tier')(p)).toBe(true);
    expect(parseFieldSelector('spec.nodeName=n1,metadata.name!=b')(p)).toBe(true);
    expect(parseFieldSelector('spec.nodeName=n2')(p)).toBe(false);
  });
});

describe('patches', () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
            { name: 'b', image: 'b:1' },
          ],
        },
      },
    },
  };

  it('merges containers by name in a strategic merge patch, replaces lists in a merge patch', () => {
    const smp = strategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } },
    }) as typeof deployment;
    expect(smp.spec.template.spec.containers.map((c) => c.image)).toEqual(['a:1', 'b:2']);
    const merge = mergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'b', image: 'b:2' }] } } },
    }) as typeof deployment;
    expect(merge.spec.template.spec.containers).toEqual([{ name: 'b', image: 'b:2' }]);
    const deleted = strategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } } },
    }) as typeof deployment;
    expect(deleted.spec.template.spec.containers.map((c) => c.name)).toEqual(['b']);
  });

  it('applies JSON patch operations', () => {
    const out = jsonPatch(deployment, [
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'a:2' },
      { op: 'add', path: '/spec/replicas', value: 3 },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ]) as typeof deployment & { spec: { replicas: number } };
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.template.spec.containers.map((c) => c.image)).toEqual(['a:2']);
  });
});

describe('workflow runs', () => {
  const pipeline = clusters[1]?.pipelines[0];
  if (!pipeline) throw new Error('topology has no eu-west pipeline');

  it('plans the same outcome for the same run every time and stops at the first failure', () => {
    const starts = Array.from({ length: 200 }, (_, i) => Date.UTC(2026, 0, 1) + i * pipeline.everyMinutes * 60_000);
    const plans = starts.map((s) => planWorkflowRun(pipeline, s, 42));
    expect(starts.map((s) => planWorkflowRun(pipeline, s, 42))).toEqual(plans);
    const failed = plans.filter((p) => p.phase === 'Failed');
    // P(run succeeds) = .98 × .97 × .90 × .96 × .99 × .99 ≈ 0.804: about 39 of 200 fail.
    expect(failed.length).toBeGreaterThan(20);
    expect(failed.length).toBeLessThan(60);
    for (const p of failed) {
      expect(p.steps[p.steps.length - 1]?.failureReason).toBeTruthy();
      expect(p.steps.slice(0, -1).every((s) => !s.failureReason)).toBe(true);
    }
    const ok = plans.find((p) => p.phase === 'Succeeded');
    // 300 + 600 + 5400 + 900 + 60 + 120 s of steps plus 5 gaps of 5 s = 7405 s.
    expect(ok && (ok.endMs - ok.startMs) / 1000).toBe(7405);
  });
});

describe('controllers on a hand-moved clock', () => {
  let cluster: KubeCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('runs the nightly job on whole GPUs and completes it after its duration', async () => {
    const spec = clusters.find((c) => c.name === 'eu-west-batch');
    if (!spec) throw new Error('no eu-west-batch');
    let nowMs = Date.UTC(2026, 10, 24, 1, 30, 0);
    cluster = await startKubeCluster(spec, { port: 0, seed: 3, now: () => nowMs, tickMs: 60_000 });
    const running = cluster.store.list('jobs.batch', 'batch').filter((j) => !j.status?.completionTime);
    expect(running.map((j) => j.metadata.name)).toEqual([`batch-embed-nightly-${Date.UTC(2026, 10, 24, 1) / 60_000}`]);
    // Three finished nights kept for the history.
    expect(cluster.store.list('jobs.batch', 'batch').filter((j) => j.status?.completionTime)).toHaveLength(3);
    const pods = cluster.store.list('pods', 'batch');
    expect(pods).toHaveLength(4);
    const devices = pods.map((p) => `${p.spec.nodeName}#${p.metadata.annotations?.['demo.burnrate.dev/gpu-indexes']}`);
    expect(new Set(devices).size).toBe(4);
    nowMs = Date.UTC(2026, 10, 24, 3, 0, 1);
    cluster.reconcile();
    const job = cluster.store.get('jobs.batch', 'batch', running[0]?.metadata.name ?? '');
    expect(job?.status).toMatchObject({ succeeded: 4, active: 0 });
    expect(cluster.store.list('pods', 'batch').every((p) => p.status.phase === 'Succeeded')).toBe(true);
  });

  it('puts time-sliced pods on the shared node, MIG pods on distinct instances and whole-GPU pods on distinct devices', async () => {
    const spec = clusters.find((c) => c.name === 'us-east-prod');
    if (!spec) throw new Error('no us-east-prod');
    cluster = await startKubeCluster(spec, {
      port: 0,
      seed: 3,
      now: () => Date.UTC(2026, 10, 24, 12, 0, 0),
      tickMs: 60_000,
    });
    const workload = (p: { metadata: { labels?: Record<string, string> } }): string =>
      p.metadata.labels?.['app.kubernetes.io/name'] ?? '';
    const sliced = cluster.store.list('pods', 'search').filter((p) => ['embedder', 'reranker'].includes(workload(p)));
    expect(sliced).toHaveLength(3);
    expect(new Set(sliced.map((p) => p.spec.nodeName))).toEqual(new Set(['ip-10-1-3-13.us-east-1.compute.internal']));
    const wholeGpu = cluster.store
      .list('pods', 'llm-serving')
      .filter(
        (p) =>
          p.metadata.annotations?.['demo.burnrate.dev/gpu-indexes'] &&
          !p.metadata.annotations['demo.burnrate.dev/mig-instances'],
      );
    const gpuSlots = wholeGpu.flatMap((p) =>
      String(p.metadata.annotations?.['demo.burnrate.dev/gpu-indexes'])
        .split(',')
        .map((i) => `${p.spec.nodeName}#${i}`),
    );
    // chat-llm 2 × 1, assistant-70b 2 × 4 (tensor parallel on one node each), guardrails 3 × 1.
    expect(gpuSlots).toHaveLength(13);
    expect(new Set(gpuSlots).size).toBe(gpuSlots.length);
    const mig = [
      ...cluster.store.list('pods', 'notebooks'),
      ...cluster.store.list('pods', 'search').filter((p) => workload(p) === 'doc-ocr'),
    ];
    const instances = mig.map(
      (p) => `${p.spec.nodeName}#${p.metadata.annotations?.['demo.burnrate.dev/mig-instances']}`,
    );
    expect(instances).toHaveLength(11);
    expect(new Set(instances).size).toBe(11);
    expect(new Set(mig.map((p) => p.spec.nodeName))).toEqual(
      new Set([spec.nodes.find((n) => n.gpuSharing?.mode === 'mig')!.name]),
    );
    expect([...cluster.store.list('pods', 'llm-serving'), ...mig].every((p) => p.status.phase === 'Running')).toBe(
      true,
    );
  });

  it('runs a failing pipeline step as a pod and records the failure on the workflow', async () => {
    const spec = clusters.find((c) => c.name === 'us-east-prod');
    const pipeline = spec?.pipelines[0];
    if (!spec || !pipeline) throw new Error('no us-east pipeline');
    const periodMs = pipeline.everyMinutes * 60_000;
    const base = Math.floor(Date.UTC(2026, 10, 24) / periodMs) * periodMs;
    const run = Array.from({ length: 400 }, (_, i) => planWorkflowRun(pipeline, base + i * periodMs, 3)).find(
      (p) => p.phase === 'Failed',
    );
    const failing = run?.steps[run.steps.length - 1];
    if (!run || !failing) throw new Error('no failing run in 400 runs');
    let nowMs = failing.startMs + 10_000;
    cluster = await startKubeCluster(spec, { port: 0, seed: 3, now: () => nowMs, tickMs: 60_000 });
    const stepPods = (): ReturnType<KubeCluster['store']['list']> =>
      cluster?.store
        .list('pods', pipeline.namespace)
        .filter((p) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === run.name) ?? [];
    expect(stepPods().map((p) => p.metadata.name)).toEqual([expect.stringContaining(`${run.name}-${failing.name}-`)]);
    expect(cluster.store.get('workflows.argoproj.io', pipeline.namespace, run.name)?.status.phase).toBe('Running');

    nowMs = failing.endMs + 1_000;
    cluster.reconcile();
    const wf = cluster.store.get('workflows.argoproj.io', pipeline.namespace, run.name);
    expect(wf?.status.phase).toBe('Failed');
    const node = Object.values(
      wf?.status.nodes as Record<string, { displayName: string; phase: string; message?: string }>,
    ).find((n) => n.displayName === failing.name);
    expect(node).toMatchObject({ phase: 'Failed', message: failing.failureReason });
    // podGC: the exited pod is gone; the failure stays as a Warning Event on the workflow.
    expect(stepPods()).toEqual([]);
    const warnings = cluster.store
      .list('events', pipeline.namespace)
      .filter((e) => e.type === 'Warning' && (e.involvedObject as { name: string }).name === run.name);
    expect(warnings.map((e) => e.reason)).toEqual(expect.arrayContaining(['WorkflowNodeFailed', 'WorkflowFailed']));
    expect(warnings.some((e) => String(e.message).includes(failing.failureReason ?? '?'))).toBe(true);
  });
});
