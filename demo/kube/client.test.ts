// @kubernetes/client-node (what the Burnrate server uses) against the simulated API: list,
// watch with bookmarks, 410 Gone and relist, auth errors, dry run, and watch accounting.
import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTokens } from '../topology.ts';
import { eventually, fastSpec, startTestCluster, type TestCluster } from './testing.ts';

let t: TestCluster;
let kc: KubeConfig;
const spec = fastSpec('us-east-prod');

beforeAll(async () => {
  t = await startTestCluster(spec, { bookmarkIntervalMs: 150, historySize: 200 });
  kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
});
afterAll(async () => {
  await t.close();
});

async function api(
  path: string,
  init: RequestInit & { token?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    ...(init.headers as Record<string, string> | undefined),
  };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const res = await fetch(`${t.cluster.httpUrl}${path}`, { ...init, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
}

async function collectWatch(
  path: string,
  query: Record<string, string | boolean>,
  until: (events: WatchEvent[]) => boolean,
): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let controller: AbortController | undefined;
  const done = new Promise<void>((resolve, reject) => {
    void new Watch(kc)
      .watch(
        path,
        query,
        (type, object) => {
          events.push({ type, object });
          if (until(events)) resolve();
        },
        (err: unknown) => (err && !(err instanceof Error && err.name === 'AbortError') ? reject(err) : resolve()),
      )
      .then((c) => {
        controller = c;
      }, reject);
  });
  await Promise.race([
    done,
    new Promise((_, reject) => setTimeout(() => reject(new Error('watch timed out')), 10_000)),
  ]);
  controller?.abort();
  return events;
}

describe('client-node against the demo API', () => {
  it('lists pods and deployments through the typed clients', async () => {
    const pods = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'llm-serving', labelSelector: 'app.kubernetes.io/name in (chat-llm)' });
    expect(pods.items.map((p) => p.metadata?.labels?.['app.kubernetes.io/name'])).toEqual(['chat-llm', 'chat-llm']);
    expect(
      pods.items.every((p) => p.spec?.nodeName && p.metadata?.annotations?.['demo.burnrate.dev/gpu-indexes']),
    ).toBe(true);
    const deployments = await kc
      .makeApiClient(AppsV1Api)
      .listDeploymentForAllNamespaces({ fieldSelector: 'metadata.namespace=search' });
    // Every Deployment the topology puts in `search` (served models and CPU services), nothing else.
    const inSearch = [...spec.serving, ...spec.services].filter(
      (w) => w.kind === 'Deployment' && w.namespace === 'search',
    );
    expect(inSearch.length).toBeGreaterThan(1);
    expect(deployments.items.map((d) => d.metadata?.name).sort()).toEqual(inSearch.map((w) => w.name).sort());
  });

  it('pages a list with limit and continue', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const first = await core.listNamespace({ limit: 3 });
    expect(first.items).toHaveLength(3);
    const rest = await core.listNamespace({ limit: 100, _continue: first.metadata?._continue });
    expect([...first.items, ...rest.items].map((n) => n.metadata?.name).sort()).toEqual(
      spec.namespaces.map((n) => n.name).sort(),
    );
  });

  it('watches with bookmarks', async () => {
    const events = await collectWatch('/api/v1/pods', { allowWatchBookmarks: true }, (evs) =>
      evs.some((e) => e.type === 'BOOKMARK'),
    );
    expect(events.filter((e) => e.type === 'ADDED').length).toBeGreaterThan(4);
    expect(events.find((e) => e.type === 'BOOKMARK')?.object.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('reports open watches on /debug/connections', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'search' });
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/search/pods',
      { resourceVersion: list.metadata?.resourceVersion },
      () => undefined,
      () => undefined,
    );
    try {
      const stats = await eventually(async () => {
        const s = (await fetch(`${t.cluster.httpUrl}/debug/connections`).then((r) => r.json())) as {
          watches: Record<string, number>;
          requestsTotal: number;
        };
        return s.watches.pods === 1 ? s : undefined;
      });
      expect(stats.requestsTotal).toBeGreaterThan(0);
    } finally {
      controller.abort();
    }
    await eventually(async () => {
      const s = (await fetch(`${t.cluster.httpUrl}/debug/connections`).then((r) => r.json())) as {
        watches: Record<string, number>;
      };
      return s.watches.pods === undefined ? true : undefined;
    });
  });

  it('answers 410 Expired for a resourceVersion older than the window, and a relist recovers', async () => {
    // Churn past the 200-change history window.
    for (let i = 0; i < 12; i++) {
      t.cluster.setKnativeScale('llm-serving', 'chat-llm-serverless', i % 2 === 0 ? 1 : 0);
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(t.cluster.store.oldestResumableVersion).toBeGreaterThan(1);
    const expired = await collectWatch('/api/v1/pods', { resourceVersion: '1' }, (evs) => evs.length > 0);
    expect(expired[0]?.type).toBe('ERROR');
    expect(expired[0]?.object).toMatchObject({ code: 410, reason: 'Expired' });

    const list = await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: 'llm-serving' });
    const scale = api('/apis/apps/v1/namespaces/llm-serving/deployments/chat-llm/scale', {
      method: 'PATCH',
      token: demoTokens.operator,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 3 } }),
    });
    const events = await collectWatch(
      '/apis/apps/v1/namespaces/llm-serving/deployments',
      { resourceVersion: list.metadata?.resourceVersion ?? '' },
      (evs) => evs.some((e) => e.type === 'MODIFIED' && e.object.metadata?.name === 'chat-llm'),
    );
    expect((await scale).status).toBe(200);
    expect(events.every((e) => e.type === 'MODIFIED')).toBe(true);
  });

  it('rejects a missing or unknown token with 401 and a viewer patch with 403', async () => {
    const missing = await api('/api/v1/pods');
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect((await api('/api/v1/pods', { token: 'nope' })).status).toBe(401);
    const forbidden = await api('/apis/apps/v1/namespaces/llm-serving/deployments/chat-llm', {
      method: 'PATCH',
      token: demoTokens.viewer,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 5 } }),
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(String(forbidden.body.message)).toContain('User "demo-viewer" cannot patch resource "deployments"');
  });

  it('validates a dry-run patch without storing it', async () => {
    const before = await api('/apis/apps/v1/namespaces/search/deployments/embedder', { token: demoTokens.app });
    const dry = await api('/apis/apps/v1/namespaces/search/deployments/embedder?dryRun=All', {
      method: 'PATCH',
      token: demoTokens.operator,
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({
        spec: {
          template: {
            spec: { containers: [{ name: 'server', image: 'registry.burnrate.dev/search/text-embeddings:9.9.9' }] },
          },
        },
      }),
    });
    expect(dry.status).toBe(200);
    const dryContainers = (
      dry.body.spec as { template: { spec: { containers: { image: string; resources: object }[] } } }
    ).template.spec.containers;
    // Strategic merge: the container is merged by name, keeping its resources.
    expect(dryContainers).toHaveLength(1);
    expect(dryContainers[0]?.image).toBe('registry.burnrate.dev/search/text-embeddings:9.9.9');
    expect(dryContainers[0]?.resources).toMatchObject({ requests: { 'nvidia.com/gpu.shared': '1' } });
    const after = await api('/apis/apps/v1/namespaces/search/deployments/embedder', { token: demoTokens.app });
    expect(after.body.metadata).toEqual(before.body.metadata);
    expect(after.body.spec).toEqual(before.body.spec);
    const invalid = await api('/apis/apps/v1/namespaces/search/deployments/embedder/scale?dryRun=All', {
      method: 'PATCH',
      token: demoTokens.operator,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: -1 } }),
    });
    expect(invalid.status).toBe(422);
  });

  it('rejects an update with a stale resourceVersion with 409', async () => {
    const current = await api('/apis/apps/v1/namespaces/search/deployments/reranker', { token: demoTokens.admin });
    const meta = current.body.metadata as { resourceVersion: string };
    const stale = { ...current.body, metadata: { ...meta, resourceVersion: String(Number(meta.resourceVersion) - 1) } };
    const res = await api('/apis/apps/v1/namespaces/search/deployments/reranker', {
      method: 'PUT',
      token: demoTokens.admin,
      body: JSON.stringify(stale),
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
  });

  it('scales a Knative service from zero through setKnativeScale', async () => {
    t.cluster.setKnativeScale('llm-serving', 'chat-llm-serverless', 1);
    const pod = await eventually(async () => {
      const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({
        namespace: 'llm-serving',
        labelSelector: 'serving.knative.dev/service=chat-llm-serverless',
      });
      return pods.items.find((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
    });
    expect(pod.metadata?.labels?.['serving.knative.dev/revision']).toBe('chat-llm-serverless-00001');
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['user-container', 'queue-proxy']);
  });
});
