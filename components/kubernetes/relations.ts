import type {
  LiveDeployment,
  LiveEvent,
  LiveKnativeRevision,
  LiveKnativeService,
  LivePod,
  LiveReplicaSet,
  WorkloadIdentity,
} from '@/server/kubernetes/types';

/** Indexes of the live objects by `cluster/namespace/name`, for following owner references. */
export interface Owners {
  replicaSets: Map<string, LiveReplicaSet>;
  deployments: Map<string, LiveDeployment>;
  revisions: Map<string, LiveKnativeRevision>;
}

function at(o: { cluster: string; namespace: string }, name: string): string {
  return `${o.cluster}/${o.namespace}/${name}`;
}

export function indexOwners(
  replicaSets: LiveReplicaSet[],
  deployments: LiveDeployment[],
  revisions: LiveKnativeRevision[],
): Owners {
  return {
    replicaSets: new Map(replicaSets.map((r) => [at(r, r.name), r])),
    deployments: new Map(deployments.map((d) => [at(d, d.name), d])),
    revisions: new Map(revisions.map((r) => [at(r, r.name), r])),
  };
}

/** The workload a Deployment stands for: itself, or the Knative Service whose revision it backs. */
export function workloadOfDeployment(d: LiveDeployment, owners: Owners): WorkloadIdentity {
  if (d.owner?.kind === 'Revision') {
    const revision = owners.revisions.get(at(d, d.owner.name));
    if (revision?.serviceName)
      return { cluster: d.cluster, namespace: d.namespace, kind: 'KnativeService', name: revision.serviceName };
  }
  return { cluster: d.cluster, namespace: d.namespace, kind: 'Deployment', name: d.name };
}

/** Pod → ReplicaSet → Deployment (→ Revision → Knative Service); Jobs and Workflows directly. */
export function workloadOfPod(pod: LivePod, owners: Owners): WorkloadIdentity | null {
  const owner = pod.owner;
  if (!owner) return null;
  if (owner.kind === 'Workflow' || owner.kind === 'Job')
    return { cluster: pod.cluster, namespace: pod.namespace, kind: owner.kind, name: owner.name };
  if (owner.kind !== 'ReplicaSet') return null;
  const rs = owners.replicaSets.get(at(pod, owner.name));
  if (!rs || rs.owner?.kind !== 'Deployment') return null;
  const deployment = owners.deployments.get(at(pod, rs.owner.name));
  return deployment
    ? workloadOfDeployment(deployment, owners)
    : { cluster: pod.cluster, namespace: pod.namespace, kind: 'Deployment', name: rs.owner.name };
}

export function sameWorkload(a: WorkloadIdentity | null, b: WorkloadIdentity): boolean {
  return a !== null && a.cluster === b.cluster && a.namespace === b.namespace && a.kind === b.kind && a.name === b.name;
}

export interface RolloutProgress {
  newReplicaSet: LiveReplicaSet | null;
  /** Older ReplicaSets that still have replicas (desired or ready). */
  oldReplicaSets: LiveReplicaSet[];
  /** Ready pods of the new ReplicaSet over desired replicas, 0..1. */
  fraction: number;
  complete: boolean;
}

/**
 * Rollout of a Deployment as `kubectl rollout status` sees it: the new ReplicaSet is the one
 * whose revision matches the Deployment's; it is complete when it alone holds all replicas, ready.
 */
export function rolloutProgress(d: LiveDeployment, replicaSets: LiveReplicaSet[]): RolloutProgress {
  const owned = replicaSets.filter(
    (r) =>
      r.cluster === d.cluster &&
      r.namespace === d.namespace &&
      r.owner?.kind === 'Deployment' &&
      r.owner.name === d.name,
  );
  const newest = [...owned].sort((a, b) => Number(b.revision ?? 0) - Number(a.revision ?? 0))[0] ?? null;
  const newReplicaSet = owned.find((r) => d.revision !== null && r.revision === d.revision) ?? newest;
  const oldReplicaSets = owned.filter((r) => r !== newReplicaSet && (r.desiredReplicas > 0 || r.readyReplicas > 0));
  const ready = newReplicaSet?.readyReplicas ?? 0;
  const fraction = d.desiredReplicas === 0 ? 1 : Math.min(1, ready / d.desiredReplicas);
  const complete = oldReplicaSets.length === 0 && ready >= d.desiredReplicas && d.updatedReplicas >= d.desiredReplicas;
  return { newReplicaSet, oldReplicaSets, fraction, complete };
}

/** Scale-to-zero state of a Knative Service from its serving revision. */
export function knativeScale(
  svc: LiveKnativeService,
  revisions: LiveKnativeRevision[],
): { actualReplicas: number; desiredReplicas: number; scaledToZero: boolean } {
  const serving = revisions.filter(
    (r) =>
      r.cluster === svc.cluster &&
      r.namespace === svc.namespace &&
      svc.traffic.some((t) => t.revisionName === r.name && t.percent > 0),
  );
  const actualReplicas = serving.reduce((sum, r) => sum + r.actualReplicas, 0);
  const desiredReplicas = serving.reduce((sum, r) => sum + r.desiredReplicas, 0);
  return { actualReplicas, desiredReplicas, scaledToZero: desiredReplicas === 0 && actualReplicas === 0 };
}

/** Events about a set of objects (by kind and name), newest first. */
export function eventsAbout(events: LiveEvent[], involved: { kind: string; name: string }[]): LiveEvent[] {
  const keys = new Set(involved.map((i) => `${i.kind}/${i.name}`));
  return events
    .filter((e) => keys.has(`${e.involvedKind}/${e.involvedName}`))
    .sort((a, b) => (b.lastSeenAt ?? '').localeCompare(a.lastSeenAt ?? ''));
}
