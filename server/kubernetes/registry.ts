import 'server-only';
import client from 'prom-client';
import { appMetrics } from '@/server/observability/metrics';
import { createClusterClients, type KubeClusterClient } from './client';
import { resourceDefinitions } from './resources';
import type { ClusterConnection, ConnectionState, KindDenied, LiveKind } from './types';
import { WatchCache, type WatchCacheOptions } from './watch-cache';

/**
 * The process-wide set of watch caches: one per (cluster, kind), created on first use and kept
 * warm. Kept on globalThis because Next bundles route handlers separately (tRPC, /metrics,
 * /api/health) and they must all see the same caches, never open a second watch.
 */
export class KubeRegistry {
  private readonly caches = new Map<string, WatchCache>();
  private readonly clients: Map<string, KubeClusterClient | Error>;
  private readonly watches: client.Gauge<'cluster' | 'resource'>;
  private readonly connectionListeners = new Set<(cluster: string) => void>();

  constructor(
    clients: Map<string, KubeClusterClient | Error>,
    private readonly cacheOptions: WatchCacheOptions = {},
  ) {
    this.clients = clients;
    this.watches = watchesGauge();
  }

  clusterNames(): string[] {
    return [...this.clients.keys()];
  }

  client(cluster: string): KubeClusterClient | Error | undefined {
    return this.clients.get(cluster);
  }

  /**
   * The started cache of one kind in one cluster, or the reason there cannot be one. A cache the
   * API server refused (401/403) stopped for good: the next subscriber gets a fresh one, so a page
   * opened after the RBAC was fixed asks once more (never a retry loop).
   */
  cache(cluster: string, kind: LiveKind): WatchCache | Error {
    const key = `${cluster}/${kind}`;
    const existing = this.caches.get(key);
    if (existing && existing.state.state !== 'forbidden') return existing;
    existing?.stop();
    const clusterClient = this.clients.get(cluster);
    if (!clusterClient) return new Error(`cluster ${cluster} is not configured (no kubeconfig context of that name)`);
    if (clusterClient instanceof Error) return clusterClient;
    const definition = resourceDefinitions[kind];
    const labels = { cluster, resource: definition.resource };
    const cache = new WatchCache(cluster, definition, clusterClient, {
      ...this.cacheOptions,
      onWatchOpen: (open) => this.watches.set(labels, open ? 1 : 0),
    });
    this.watches.set(labels, 0);
    this.caches.set(key, cache);
    cache.onState(() => {
      for (const listener of this.connectionListeners) listener(cluster);
    });
    cache.start();
    return cache;
  }

  /**
   * A cluster's connection is its worst watched kind's: one failing kind makes the cluster
   * reconnecting. Kinds refused by RBAC are listed apart; only when all are refused is the
   * cluster `forbidden`.
   */
  connection(cluster: string): ConnectionState {
    const clusterClient = this.clients.get(cluster);
    if (!clusterClient) return { state: 'error', sinceMs: Date.now(), error: `cluster ${cluster} is not configured` };
    if (clusterClient instanceof Error) return { state: 'error', sinceMs: Date.now(), error: clusterClient.message };
    const states = this.cachesOf(cluster).map((c) => c.state);
    const rank = { error: 4, reconnecting: 3, forbidden: 2, connecting: 1, connected: 0 } as const;
    const watched = states.filter((s) => s.state !== 'forbidden');
    const worst = (watched.length > 0 ? watched : states).sort(
      (a, b) => rank[b.state] - rank[a.state] || a.sinceMs - b.sinceMs,
    )[0];
    return worst ?? { state: 'connecting', sinceMs: Date.now() };
  }

  /** The kinds of a cluster whose watch the API server refused (401/403). */
  denied(cluster: string): KindDenied[] {
    return this.cachesOf(cluster).flatMap((c) => {
      const state = c.state;
      return state.state === 'forbidden'
        ? [{ kind: c.definition.kind, statusCode: state.statusCode, error: state.error }]
        : [];
    });
  }

  private cachesOf(cluster: string): WatchCache[] {
    return [...this.caches.values()].filter((c) => c.cluster === cluster);
  }

  /**
   * Called with the cluster whenever a cache of it changes state. A cluster's connection is its
   * worst cache's, of any kind: a page watching Deployments must hear when the Workflows cache
   * another page opened comes back, or it shows "reconnecting" for good.
   */
  onConnectionChange(listener: (cluster: string) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  connections(clusters: string[]): ClusterConnection[] {
    return clusters.map((cluster) => ({ cluster, connection: this.connection(cluster), denied: this.denied(cluster) }));
  }

  stop(): void {
    for (const cache of this.caches.values()) cache.stop();
    this.caches.clear();
  }
}

function watchesGauge(): client.Gauge<'cluster' | 'resource'> {
  const registry = appMetrics().registry;
  const name = 'burnrate_kubernetes_watches';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as client.Gauge<'cluster' | 'resource'>;
  return new client.Gauge({
    name,
    help: 'Open Kubernetes watch streams held by this process, per cluster and resource (1 per cache).',
    labelNames: ['cluster', 'resource'],
    registers: [registry],
  });
}

const globalKey = Symbol.for('burnrate.kubernetes.registry');
type GlobalWithRegistry = typeof globalThis & { [globalKey]?: KubeRegistry };

/** The process's registry, built from the kubeconfig contexts on first use. */
export function kubeRegistry(): KubeRegistry {
  const g = globalThis as GlobalWithRegistry;
  g[globalKey] ??= new KubeRegistry(createClusterClients());
  return g[globalKey];
}
