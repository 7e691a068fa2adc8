import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { writeKubeconfig } from '@/demo/kube/index';
import { clusterClient, KubeClusterClient, type KubeList } from './client';
import { liveStream, type LiveEnvelope } from './live-stream';
import { KubeRegistry } from './registry';
import { resourceDefinitions } from './resources';
import { fastBackoff as fast, perTestKube, waitFor, type TestKube } from './testing/demo-kube';
import type { ClusterConnection, LiveDeployment, LiveObject } from './types';
import { WatchCache } from './watch-cache';

const kubes = perTestKube();

function deployment(cache: WatchCache, name: string): LiveDeployment | undefined {
  return cache.snapshot().objects.find((o): o is LiveDeployment => o.kind === 'Deployment' && o.name === name);
}

function scale(k: TestKube, name: string, replicas: number): void {
  const current = k.cluster.store.get('deployments.apps', 'llm-serving', name)!;
  k.cluster.store.update('deployments.apps', { ...current, spec: { ...current.spec, replicas } });
}

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
    const config = new KubeConfig();
    config.loadFromFile(k.kubeconfigPath);
    config.setCurrentContext(k.name);
    const client = new AdvancingClient(k.name, config);
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

  it('serves many subscribers from one watch per cluster and kind', async () => {
    const k = await kubes.start();
    const registry = new KubeRegistry(new Map([[k.name, k.client()]]), fast);
    kubes.stopAfter(() => registry.stop());
    const abort = new AbortController();
    kubes.stopAfter(() => abort.abort());
    const received: LiveEnvelope[][] = [];
    const subscribers = Array.from({ length: 8 }, (_, i) => {
      received[i] = [];
      return (async () => {
        for await (const envelope of liveStream(
          registry,
          { clusters: [k.name], kinds: ['Deployment', 'Pod'], namespace: 'llm-serving' },
          null,
          abort.signal,
        )) {
          received[i]!.push(envelope);
        }
      })();
    });
    const desiredSeen = (i: number, replicas: number): boolean =>
      received[i]!.some(
        ({ message }) =>
          (message.type === 'changes' &&
            message.changes.some(
              (c) =>
                c.op === 'upsert' &&
                c.object.kind === 'Deployment' &&
                c.object.name === 'chat-llm' &&
                c.object.desiredReplicas === replicas,
            )) ||
          (message.type === 'snapshot' &&
            message.objects.some(
              (o) => o.kind === 'Deployment' && o.name === 'chat-llm' && o.desiredReplicas === replicas,
            )),
      );
    await waitFor('all snapshots', () => received.every((r, i) => desiredSeen(i, 2)));
    scale(k, 'chat-llm', 3);
    await waitFor('all subscribers see the scale', () => received.every((_, i) => desiredSeen(i, 3)));
    await waitFor('watches open', async () => Object.keys(await k.watches()).length === 2);
    expect(await k.watches()).toEqual({ 'deployments.apps': 1, pods: 1 });
    // The JSON text sent over SSE says the same as the message (assembled from shared fragments).
    for (const { message, json } of received.flat()) expect(JSON.parse(json)).toEqual(message);
    // Nothing outside the namespace reached a subscriber.
    expect(
      received
        .flat()
        .every(
          ({ message }) => message.type !== 'snapshot' || message.objects.every((o) => o.namespace === 'llm-serving'),
        ),
    ).toBe(true);
    abort.abort();
    await Promise.all(subscribers);
  });

  it('tells a stream of one kind when a cache of another kind in its cluster comes back', async () => {
    const k = await kubes.start();
    // Pods stay unreachable for a while after the API server is back (here: their list fails).
    let podsDown = false;
    class PodsLaterClient extends KubeClusterClient {
      override async list(p: string, signal?: AbortSignal): Promise<KubeList> {
        if (podsDown && p.includes('/pods')) throw new Error('pods not back yet');
        return super.list(p, signal);
      }
    }
    const config = new KubeConfig();
    config.loadFromFile(k.kubeconfigPath);
    config.setCurrentContext(k.name);
    const registry = new KubeRegistry(new Map([[k.name, new PodsLaterClient(k.name, config)]]), fast);
    kubes.stopAfter(() => registry.stop());
    // Another page opened the Pod cache; this stream watches Deployments only.
    const pods = registry.cache(k.name, 'Pod') as WatchCache;
    await waitFor('pods listed', () => pods.isSynced);
    const abort = new AbortController();
    kubes.stopAfter(() => abort.abort());
    let state: string | undefined;
    const done = (async () => {
      for await (const { message } of liveStream(
        registry,
        { clusters: [k.name], kinds: ['Deployment'] },
        null,
        abort.signal,
      )) {
        if (message.type === 'clusters') state = message.clusters[0]?.connection.state;
      }
    })();
    await waitFor('connected', () => state === 'connected');
    podsDown = true;
    await k.stopFront();
    await waitFor('reconnecting', () => state === 'reconnecting');
    await k.startFront();
    const deployments = registry.cache(k.name, 'Deployment') as WatchCache;
    await waitFor(
      'deployments back, pods not',
      () => deployments.state.state === 'connected' && pods.state.state === 'reconnecting',
    );
    expect(state).toBe('reconnecting');
    podsDown = false;
    await waitFor('the stream hears the cluster is back', () => state === 'connected');
    abort.abort();
    await done;
  });

  it('keeps serving the reachable cluster while an unreachable one reports its own error', async () => {
    const k = await kubes.start();
    const path = `${k.kubeconfigPath}.two`;
    // Port 1 on loopback refuses connections: a cluster that is down from the start.
    await writeKubeconfig(path, [
      { name: k.name, url: k.url },
      { name: 'down-cluster', url: 'https://127.0.0.1:1' },
    ]);
    const registry = new KubeRegistry(
      new Map([
        [k.name, clusterClient(k.name, path)],
        ['down-cluster', clusterClient('down-cluster', path)],
      ]),
      fast,
    );
    kubes.stopAfter(() => registry.stop());
    const abort = new AbortController();
    kubes.stopAfter(() => abort.abort());
    let states: ClusterConnection[] = [];
    let deployments = 0;
    const done = (async () => {
      for await (const { message } of liveStream(
        registry,
        { clusters: [k.name, 'down-cluster'], kinds: ['Deployment'] },
        null,
        abort.signal,
      )) {
        if (message.type === 'clusters') states = message.clusters;
        if (message.type === 'snapshot' && message.cluster === k.name) deployments = message.objects.length;
      }
    })();
    await waitFor(
      'one cluster up, one reconnecting',
      () =>
        deployments > 0 &&
        states.find((c) => c.cluster === 'down-cluster')?.connection.state === 'reconnecting' &&
        states.find((c) => c.cluster === k.name)?.connection.state === 'connected',
    );
    const down = states.find((c) => c.cluster === 'down-cluster')!.connection;
    expect(down.state === 'reconnecting' && down.error).toContain('127.0.0.1:1');
    abort.abort();
    await done;
  });

  it('resumes a subscriber from its last event id, or sends a snapshot when the id is unknown', async () => {
    const k = await kubes.start();
    const registry = new KubeRegistry(new Map([[k.name, k.client()]]), fast);
    kubes.stopAfter(() => registry.stop());
    const first = new AbortController();
    let lastId = '';
    for await (const envelope of liveStream(
      registry,
      { clusters: [k.name], kinds: ['Deployment'] },
      null,
      first.signal,
    )) {
      lastId = envelope.id;
      if (envelope.message.type === 'snapshot' && envelope.message.synced) break;
    }
    scale(k, 'chat-llm', 6);
    const cache = registry.cache(k.name, 'Deployment') as WatchCache;
    await waitFor('change cached', () => deployment(cache, 'chat-llm')?.desiredReplicas === 6);

    const resumed: LiveEnvelope[] = [];
    const again = new AbortController();
    for await (const envelope of liveStream(
      registry,
      { clusters: [k.name], kinds: ['Deployment'] },
      lastId,
      again.signal,
    )) {
      resumed.push(envelope);
      if (envelope.message.type !== 'clusters') break;
    }
    const replay = resumed.at(-1)!.message;
    expect(replay.type).toBe('changes');
    expect(
      replay.type === 'changes' && replay.changes.every((c) => c.op === 'upsert' && c.object.name === 'chat-llm'),
    ).toBe(true);

    const fresh: LiveEnvelope[] = [];
    for await (const envelope of liveStream(
      registry,
      { clusters: [k.name], kinds: ['Deployment'] },
      'not-a-known-position',
      new AbortController().signal,
    )) {
      fresh.push(envelope);
      if (envelope.message.type !== 'clusters') break;
    }
    expect(fresh.at(-1)!.message.type).toBe('snapshot');
  });
});
