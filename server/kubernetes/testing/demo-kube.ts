// The demo's simulated Kubernetes API for integration tests: one cluster on a free port with its
// controllers, plus a second HTTP front on the same store that a test can stop and restart
// (an API server restart with etcd intact), and a kubeconfig pointing at that front.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach } from 'vitest';
import { startKubeCluster, writeKubeconfig, type KubeCluster } from '@/demo/kube/index';
import { startKubeServer, type KubeServer } from '@/demo/kube/server';
import { clusters } from '@/demo/topology';
import { clusterClient, type KubeClusterClient } from '../client';
import type { LiveDeployment } from '../types';
import type { WatchCache } from '../watch-cache';

export interface TestKube {
  cluster: KubeCluster;
  name: string;
  /** The front's URL (same port across stopFront/startFront). */
  url: string;
  kubeconfigPath: string;
  client(): KubeClusterClient;
  /** The kubeconfig with this cluster's context selected (for clients a test subclasses). */
  config(): KubeConfig;
  /** Open watches per resource on the front, as GET /debug/connections reports them. */
  watches(): Promise<Record<string, number>>;
  stopFront(): Promise<void>;
  startFront(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestKube(options: { historySize?: number; seed?: number } = {}): Promise<TestKube> {
  const spec = clusters[0]!;
  const dir = await mkdtemp(path.join(tmpdir(), 'burnrate-kube-test-'));
  const cluster = await startKubeCluster(spec, {
    port: 0,
    seed: options.seed ?? 7,
    historySize: options.historySize,
    tickMs: 200,
  });
  let front: KubeServer | undefined = await startKubeServer({ store: cluster.store, port: 0, random: Math.random });
  const port = front.port;
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfigPath, [{ name: spec.name, url: front.url }]);
  return {
    cluster,
    name: spec.name,
    url: front.url,
    kubeconfigPath,
    client: () => clusterClient(spec.name, kubeconfigPath),
    config: () => {
      const config = new KubeConfig();
      config.loadFromFile(kubeconfigPath);
      config.setCurrentContext(spec.name);
      return config;
    },
    watches: async () => {
      const response = await fetch(`http://127.0.0.1:${port}/debug/connections`);
      return ((await response.json()) as { watches: Record<string, number> }).watches;
    },
    stopFront: async () => {
      await front?.close();
      front = undefined;
    },
    startFront: async () => {
      front = await startKubeServer({ store: cluster.store, port, random: Math.random });
    },
    stop: async () => {
      await front?.close();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs` (a hang guard, not a timing goal). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Backoff fast enough for tests: 50 ms doubling to 200 ms, without jitter. */
export const fastBackoff = { initialBackoffMs: 50, maxBackoffMs: 200, random: (): number => 0.5 };

/** A demo API per test; it and whatever the test hands to `stopAfter` are stopped after the test. */
export function perTestKube(): {
  start: (options?: Parameters<typeof startTestKube>[0]) => Promise<TestKube>;
  stopAfter: (stop: () => void) => void;
} {
  let kube: TestKube | undefined;
  const stops: (() => void)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await kube?.stop();
    kube = undefined;
  });
  return {
    start: async (options) => (kube = await startTestKube(options)),
    stopAfter: (stop) => stops.push(stop),
  };
}

/** The cached Deployment `name`, if the cache holds it. */
export function deployment(cache: WatchCache, name: string): LiveDeployment | undefined {
  return cache.snapshot().objects.find((o): o is LiveDeployment => o.kind === 'Deployment' && o.name === name);
}

/** Scales a Deployment of llm-serving in the store, as another client of the API would. */
export function scale(k: TestKube, name: string, replicas: number): void {
  const current = k.cluster.store.get('deployments.apps', 'llm-serving', name)!;
  k.cluster.store.update('deployments.apps', { ...current, spec: { ...current.spec, replicas } });
}
