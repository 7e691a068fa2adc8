// The ReplicaSet controller: keeps a ReplicaSet's pods at its replica count (the least useful go
// first) and its status at what they are.
import type { KubeObject } from '../store.ts';
import { isoSeconds, randomSuffix } from '../util.ts';
import { type ControllerContext, creationTime, recordEvent } from './context.ts';
import { createdMs, isActive, isReady, ownedBy, ownerRef } from './pods.ts';

function reconcileReplicaSet(ctx: ControllerContext, rs: KubeObject, pods: readonly KubeObject[]): void {
  const owned = ownedBy(pods, rs);
  const active = owned.filter(isActive);
  const desired: number = rs.spec.replicas ?? 0;
  const involved = { kind: 'ReplicaSet', apiVersion: 'apps/v1', object: rs };
  for (let i = active.length; i < desired; i++) {
    const template = rs.spec.template ?? {};
    const name = `${rs.metadata.name}-${randomSuffix(ctx.random)}`;
    ctx.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [ownerRef(rs)],
        creationTimestamp: isoSeconds(creationTime(ctx)),
      },
      spec: structuredClone(template.spec ?? {}),
      status: { phase: 'Pending', qosClass: 'Burstable' },
    });
    recordEvent(ctx, involved, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, {
      component: 'replicaset-controller',
    });
  }
  if (active.length > desired) {
    // Remove the least useful first: unscheduled, then not ready, then the newest.
    const rank = (p: KubeObject): number => (p.spec?.nodeName ? 0 : 2) + (isReady(p) ? 0 : 1);
    const victims = [...active]
      .sort((a, b) => rank(b) - rank(a) || createdMs(b) - createdMs(a))
      .slice(0, active.length - desired);
    for (const pod of victims) {
      if (pod.spec?.nodeName) {
        ctx.store.update('pods', {
          ...pod,
          metadata: {
            ...pod.metadata,
            deletionTimestamp: isoSeconds(ctx.now() + 30_000),
            deletionGracePeriodSeconds: 30,
          },
        });
      } else {
        ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
      }
      recordEvent(ctx, involved, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, {
        component: 'replicaset-controller',
      });
    }
  }
  // Listed again only when this pass created or removed pods of this ReplicaSet.
  const fresh = active.length === desired ? active : ownedBy(ctx.store.listShared('pods'), rs).filter(isActive);
  const latest = ctx.store.get('replicasets.apps', rs.metadata.namespace, rs.metadata.name);
  if (!latest) return;
  const ready = fresh.filter(isReady).length;
  ctx.store.update('replicasets.apps', {
    ...latest,
    status: {
      replicas: fresh.length,
      fullyLabeledReplicas: fresh.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: latest.metadata.generation,
    },
  });
}

export function reconcileReplicaSets(ctx: ControllerContext): void {
  const pods = ctx.store.listShared('pods');
  for (const rs of ctx.store.list('replicasets.apps')) reconcileReplicaSet(ctx, rs, pods);
}
