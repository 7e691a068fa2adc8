'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '@/lib/trpc/client';
import type { ClusterConnection, LiveKind, LiveMessage, LiveObject } from '@/server/kubernetes/types';

function liveObjectKey(o: { cluster: string; kind: LiveKind; namespace: string; name: string }): string {
  return `${o.cluster}/${o.kind}/${o.namespace}/${o.name}`;
}

/** The server sends each message as JSON text, serialised once for all its subscribers. */
function parseLiveMessage(text: string): LiveMessage {
  return JSON.parse(text) as LiveMessage;
}

type ObjectOfKind<K extends LiveKind> = Extract<LiveObject, { kind: K }>;

/**
 * The browser's normalised copy of the live state: objects keyed by cluster/kind/namespace/name,
 * replaced per (cluster, kind) by snapshots and patched by change batches.
 */
export class LiveCache {
  private readonly objects = new Map<string, LiveObject>();
  private readonly synced = new Set<string>();
  clusters: ClusterConnection[] = [];
  /** Set by the first cluster-state message: until then, which clusters exist is unknown. */
  clustersKnown = false;

  apply(message: LiveMessage): void {
    if (message.type === 'clusters') {
      this.clusters = message.clusters;
      this.clustersKnown = true;
      return;
    }
    if (message.type === 'snapshot') {
      const prefix = `${message.cluster}/${message.kind}/`;
      for (const key of [...this.objects.keys()]) if (key.startsWith(prefix)) this.objects.delete(key);
      for (const object of message.objects) this.objects.set(liveObjectKey(object), object);
      if (message.synced) this.synced.add(`${message.cluster}/${message.kind}`);
      return;
    }
    for (const change of message.changes) {
      if (change.op === 'upsert') this.objects.set(liveObjectKey(change.object), change.object);
      else this.objects.delete(liveObjectKey(change));
    }
  }

  all(): LiveObject[] {
    return [...this.objects.values()];
  }

  ofKind<K extends LiveKind>(kind: K): ObjectOfKind<K>[] {
    return this.all().filter((o): o is ObjectOfKind<K> => o.kind === kind);
  }

  isSynced(cluster: string, kind: LiveKind): boolean {
    return this.synced.has(`${cluster}/${kind}`);
  }
}

export interface LiveState {
  cache: LiveCache;
  /** Bumps on every applied message, for memoising derived views. */
  version: number;
  clusters: ClusterConnection[];
  /** True once every reachable cluster has delivered its first full list of every kind asked for. */
  loaded: boolean;
  /** The stream itself (browser ↔ app): 'live', 'connecting' or 'error' with its message. */
  stream: 'live' | 'connecting' | 'error';
  streamError: string | null;
}

function summarise(
  cache: LiveCache,
  version: number,
  kinds: LiveKind[],
  status: string,
  error: string | null,
): LiveState {
  const reachable = cache.clusters.filter(
    (c) => c.connection.state === 'connected' || c.connection.state === 'connecting',
  );
  // A kind the cluster refused (401/403) will not arrive: the page shows "no permission" for it instead.
  const loaded =
    cache.clustersKnown &&
    reachable.every((c) => kinds.every((k) => c.denied.some((d) => d.kind === k) || cache.isSynced(c.cluster, k)));
  const stream = status === 'error' ? 'error' : status === 'pending' && version > 0 ? 'live' : 'connecting';
  return { cache, version, clusters: cache.clusters, loaded, stream, streamError: error };
}

/** A fresh cache per input (cluster, namespace, kinds), and a version that moves on every message. */
function useLiveCache(key: string): { cache: LiveCache; version: number; onMessage: (message: LiveMessage) => void } {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the subscription input
  const cache = useMemo(() => new LiveCache(), [key]);
  const [version, setVersion] = useState(0);
  return {
    cache,
    version,
    onMessage: (message) => {
      cache.apply(message);
      setVersion((v) => v + 1);
    },
  };
}

/** Live Deployments, ReplicaSets, Pods, Events and Knative objects of a cluster (or all). */
export function useLiveWorkloads(input: { cluster: string; namespace?: string; kinds: LiveKind[] }): LiveState {
  const trpc = useTRPC();
  const key = JSON.stringify(input);
  const { cache, version, onMessage } = useLiveCache(key);
  const subscription = useSubscription(
    trpc.workloads.live.subscriptionOptions(input, {
      onData: (event) => onMessage(parseLiveMessage(event.data)),
    }),
  );
  const status = subscription.status;
  const error = subscription.error?.message ?? null;
  return useMemo(
    () => summarise(cache, version, input.kinds, status, error),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the input
    [cache, version, key, status, error],
  );
}

/** Live Argo Workflows and the Events about them. */
export function useLivePipelines(input: { cluster: string; namespace?: string }): LiveState {
  const trpc = useTRPC();
  const key = JSON.stringify(input);
  const { cache, version, onMessage } = useLiveCache(key);
  const subscription = useSubscription(
    trpc.pipelines.live.subscriptionOptions(input, {
      onData: (event) => onMessage(parseLiveMessage(event.data)),
    }),
  );
  const status = subscription.status;
  const error = subscription.error?.message ?? null;
  return useMemo(
    () => summarise(cache, version, ['Workflow', 'Event'], status, error),
    [cache, version, status, error],
  );
}
