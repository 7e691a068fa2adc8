import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeCluster, type KubeCluster } from '@/demo/kube/index';
import { clusters } from '@/demo/topology';
import { toLiveDeployment } from './apps';
import { toLivePod } from './core';
import { toLiveKnativeService } from './knative';
import { toLiveWorkflow } from './workflows';

let kube: KubeCluster;

beforeAll(async () => {
  kube = await startKubeCluster(clusters[0]!, { port: 0, seed: 11 });
});

afterAll(async () => {
  await kube.stop();
});

describe('mappers on the demo API objects', () => {
  it('maps a Deployment with its replicas, image and GPU request', () => {
    const d = toLiveDeployment('c', kube.store.get('deployments.apps', 'llm-serving', 'chat-llm'));
    expect(d).toMatchObject({
      name: 'chat-llm',
      desiredReplicas: 2,
      images: ['registry.burnrate.dev/vllm/vllm-openai:v0.6.3'],
      gpuRequest: { whole: 1, sharedSlices: 0 },
    });
    const embedder = toLiveDeployment('c', kube.store.get('deployments.apps', 'search', 'embedder'));
    expect(embedder.gpuRequest).toEqual({ whole: 0, sharedSlices: 1 });
  });

  it('maps pods to their node, readiness and owner', () => {
    const pods = kube.store
      .list('pods', 'llm-serving')
      .map((p) => toLivePod('c', p))
      .filter((p) => p.name.startsWith('chat-llm-') && !p.name.includes('serverless'));
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      expect(pod.nodeName).toMatch(/compute\.internal$/);
      expect(pod.owner?.kind).toBe('ReplicaSet');
    }
  });

  it('maps a Knative Service with its traffic split and scale bounds', () => {
    const s = toLiveKnativeService(
      'c',
      kube.store.get('services.serving.knative.dev', 'llm-serving', 'chat-llm-serverless'),
    );
    expect(s.traffic).toEqual([{ revisionName: s.latestReadyRevision, percent: 100, latestRevision: true }]);
    expect(s.maxScale).toBe(3);
  });

  it('maps finished Argo runs to a chain of steps with hosts, pods and failure messages', () => {
    const runs = kube.store.list('workflows.argoproj.io').map((w) => toLiveWorkflow('c', w));
    const finished = runs.filter((r) => r.phase === 'Succeeded');
    expect(finished.length).toBeGreaterThan(0);
    const run = finished[0]!;
    expect(run.steps.map((s) => s.name)).toEqual(clusters[0]!.pipelines[0]!.steps.map((s) => s.name));
    run.steps.slice(0, -1).forEach((step, i) => expect(step.children).toEqual([run.steps[i + 1]!.id]));
    expect(run.steps.every((s) => s.hostNodeName && s.podName?.startsWith(`${run.name}-${s.name}-`))).toBe(true);
    for (const failed of runs.flatMap((r) => r.steps).filter((s) => s.phase === 'Failed'))
      expect(failed.message).toBeTruthy();
  });
});

describe('Argo retries', () => {
  it('folds a Retry node and its attempts into one step with the attempt count', () => {
    const wf = {
      metadata: { name: 'wf', namespace: 'ns' },
      status: {
        phase: 'Running',
        nodes: {
          wf: { id: 'wf', type: 'DAG', children: ['wf-1'] },
          'wf-1': {
            id: 'wf-1',
            type: 'Retry',
            displayName: 'train',
            templateName: 'train',
            phase: 'Running',
            children: ['wf-2', 'wf-3'],
          },
          'wf-2': {
            id: 'wf-2',
            type: 'Pod',
            displayName: 'train(0)',
            templateName: 'train',
            phase: 'Failed',
            message: 'OOMKilled',
            hostNodeName: 'n1',
          },
          'wf-3': {
            id: 'wf-3',
            type: 'Pod',
            displayName: 'train(1)',
            templateName: 'train',
            phase: 'Running',
            hostNodeName: 'n2',
            children: ['wf-4'],
          },
          'wf-4': { id: 'wf-4', type: 'Pod', displayName: 'evaluate', templateName: 'evaluate', phase: 'Pending' },
        },
      },
    };
    const run = toLiveWorkflow('c', wf);
    expect(run.steps.map((s) => [s.name, s.retries, s.hostNodeName, s.podName])).toEqual([
      ['train', 1, 'n2', 'wf-train-3'],
      ['evaluate', 0, null, 'wf-evaluate-4'],
    ]);
    expect(run.steps[0]!.children).toEqual(['wf-4']);
  });
});
