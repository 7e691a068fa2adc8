// The Deployment controller: one ReplicaSet per pod-template hash, rolling updates in
// maxSurge/maxUnavailable steps, revisions kubectl can roll back to (pods: replicasets.ts).
import type { KubeObject } from '../store.ts';
import { isoSeconds } from '../util.ts';
import { type ControllerContext, creationTime, recordEvent } from './context.ts';
import { createdMs, isActive, isReady, ownedBy, ownerRef } from './pods.ts';
import { hashLabel, podTemplateHash, revisionAnnotation, skippedAnnotations, templateKey } from './pod-template.ts';

function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.annotations?.[revisionAnnotation] ?? '0') || 0;
}

function resolvePercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? '25%'));
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function involvedDeployment(d: KubeObject): { kind: string; apiVersion: string; object: KubeObject } {
  return { kind: 'Deployment', apiVersion: 'apps/v1', object: d };
}

function scaleReplicaSet(ctx: ControllerContext, d: KubeObject, rs: KubeObject, replicas: number): void {
  const from = rs.spec.replicas ?? 0;
  if (from === replicas) return;
  const annotations = {
    ...(rs.metadata.annotations ?? {}),
    'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 0),
  };
  ctx.store.update('replicasets.apps', {
    ...rs,
    metadata: { ...rs.metadata, annotations },
    spec: { ...rs.spec, replicas },
  });
  const verb = replicas > from ? 'up' : 'down';
  recordEvent(
    ctx,
    involvedDeployment(d),
    'Normal',
    'ScalingReplicaSet',
    `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
    { component: 'deployment-controller' },
  );
}

function newReplicaSet(
  ctx: ControllerContext,
  d: KubeObject,
  hash: string,
  revision: number,
  replicas: number,
): KubeObject {
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!skippedAnnotations.has(k)) annotations[k] = v;
  annotations[revisionAnnotation] = String(revision);
  annotations['deployment.kubernetes.io/desired-replicas'] = String(d.spec.replicas ?? 0);
  annotations['deployment.kubernetes.io/max-replicas'] = String((d.spec.replicas ?? 0) + 1);
  const template = structuredClone(d.spec.template);
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [hashLabel]: hash };
  const rs = ctx.store.create('replicasets.apps', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: template.metadata.labels,
      annotations,
      ownerReferences: [ownerRef(d)],
      creationTimestamp: isoSeconds(creationTime(ctx)),
    },
    spec: {
      replicas: 0,
      selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), [hashLabel]: hash } },
      template,
    },
  });
  if (replicas > 0) scaleReplicaSet(ctx, d, rs, replicas);
  return ctx.store.get('replicasets.apps', rs.metadata.namespace, rs.metadata.name) ?? rs;
}

interface RsPods {
  rs: KubeObject;
  active: KubeObject[];
  ready: number;
}

function podsByReplicaSet(ctx: ControllerContext, replicaSets: KubeObject[], pods: readonly KubeObject[]): RsPods[] {
  return replicaSets.map((rs) => {
    const active = ownedBy(pods, rs).filter(isActive);
    return { rs, active, ready: active.filter(isReady).length };
  });
}

function setCondition(
  conditions: {
    type: string;
    status: string;
    reason: string;
    message: string;
    lastUpdateTime?: string;
    lastTransitionTime?: string;
  }[],
  next: { type: string; status: string; reason: string; message: string },
  at: string,
): void {
  const i = conditions.findIndex((c) => c.type === next.type);
  const old = conditions[i];
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) return;
  const entry = {
    ...next,
    lastUpdateTime: at,
    lastTransitionTime: old && old.status === next.status ? (old.lastTransitionTime ?? at) : at,
  };
  if (i >= 0) conditions[i] = entry;
  else conditions.push(entry);
}

function reconcileDeployment(
  ctx: ControllerContext,
  d: KubeObject,
  allReplicaSets: KubeObject[],
  pods: readonly KubeObject[],
): void {
  const desired: number = d.spec.replicas ?? 1;
  const owned = ownedBy(allReplicaSets, d);
  const key = templateKey(d.spec.template);
  let current = owned.find((rs) => templateKey(rs.spec.template) === key);
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  const others = owned.filter((rs) => rs !== current);
  const hasOldPods = others.some((rs) => (rs.spec.replicas ?? 0) > 0);

  if (!current) {
    current = newReplicaSet(ctx, d, podTemplateHash(d.spec.template), maxRevision + 1, hasOldPods ? 0 : desired);
  } else if (revisionOf(current) < maxRevision) {
    // A rollback: the old ReplicaSet becomes the newest revision again.
    current = ctx.store.update('replicasets.apps', {
      ...current,
      metadata: {
        ...current.metadata,
        annotations: { ...current.metadata.annotations, [revisionAnnotation]: String(maxRevision + 1) },
      },
    });
    recordEvent(
      ctx,
      involvedDeployment(d),
      'Normal',
      'DeploymentRollback',
      `Rolled back deployment "${d.metadata.name}" to revision ${maxRevision + 1}`,
      { component: 'deployment-controller' },
    );
  }
  const newRs = current;
  const rsPods = podsByReplicaSet(ctx, [newRs, ...others], pods);
  const olds = others.filter((rs) => (rs.spec.replicas ?? 0) > 0).sort((a, b) => createdMs(a) - createdMs(b));

  if (!d.spec.paused) {
    if (olds.length === 0) {
      scaleReplicaSet(ctx, d, newRs, desired);
    } else if (d.spec.strategy?.type === 'Recreate') {
      for (const rs of olds) scaleReplicaSet(ctx, d, rs, 0);
      if (rsPods.slice(1).every((p) => p.active.length === 0)) scaleReplicaSet(ctx, d, newRs, desired);
    } else {
      const maxSurge = resolvePercent(d.spec.strategy?.rollingUpdate?.maxSurge, desired, true);
      let maxUnavailable = resolvePercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, desired, false);
      if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
      const total = [newRs, ...olds].reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0);
      const newReplicas = newRs.spec.replicas ?? 0;
      if (total < desired + maxSurge && newReplicas < desired) {
        scaleReplicaSet(ctx, d, newRs, Math.min(desired, newReplicas + desired + maxSurge - total));
      }
      scaleDownOld(ctx, d, newRs, olds, rsPods, desired - maxUnavailable);
    }
  }
  pruneHistory(ctx, d, others, rsPods);
  writeDeploymentStatus(ctx, d, newRs, rsPods);
}

/** The deployment controller's two scale-down passes: unhealthy old pods first, then down to minAvailable. */
function scaleDownOld(
  ctx: ControllerContext,
  d: KubeObject,
  newRs: KubeObject,
  olds: KubeObject[],
  rsPods: RsPods[],
  minAvailable: number,
): void {
  const readyOf = (rs: KubeObject): number => rsPods.find((p) => p.rs === rs)?.ready ?? 0;
  const replicas = new Map(olds.map((rs) => [rs, rs.spec.replicas ?? 0]));
  const newReplicas =
    ctx.store.get('replicasets.apps', newRs.metadata.namespace, newRs.metadata.name)?.spec.replicas ?? 0;
  const allPods = newReplicas + [...replicas.values()].reduce((s, n) => s + n, 0);
  let maxScaledDown = allPods - minAvailable - Math.max(0, newReplicas - readyOf(newRs));
  for (const rs of olds) {
    const cut = Math.min(Math.max(0, (replicas.get(rs) ?? 0) - readyOf(rs)), maxScaledDown);
    if (cut <= 0) continue;
    replicas.set(rs, (replicas.get(rs) ?? 0) - cut);
    maxScaledDown -= cut;
  }
  let excess = rsPods.reduce((s, p) => s + p.ready, 0) - minAvailable;
  for (const rs of olds) {
    const cut = Math.min(replicas.get(rs) ?? 0, Math.max(0, excess));
    replicas.set(rs, (replicas.get(rs) ?? 0) - cut);
    excess -= cut;
    scaleReplicaSet(ctx, d, rs, replicas.get(rs) ?? 0);
  }
}

function pruneHistory(ctx: ControllerContext, d: KubeObject, others: KubeObject[], rsPods: RsPods[]): void {
  const limit: number = d.spec.revisionHistoryLimit ?? 10;
  const idle = others
    .filter((rs) => (rs.spec.replicas ?? 0) === 0 && (rsPods.find((p) => p.rs === rs)?.active.length ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    ctx.store.delete('replicasets.apps', rs.metadata.namespace, rs.metadata.name);
  }
}

function writeDeploymentStatus(ctx: ControllerContext, d: KubeObject, newRs: KubeObject, rsPods: RsPods[]): void {
  const latest = ctx.store.get('deployments.apps', d.metadata.namespace, d.metadata.name);
  if (!latest) return;
  const desired: number = latest.spec.replicas ?? 1;
  const fresh = ctx.store.get('replicasets.apps', newRs.metadata.namespace, newRs.metadata.name) ?? newRs;
  const replicas = rsPods.reduce((s, p) => s + p.active.length, 0);
  const ready = rsPods.reduce((s, p) => s + p.ready, 0);
  const updated = rsPods[0]?.active.length ?? 0;
  const updatedReady = rsPods[0]?.ready ?? 0;
  const maxUnavailable = Math.max(
    resolvePercent(latest.spec.strategy?.rollingUpdate?.maxUnavailable, desired, false),
    0,
  );
  const at = isoSeconds(ctx.now());
  const conditions = structuredClone(latest.status?.conditions ?? []);
  setCondition(
    conditions,
    ready >= desired - maxUnavailable
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    at,
  );
  const complete = updated === desired && replicas === desired && updatedReady === desired;
  setCondition(
    conditions,
    complete
      ? {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${fresh.metadata.name}" has successfully progressed.`,
        }
      : {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${fresh.metadata.name}" is progressing.`,
        },
    at,
  );
  const totalSpec = rsPods.reduce((s, p) => s + (p.rs.spec.replicas ?? 0), 0);
  const status = {
    observedGeneration: latest.metadata.generation,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(Math.max(0, Math.max(totalSpec, desired) - ready) > 0
      ? { unavailableReplicas: Math.max(0, Math.max(totalSpec, desired) - ready) }
      : {}),
    conditions,
  };
  const annotations = { ...(latest.metadata.annotations ?? {}), [revisionAnnotation]: String(revisionOf(fresh)) };
  ctx.store.update('deployments.apps', { ...latest, metadata: { ...latest.metadata, annotations }, status });
}

export function reconcileDeployments(ctx: ControllerContext): void {
  const pods = ctx.store.listShared('pods');
  for (const d of ctx.store.list('deployments.apps')) {
    reconcileDeployment(ctx, d, ctx.store.list('replicasets.apps', d.metadata.namespace), pods);
  }
}
