// Helpers about pods that several controllers need: requests, readiness, ownership.
import type { KubeObject } from '../store.ts';
import { parseQuantity, parseTimeMs } from '../util.ts';

export const demoAnnotations = {
  startupSeconds: 'demo.burnrate.dev/startup-seconds',
  /** Absolute time the container exits (batch and pipeline pods). */
  runUntil: 'demo.burnrate.dev/run-until',
  /** Set when the container exits with an error; the message is the reason. */
  failReason: 'demo.burnrate.dev/fail-reason',
  gpuIndexes: 'demo.burnrate.dev/gpu-indexes',
  /** MIG instances the scheduler gave the pod: `<gpu>:<GPU_I_ID>`, comma-separated. */
  migInstances: 'demo.burnrate.dev/mig-instances',
  /** On a Workflow: `<step>@<ISO time>`, a failure the `pipeline-failure` scenario injected. */
  injectedFailure: 'demo.burnrate.dev/injected-failure',
} as const;

export interface PodRequests {
  cpuCores: number;
  memoryBytes: number;
  gpus: number;
  gpuSlices: number;
  /** MIG instances by profile (`1g.10gb`), from `nvidia.com/mig-<profile>` requests. */
  mig: Record<string, number>;
}

const migPrefix = 'nvidia.com/mig-';

export function podRequests(pod: KubeObject): PodRequests {
  const out: PodRequests = { cpuCores: 0, memoryBytes: 0, gpus: 0, gpuSlices: 0, mig: {} };
  for (const c of pod.spec?.containers ?? []) {
    const r = c.resources?.requests ?? c.resources?.limits ?? {};
    const limits = c.resources?.limits ?? {};
    out.cpuCores += parseQuantity(r.cpu);
    out.memoryBytes += parseQuantity(r.memory);
    out.gpus += parseQuantity(limits['nvidia.com/gpu'] ?? r['nvidia.com/gpu']);
    out.gpuSlices += parseQuantity(limits['nvidia.com/gpu.shared'] ?? r['nvidia.com/gpu.shared']);
    for (const key of Object.keys({ ...r, ...limits })) {
      if (!key.startsWith(migPrefix)) continue;
      const profile = key.slice(migPrefix.length);
      out.mig[profile] = (out.mig[profile] ?? 0) + parseQuantity(limits[key] ?? r[key]);
    }
  }
  return out;
}

export function migRequested(req: PodRequests): boolean {
  return Object.values(req.mig).some((n) => n > 0);
}

export function isTerminal(pod: KubeObject): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Counts against its ReplicaSet or Job: neither finished nor being deleted. */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );
}

export function controllerUid(obj: KubeObject): string | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

// Controllers ask one listed array for the dependents of each of hundreds of owners: group it once.
const byOwner = new WeakMap<readonly KubeObject[], Map<string | undefined, KubeObject[]>>();

export function ownedBy(objects: readonly KubeObject[], owner: KubeObject): KubeObject[] {
  let groups = byOwner.get(objects);
  if (!groups) {
    groups = new Map();
    for (const o of objects) {
      const uid = controllerUid(o);
      const list = groups.get(uid);
      if (list) list.push(o);
      else groups.set(uid, [o]);
    }
    byOwner.set(objects, groups);
  }
  return [...(groups.get(owner.metadata.uid) ?? [])];
}

export function ownerRef(owner: KubeObject): NonNullable<KubeObject['metadata']['ownerReferences']>[number] {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function createdMs(obj: KubeObject): number {
  return parseTimeMs(obj.metadata.creationTimestamp) ?? 0;
}
