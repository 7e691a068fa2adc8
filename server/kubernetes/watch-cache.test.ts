// The watch cache on its own against the demo Kubernetes API: list then watch, relist after
// 410 Gone, reconnect after the API server comes back.
import { describe, expect, it } from 'vitest';
import { KubeClusterClient, type KubeList } from './client';
import { resourceDefinitions } from './resources';
import { deployment, fastBackoff as fast, perTestKube, scale, waitFor, type TestKube } from './testing/demo-kube';
import type { LiveDeployment, LiveObject } from './types';
import { WatchCache } from './watch-cache';

const kubes = perTestKube();

function namesOf(objects: LiveObject[]): string[] {
  return objects.map((o) => `${o.namespace}/${o.name}`).sort();
}

function storeNames(k: TestKube, resource: 'deployments.apps' | 'pods'): string[] {
  return k.cluster.store
    .list(resource)
    .map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
    .sort();
}

describe('watch cache against the demo Kubernetes API', () => {
  it('lists, then follows changes as they happen', async () => {
    const k = await kubes.start();
    const cache = new WatchCache(k.name, resourceDefinitions.Deployment, k.client(), fast);
    kubes.stopAfter(() => cache.stop());
    cache.start();
    await waitFor('first list', () => cache.isSynced);
    expect(namesOf(cache.snapshot().objects)).toEqual(storeNames(k, 'deployments.apps'));
    expect(deployment(cache, 'chat-llm')?.desiredReplicas).toBe(2);
    expect(cache.state.state).toBe('connected');

    const seen: number[] = [];
    cache.subscribe((s) => {
      if (s.type !== 'changes') return;
      for (const c of s.changes)
        if (c.op === 'upsert' && c.object.name === 'chat-llm') seen.push((c.object as LiveDeployment).desiredReplicas);
    });
    scale(k, 'chat-llm', 4);
    await waitFor('scaled deployment', () => deployment(cache, 'chat-llm')?.desiredReplicas === 4);
    expect(seen).toContain(4);
    await waitFor('new pods ready', () => deployment(cache, 'chat-llm')?.currentReplicas === 4);
  });

  it('relists after 410 Gone and ends with exactly the server state, without duplicates', async () => {
    const k = await kubes.start({ historySize: 10 });
    let lists = 0;
    // The list returns, then the store moves past its 10-change history before the watch opens:
    // the watch from the list's resourceVersion gets a real 410 from the demo API.
    class AdvancingClient extends KubeClusterClient {
      override async list(p: string, signal?: AbortSignal): Promise<KubeList> {
        const result = await super.list(p, signal);
        lists += 1;
        if (lists === 1) for (let i = 15; i > 0; i -= 1) scale(k, 'chat-llm', 3 + (i % 2)); // ends at 4
        return result;
      }
    }
    const client = new AdvancingClient(k.name, k.config());
    const cache = new WatchCache(k.name, resourceDefinitions.Deployment, client, fast);
    kubes.stopAfter(() => cache.stop());
    const upserts: string[] = [];
    cache.subscribe((s) => {
      if (s.type === 'changes')
        for (const c of s.changes) if (c.op === 'upsert') upserts.push(c.object.resourceVersion);
    });
    cache.start();
    await waitFor('relist after 410', () => lists >= 2 && deployment(cache, 'chat-llm')?.desiredReplicas === 4);
    const objects = cache.snapshot().objects;
    expect(namesOf(objects)).toEqual(storeNames(k, 'deployments.apps'));
    expect(new Set(namesOf(objects)).size).toBe(objects.length);
    // The relist diff published each changed object once, not the whole list again.
    expect(new Set(upserts).size).toBe(upserts.length);
    expect(upserts.length).toBeLessThan(objects.length);
  });

  it('shows reconnecting while the API server is down, then resumes with the changes made in the gap', async () => {
    const k = await kubes.start();
    const cache = new WatchCache(k.name, resourceDefinitions.Deployment, k.client(), fast);
    kubes.stopAfter(() => cache.stop());
    cache.start();
    await waitFor('first list', () => cache.isSynced);
    const states: string[] = [];
    cache.onState((s) => states.push(s.state));

    await k.stopFront();
    await waitFor('reconnecting state', () => cache.state.state === 'reconnecting');
    expect(cache.state.state === 'reconnecting' && cache.state.error).toMatch(/ECONN|connection/);
    scale(k, 'chat-llm', 5);
    const reranker = k.cluster.store.get('deployments.apps', 'search', 'reranker')!;
    k.cluster.store.delete('deployments.apps', 'search', 'reranker');

    await k.startFront();
    await waitFor(
      'resumed',
      () => cache.state.state === 'connected' && deployment(cache, 'chat-llm')?.desiredReplicas === 5,
    );
    expect(states).toEqual(expect.arrayContaining(['reconnecting', 'connected']));
    const objects = cache.snapshot().objects;
    expect(objects.find((o) => o.name === reranker.metadata.name && o.namespace === 'search')).toBeUndefined();
    expect(namesOf(objects)).toEqual(storeNames(k, 'deployments.apps'));
  });
});
