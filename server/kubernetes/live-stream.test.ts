// Live streams (what an SSE subscription reads) over the shared registry of watch caches: one
// watch per cluster and kind for many subscribers, per-cluster connection states, resume by event id.
import { writeKubeconfig } from '@/demo/kube/index';
import { describe, expect, it } from 'vitest';
import { clusterClient, KubeClusterClient, type KubeList } from './client';
import { liveStream, type LiveEnvelope } from './live-stream';
import { KubeRegistry } from './registry';
import { deployment, fastBackoff as fast, perTestKube, scale, waitFor } from './testing/demo-kube';
import type { ClusterConnection } from './types';
import type { WatchCache } from './watch-cache';

const kubes = perTestKube();

describe('live streams from the shared watch caches', () => {
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
    const registry = new KubeRegistry(new Map([[k.name, new PodsLaterClient(k.name, k.config())]]), fast);
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
