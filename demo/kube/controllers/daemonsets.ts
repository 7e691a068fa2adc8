// The DaemonSet controller: one pod per matching node, placed by the controller itself (as the
// real one sets the node affinity), with a name and uid that depend only on (cluster, set, node)
// so that the simulation's history names the same pods the API shows.
import { type ClusterSpec, type DaemonSetSpec, podLabels } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { fnv32a, isoSeconds, safeEncodeHash } from '../util.ts';
import { type ControllerContext, creationTime, recordEvent } from './context.ts';
import { isActive, isReady, ownedBy, ownerRef } from './pods.ts';
import { containerResources } from './seed.ts';

const gpuNodeSelector = { 'nvidia.com/gpu.present': 'true' };

export interface PodIdentity {
  name: string;
  uid: string;
}

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

function suffixOf(key: string): string {
  let h = fnv32a(key);
  let out = '';
  for (let i = 0; i < 5; i++, h = Math.floor(h / alphabet.length)) out += alphabet[h % alphabet.length];
  return out;
}

/** Name and uid of the pod of DaemonSet `ds` on each node; a name taken by an earlier node is drawn again. */
export function daemonPodIdentities(
  cluster: ClusterSpec['name'],
  ds: string,
  nodeNames: string[],
): Map<string, PodIdentity> {
  const out = new Map<string, PodIdentity>();
  const taken = new Set<string>();
  for (const nodeName of nodeNames) {
    const key = `${cluster}/${ds}/${nodeName}`;
    let name = '';
    for (let attempt = 0; name === '' || taken.has(name); attempt++) name = `${ds}-${suffixOf(`${key}#${attempt}`)}`;
    taken.add(name);
    const hex = [0, 1, 2, 3].map((i) => fnv32a(`${key}#uid${i}`).toString(16).padStart(8, '0')).join('');
    out.set(nodeName, {
      name,
      uid: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
    });
  }
  return out;
}

export function daemonSetObject(ds: DaemonSetSpec, createdAtMs: number): KubeObject {
  const labels = { [podLabels.workload]: ds.name, 'app.kubernetes.io/component': 'system' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: ds.name, namespace: ds.namespace, labels, creationTimestamp: isoSeconds(createdAtMs) },
    spec: {
      selector: { matchLabels: { [podLabels.workload]: ds.name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: ds.name, image: ds.container.image, resources: containerResources(ds.container) }],
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
          ...(ds.gpuNodesOnly ? { nodeSelector: gpuNodeSelector } : {}),
        },
      },
    },
  };
}

function matches(node: KubeObject, selector: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => node.metadata.labels?.[k] === v);
}

function reconcileDaemonSet(
  ctx: ControllerContext,
  ds: KubeObject,
  nodes: KubeObject[],
  pods: readonly KubeObject[],
): void {
  const owned = ownedBy(pods, ds).filter(isActive);
  const byNode = new Map(owned.map((p) => [p.spec?.nodeName as string, p]));
  const wanted = nodes.filter((n) => matches(n, ds.spec.template?.spec?.nodeSelector));
  if (wanted.every((n) => byNode.has(n.metadata.name))) {
    writeStatus(ctx, ds, owned, wanted.length);
    return;
  }
  const identities = daemonPodIdentities(
    ctx.spec.name,
    ds.metadata.name,
    wanted.map((n) => n.metadata.name),
  );
  for (const node of wanted) {
    if (byNode.has(node.metadata.name)) continue;
    const { name, uid } = identities.get(node.metadata.name)!;
    if (ctx.store.get('pods', ds.metadata.namespace, name)) continue;
    const template = ds.spec.template ?? {};
    ctx.store.create('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        uid,
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: {
          ...(template.metadata?.labels ?? {}),
          'controller-revision-hash': safeEncodeHash(fnv32a(ds.metadata.name)),
        },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [ownerRef(ds)],
        creationTimestamp: isoSeconds(creationTime(ctx)),
      },
      spec: { ...structuredClone(template.spec ?? {}), nodeName: node.metadata.name },
      status: { phase: 'Pending', qosClass: 'Burstable' },
    });
    recordEvent(
      ctx,
      { kind: 'DaemonSet', apiVersion: 'apps/v1', object: ds },
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${name}`,
      { component: 'daemonset-controller' },
    );
  }
  writeStatus(ctx, ds, owned, wanted.length);
}

function writeStatus(ctx: ControllerContext, ds: KubeObject, owned: KubeObject[], desired: number): void {
  const ready = owned.filter(isReady).length;
  ctx.store.update('daemonsets.apps', {
    ...ds,
    status: {
      currentNumberScheduled: owned.length,
      desiredNumberScheduled: desired,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: owned.length,
      ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
      observedGeneration: ds.metadata.generation,
    },
  });
}

export function reconcileDaemonSets(ctx: ControllerContext): void {
  const nodes = ctx.store.list('nodes');
  const pods = ctx.store.listShared('pods');
  for (const ds of ctx.store.list('daemonsets.apps')) reconcileDaemonSet(ctx, ds, nodes, pods);
}
