import { describe, expect, it } from 'vitest';
import type {
  LiveDeployment,
  LiveKnativeRevision,
  LivePod,
  LiveReplicaSet,
  LiveWorkflowStep,
} from '@/server/kubernetes/types';
import { dagColumns } from './dag-layout';
import { indexOwners, rolloutProgress, workloadOfPod } from './relations';

const base = { cluster: 'c1', namespace: 'ns', uid: 'u', resourceVersion: '1', createdAt: null };

function deployment(name: string, over: Partial<LiveDeployment> = {}): LiveDeployment {
  return {
    ...base,
    kind: 'Deployment',
    name,
    labels: {},
    owner: null,
    desiredReplicas: 3,
    currentReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    updatedReplicas: 3,
    images: ['img:2'],
    gpuRequest: { whole: 1, sharedSlices: 0 },
    revision: '2',
    generation: 2,
    observedGeneration: 2,
    progressReason: null,
    progressMessage: null,
    selector: {},
    ...over,
  };
}

function replicaSet(name: string, owner: string, revision: string, desired: number, ready: number): LiveReplicaSet {
  return {
    ...base,
    kind: 'ReplicaSet',
    name,
    owner: { kind: 'Deployment', name: owner },
    revision,
    desiredReplicas: desired,
    readyReplicas: ready,
    availableReplicas: ready,
    images: [],
  };
}

function pod(name: string, owner: { kind: string; name: string }): LivePod {
  return {
    ...base,
    kind: 'Pod',
    name,
    labels: {},
    owner,
    nodeName: 'n1',
    phase: 'Running',
    ready: true,
    restarts: 0,
    reason: null,
    startedAt: null,
    terminating: false,
    gpuRequest: { whole: 0, sharedSlices: 0 },
  };
}

describe('rollout progress', () => {
  it('counts the new ReplicaSet against desired while the old one drains', () => {
    const d = deployment('chat', { updatedReplicas: 2 });
    const progress = rolloutProgress(d, [
      replicaSet('chat-new', 'chat', '2', 3, 2),
      replicaSet('chat-old', 'chat', '1', 1, 1),
    ]);
    expect(progress.newReplicaSet?.name).toBe('chat-new');
    expect(progress.oldReplicaSets.map((r) => r.name)).toEqual(['chat-old']);
    // 2 ready of 3 desired
    expect(progress.fraction).toBeCloseTo(2 / 3);
    expect(progress.complete).toBe(false);
  });

  it('is complete once the old ReplicaSet is at zero and the new one is all ready', () => {
    const progress = rolloutProgress(deployment('chat'), [
      replicaSet('chat-new', 'chat', '2', 3, 3),
      replicaSet('chat-old', 'chat', '1', 0, 0),
    ]);
    expect(progress.oldReplicaSets).toEqual([]);
    expect(progress.complete).toBe(true);
  });
});

describe('pod ownership', () => {
  it('follows a Knative pod to its service through ReplicaSet, Deployment and Revision', () => {
    const revision: LiveKnativeRevision = {
      ...base,
      kind: 'KnativeRevision',
      name: 'svc-00001',
      serviceName: 'svc',
      desiredReplicas: 1,
      actualReplicas: 1,
      ready: true,
      active: true,
      images: [],
    };
    const backing = deployment('svc-00001-deployment', { owner: { kind: 'Revision', name: 'svc-00001' } });
    const owners = indexOwners(
      [replicaSet('svc-00001-deployment-abc', 'svc-00001-deployment', '1', 1, 1)],
      [backing],
      [revision],
    );
    expect(workloadOfPod(pod('p1', { kind: 'ReplicaSet', name: 'svc-00001-deployment-abc' }), owners)).toEqual({
      cluster: 'c1',
      namespace: 'ns',
      kind: 'KnativeService',
      name: 'svc',
    });
    expect(workloadOfPod(pod('p2', { kind: 'Workflow', name: 'run-1' }), owners)).toEqual({
      cluster: 'c1',
      namespace: 'ns',
      kind: 'Workflow',
      name: 'run-1',
    });
  });
});

describe('DAG columns', () => {
  function step(id: string, children: string[]): LiveWorkflowStep {
    return {
      id,
      name: id,
      phase: 'Succeeded',
      startedAt: null,
      finishedAt: null,
      hostNodeName: null,
      podName: null,
      message: null,
      exitCode: null,
      retries: 0,
      children,
      gpuSeconds: 0,
    };
  }

  it('puts a step right of its deepest parent (diamond a→b, a→c, b→d, c→d)', () => {
    const columns = dagColumns([step('a', ['b', 'c']), step('b', ['d']), step('c', ['d']), step('d', [])]);
    expect(columns.map((c) => c.map((s) => s.id))).toEqual([['a'], ['b', 'c'], ['d']]);
  });
});
