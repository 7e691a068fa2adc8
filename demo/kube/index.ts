// Entry point of the simulated Kubernetes API: one store, its controllers and its HTTP server
// per cluster, plus the kubeconfig that points kubectl and the app at them.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { type ClusterName, type ClusterSpec, demoTokens } from '../topology.ts';
import { createContext } from './controllers/context.ts';
import { setKnativeScale } from './controllers/knative.ts';
import { startControllers } from './controllers/manager.ts';
import { startKubeServer } from './server.ts';
import { KubeStore } from './store.ts';
import { seededRandom } from './util.ts';

export { KubeStore, StoreError } from './store.ts';
export type { KubeObject, ResourceKey, StoreEvent, StoreListener } from './store.ts';
export { demoAnnotations } from './controllers/pods.ts';
export { planWorkflowRun, workflowPodName, type PlannedRun, type PlannedStep } from './controllers/workflow-plan.ts';
export { daemonPodIdentities } from './controllers/daemonsets.ts';

export interface KubeClusterOptions {
  port: number;
  seed: number;
  now?: () => number;
  /** Real milliseconds between controller passes (they also run right after every change). */
  tickMs?: number;
  bookmarkIntervalMs?: number;
  /** Changes kept for watch resumption; older resourceVersions get 410 Gone. */
  historySize?: number;
  /** The `pipeline-failure` scenario: when true, running pipeline steps fail (pod and workflow). */
  failRunningSteps?: () => boolean;
}

export interface KubeCluster {
  name: ClusterName;
  /** https://127.0.0.1:<port> with a self-signed certificate (kubectl sends tokens only over TLS). */
  url: string;
  /** The same API over plain HTTP on the same port. */
  httpUrl: string;
  store: KubeStore;
  /** Replicas of a Knative Service's serving revision; 0 = scaled to zero. */
  setKnativeScale(namespace: string, service: string, replicas: number): void;
  /** Runs the controllers once now (after the injected clock moved, for instance). */
  reconcile(): void;
  /** Open watches per resource and requests served, as GET /debug/connections reports them. */
  stats(): { requestsTotal: number; watches: Record<string, number>; watchesTotal: number };
  /**
   * Takes the API server down (port closed, every connection and watch dropped) or brings it back
   * on the same port. The store and the controllers keep running, as the cluster does while one
   * API server restarts.
   */
  setApiServerUp(up: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startKubeCluster(spec: ClusterSpec, opts: KubeClusterOptions): Promise<KubeCluster> {
  const now = opts.now ?? Date.now;
  const store = new KubeStore({ now, historySize: opts.historySize });
  const ctx = createContext(spec, store, opts.seed, now, opts.failRunningSteps);
  const controllers = startControllers(ctx, { tickMs: opts.tickMs ?? 1000 });
  const random = seededRandom(opts.seed ^ 0x2545f491);
  const first = await startKubeServer({
    store,
    port: opts.port,
    random,
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
  }).catch((error: unknown) => {
    controllers.stop();
    throw error;
  });
  let server: typeof first | null = first;
  return {
    name: spec.name,
    url: first.url,
    httpUrl: first.httpUrl,
    store,
    setKnativeScale: (namespace, service, replicas) => {
      setKnativeScale(ctx, namespace, service, replicas);
      controllers.reconcile();
    },
    reconcile: () => controllers.reconcile(),
    stats: () => server?.stats() ?? { requestsTotal: 0, watches: {}, watchesTotal: 0 },
    setApiServerUp: async (up) => {
      if (!up && server) {
        const closing = server;
        server = null;
        await closing.close();
      } else if (up && !server) {
        server = await startKubeServer({
          store,
          port: first.port,
          random,
          bookmarkIntervalMs: opts.bookmarkIntervalMs,
        });
      }
    },
    stop: async () => {
      controllers.stop();
      await server?.close();
      server = null;
    },
  };
}

const users = [
  { name: 'burnrate-app', token: demoTokens.app },
  { name: 'demo-viewer', token: demoTokens.viewer },
  { name: 'demo-operator', token: demoTokens.operator },
  { name: 'demo-admin', token: demoTokens.admin },
  { name: 'demo-unbound', token: demoTokens.unbound },
];

/** A kubeconfig with one context per cluster (user burnrate-app) and a user per demo role. */
export async function writeKubeconfig(path: string, clusters: { name: string; url: string }[]): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: clusters.map((c) => ({ name: c.name, cluster: { server: c.url, 'insecure-skip-tls-verify': true } })),
    users: users.map((u) => ({ name: u.name, user: { token: u.token } })),
    contexts: clusters.map((c) => ({ name: c.name, context: { cluster: c.name, user: 'burnrate-app' } })),
    'current-context': clusters[0]?.name ?? '',
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringify(config), { mode: 0o600 });
}
