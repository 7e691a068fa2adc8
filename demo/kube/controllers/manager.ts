// Runs every controller, level-triggered: on a timer and soon after any change in the store,
// repeating a pass until the store stops changing (the controllers converge).
import type { KubeStore } from '../store.ts';
import { type ControllerContext, pruneEvents } from './context.ts';
import { reconcileDaemonSets } from './daemonsets.ts';
import { reconcileDeployments } from './deployments.ts';
import { reconcileReplicaSets } from './replicasets.ts';
import { reconcileJobs, seedJobs } from './jobs.ts';
import { reconcileKnative } from './knative.ts';
import { reconcilePods } from './kubelet.ts';
import { seedCluster } from './seed.ts';
import { reconcileWorkflows, type WorkflowMemory } from './workflows.ts';

const maxPasses = 12;

export interface ControllerManager {
  /** One reconcile of everything now (tests call it after moving the clock). */
  reconcile(): void;
  stop(): void;
}

export function startControllers(ctx: ControllerContext, options: { tickMs: number }): ControllerManager {
  const store: KubeStore = ctx.store;
  const createdJobs = new Set<string>();
  const workflowMemory: WorkflowMemory = { createdRuns: new Set(), createdPods: new Set() };
  let running = false;
  let pending: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastPruneMs = 0;

  const reported = new Set<string>();
  // One failing controller must not stop the others, nor crash the demo from a timer.
  const guarded = (name: string, run: () => void): void => {
    try {
      run();
    } catch (error) {
      const message = `${ctx.spec.name} ${name} controller: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      if (!reported.has(message)) console.error(message);
      reported.add(message);
    }
  };
  const pass = (): void => {
    guarded('knative', () => reconcileKnative(ctx));
    guarded('deployment', () => reconcileDeployments(ctx));
    guarded('replicaset', () => reconcileReplicaSets(ctx));
    guarded('daemonset', () => reconcileDaemonSets(ctx));
    guarded('scheduler/kubelet', () => reconcilePods(ctx));
    guarded('job', () => reconcileJobs(ctx, createdJobs));
    guarded('workflow', () => reconcileWorkflows(ctx, workflowMemory));
  };

  const reconcile = (): void => {
    if (running || stopped) return;
    running = true;
    try {
      for (let i = 0; i < maxPasses; i++) {
        const before = store.resourceVersion;
        pass();
        if (store.resourceVersion === before) break;
      }
      // Expiring Events lists them all; once a minute is often enough.
      if (Date.now() - lastPruneMs > 60_000) {
        lastPruneMs = Date.now();
        guarded('event expiry', () => pruneEvents(ctx));
      }
    } finally {
      running = false;
    }
  };

  ctx.seeding = true;
  seedCluster(ctx);
  seedJobs(ctx, createdJobs);
  reconcile();
  ctx.seeding = false;
  reconcile();

  const unsubscribe = store.subscribe(() => {
    if (running || pending || stopped) return;
    pending = setTimeout(() => {
      pending = undefined;
      reconcile();
    }, 5);
  });
  const timer = setInterval(reconcile, options.tickMs);
  return {
    reconcile,
    stop: () => {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
      if (pending) clearTimeout(pending);
    },
  };
}
