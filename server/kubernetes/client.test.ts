import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { silentServerPerSuite } from '@/server/testing/silent-server';
import { KubeClusterClient } from './client';

/** An API server that takes connections and never answers (one restarting, or a half-open socket). */
const silent = silentServerPerSuite();

function client(idleTimeoutMs: number): KubeClusterClient {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'silent', server: silent.url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'silent', cluster: 'silent', user: 'u' }],
    currentContext: 'silent',
  });
  return new KubeClusterClient('silent', config, idleTimeoutMs);
}

describe('KubeClusterClient against an API server that does not answer', () => {
  it('fails a list after the idle timeout instead of waiting forever', async () => {
    const started = Date.now();
    await expect(client(300).list('/api/v1/pods', new AbortController().signal)).rejects.toThrow(
      /no answer from .* within/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails a watch whose answer never starts, after its server-side timeout plus the idle timeout', async () => {
    const events: unknown[] = [];
    const watching = client(300).watch(
      '/api/v1/pods',
      '1',
      0,
      (event) => events.push(event),
      new AbortController().signal,
    );
    await expect(watching).rejects.toThrow(/no answer from .* within/);
    expect(events).toEqual([]);
  });
});

describe('KubeClusterClient.list against the demo Kubernetes API', () => {
  it('reads a list of 1,200 pods in pages of 500 and returns each pod once', async () => {
    const { startKubeCluster } = await import('@/demo/kube/index');
    const { clusters, demoTokens } = await import('@/demo/topology');
    const { container, service } = await import('@/demo/topology/builders');
    const base = clusters[0]!;
    const spec = {
      ...base,
      nodes: base.nodes.filter((n) => n.instanceType.startsWith('m6i.')),
      serving: [],
      daemonSets: [],
      pipelines: [],
      jobs: [],
      services: [
        service(
          'search',
          'search',
          'worker',
          1200,
          container('registry.burnrate.dev/worker:1.0.0', 0.005, 1 / 64),
          0.3,
        ),
      ],
    };
    const kube = await startKubeCluster(spec, { port: 0, seed: 7 });
    try {
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: 'demo', server: kube.url, skipTLSVerify: true }],
        users: [{ name: 'app', token: demoTokens.app }],
        contexts: [{ name: 'demo', cluster: 'demo', user: 'app' }],
        currentContext: 'demo',
      });
      const before = kube.stats().requestsTotal;
      const list = await new KubeClusterClient('demo', config).list('/api/v1/namespaces/search/pods');
      const names = list.items.map((item) => (item as { metadata: { name: string } }).metadata.name);
      expect(names).toHaveLength(1200);
      expect(new Set(names).size).toBe(1200);
      expect(kube.stats().requestsTotal - before).toBe(3);
      expect(Number(list.resourceVersion)).toBeGreaterThan(0);
    } finally {
      await kube.stop();
    }
  });
});
