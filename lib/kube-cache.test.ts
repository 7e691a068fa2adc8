import { describe, expect, it } from 'vitest';
import type { LivePod } from '@/server/kubernetes/types';
import { LiveCache } from './kube-cache';

function pod(cluster: string, name: string, phase = 'Running'): LivePod {
  return {
    kind: 'Pod',
    cluster,
    namespace: 'ns',
    name,
    uid: name,
    resourceVersion: '1',
    createdAt: null,
    labels: {},
    owner: null,
    nodeName: 'n1',
    phase,
    ready: true,
    restarts: 0,
    reason: null,
    startedAt: null,
    terminating: false,
    gpuRequest: { whole: 0, sharedSlices: 0 },
  };
}

describe('browser live cache', () => {
  it('replaces one cluster and kind on a snapshot, and patches on changes', () => {
    const cache = new LiveCache();
    cache.apply({
      type: 'snapshot',
      cluster: 'a',
      kind: 'Pod',
      synced: true,
      objects: [pod('a', 'p1'), pod('a', 'p2')],
    });
    cache.apply({ type: 'snapshot', cluster: 'b', kind: 'Pod', synced: false, objects: [pod('b', 'p1')] });
    // A later snapshot of cluster a drops p2 there and leaves cluster b alone.
    cache.apply({ type: 'snapshot', cluster: 'a', kind: 'Pod', synced: true, objects: [pod('a', 'p1')] });
    expect(
      cache
        .ofKind('Pod')
        .map((p) => `${p.cluster}/${p.name}`)
        .sort(),
    ).toEqual(['a/p1', 'b/p1']);
    expect(cache.isSynced('a', 'Pod')).toBe(true);
    expect(cache.isSynced('b', 'Pod')).toBe(false);

    cache.apply({
      type: 'changes',
      changes: [
        { op: 'upsert', object: pod('a', 'p1', 'Failed') },
        { op: 'upsert', object: pod('a', 'p3') },
        { op: 'delete', cluster: 'b', kind: 'Pod', namespace: 'ns', name: 'p1' },
      ],
    });
    expect(
      cache
        .ofKind('Pod')
        .map((p) => `${p.cluster}/${p.name}/${p.phase}`)
        .sort(),
    ).toEqual(['a/p1/Failed', 'a/p3/Running']);
  });

  it('knows the clusters only once the server said which exist', () => {
    const cache = new LiveCache();
    expect(cache.clustersKnown).toBe(false);
    cache.apply({
      type: 'clusters',
      clusters: [
        { cluster: 'a', connection: { state: 'reconnecting', sinceMs: 0, error: 'ECONNREFUSED' }, denied: [] },
      ],
    });
    expect(cache.clustersKnown).toBe(true);
    expect(cache.clusters[0]?.connection.state).toBe('reconnecting');
  });
});
