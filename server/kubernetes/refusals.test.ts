// 401 and 403 from the demo Kubernetes API (real bearer-token authentication and RBAC): the watch
// stops and says "no permission" for that cluster and kind, and asks no more (Headlamp's rule).
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { demoTokens } from '@/demo/topology';
import { clusterClient } from './client';
import { liveStream } from './live-stream';
import { KubeRegistry } from './registry';
import { fastBackoff as fast, perTestKube, waitFor, type TestKube } from './testing/demo-kube';
import type { ClusterConnection } from './types';
import type { WatchCache } from './watch-cache';

const kubes = perTestKube();

/** A kubeconfig with one context per token, all pointing at the test API server. */
async function kubeconfigWithTokens(k: TestKube, tokens: Record<string, string>): Promise<string> {
  const file = `${k.kubeconfigPath}.tokens`;
  const names = Object.keys(tokens);
  await writeFile(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'demo', cluster: { server: k.url, 'insecure-skip-tls-verify': true } }],
      users: names.map((name) => ({ name, user: { token: tokens[name] } })),
      contexts: names.map((name) => ({ name, context: { cluster: 'demo', user: name } })),
    }),
  );
  return file;
}

async function requestsSeen(k: TestKube): Promise<number> {
  // The demo API answers plain HTTP on its TLS port too.
  const response = await fetch(`${k.url.replace('https:', 'http:')}/debug/connections`);
  return ((await response.json()) as { requestsTotal: number }).requestsTotal;
}

/** Requests the API server saw while we waited `ms`, not counting the two that read the counter. */
async function requestsDuring(k: TestKube, ms: number): Promise<number> {
  const before = await requestsSeen(k);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await requestsSeen(k)) - before - 1;
}

describe('watches the API server refuses', () => {
  it('a token it does not know (401): the cache stops, the cluster says so, nothing is asked again', async () => {
    const k = await kubes.start();
    const file = await kubeconfigWithTokens(k, { stranger: 'a-token-nobody-issued' });
    const registry = new KubeRegistry(new Map([['stranger', clusterClient('stranger', file)]]), fast);
    kubes.stopAfter(() => registry.stop());
    const cache = registry.cache('stranger', 'Deployment') as WatchCache;
    await waitFor('refused', () => cache.state.state === 'forbidden');
    expect(cache.state).toMatchObject({ state: 'forbidden', statusCode: 401 });
    // With 50-200 ms backoff a retrying cache would ask ~5 times in a second.
    expect(await requestsDuring(k, 1000)).toBe(0);
    expect(cache.state.state).toBe('forbidden');
    const [connection] = registry.connections(['stranger']);
    expect(connection).toMatchObject({
      cluster: 'stranger',
      connection: { state: 'forbidden' },
      denied: [{ kind: 'Deployment', statusCode: 401 }],
    });
  });

  it('a user no RoleBinding names (403): "no permission" per kind in the live stream, one new try per new page', async () => {
    const k = await kubes.start();
    const file = await kubeconfigWithTokens(k, { unbound: demoTokens.unbound, app: demoTokens.app });
    const registry = new KubeRegistry(
      new Map([
        ['unbound', clusterClient('unbound', file)],
        ['app', clusterClient('app', file)],
      ]),
      fast,
    );
    kubes.stopAfter(() => registry.stop());
    const abort = new AbortController();
    kubes.stopAfter(() => abort.abort());
    let states: ClusterConnection[] = [];
    let appPods = 0;
    const done = (async () => {
      const filter = { clusters: ['unbound', 'app'], kinds: ['Deployment', 'Pod'] as const };
      for await (const { message } of liveStream(
        registry,
        { ...filter, kinds: [...filter.kinds] },
        null,
        abort.signal,
      )) {
        if (message.type === 'clusters') states = message.clusters;
        if (message.type === 'snapshot' && message.cluster === 'app' && message.kind === 'Pod')
          appPods = message.objects.length;
      }
    })();
    await waitFor(
      'both kinds refused in one cluster, the other cluster live',
      () =>
        appPods > 0 &&
        states.find((c) => c.cluster === 'unbound')?.denied.length === 2 &&
        states.find((c) => c.cluster === 'app')?.connection.state === 'connected',
    );
    const unbound = states.find((c) => c.cluster === 'unbound')!;
    expect(unbound.connection.state).toBe('forbidden');
    expect(unbound.denied.map((d) => [d.kind, d.statusCode]).sort()).toEqual([
      ['Deployment', 403],
      ['Pod', 403],
    ]);
    expect(unbound.denied.find((d) => d.kind === 'Pod')!.error).toContain(
      'User "demo-unbound" cannot list resource "pods"',
    );
    expect(states.find((c) => c.cluster === 'app')!.denied).toEqual([]);
    // The other cluster's list+watch pairs are done once both watches are open.
    await waitFor('app watches open', async () => {
      const watches = await k.watches();
      return (watches.pods ?? 0) >= 1 && (watches['deployments.apps'] ?? 0) >= 1;
    });
    expect(await requestsDuring(k, 1000)).toBe(0);

    // A page opened later gets a fresh cache, which asks exactly once (a list) and stops again.
    const seen = await requestsSeen(k);
    const fresh = registry.cache('unbound', 'Pod') as WatchCache;
    await waitFor('asked again and refused again', () => fresh.state.state === 'forbidden');
    expect((await requestsSeen(k)) - seen - 1).toBe(1);
    abort.abort();
    await done;
  });
});
