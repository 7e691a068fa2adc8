// Knative Serving, reduced to what the demo shows: a Revision per template change, a backing
// Deployment per Revision whose replicas the simulation's autoscaler sets, and Service status.
import { podLabels } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { isoSeconds } from '../util.ts';
import { type ControllerContext, creationTime, recordEvent } from './context.ts';
import { podTemplateHash } from './pod-template.ts';
import { ownedBy, ownerRef } from './pods.ts';

const generationLabel = 'serving.knative.dev/configurationGeneration';
const templateHashAnnotation = 'demo.burnrate.dev/template-hash';

function revisionName(service: string, generation: number): string {
  return `${service}-${String(generation).padStart(5, '0')}`;
}

export function knativeDeploymentName(revision: string): string {
  return `${revision}-deployment`;
}

function queueProxy(): object {
  return {
    name: 'queue-proxy',
    image: 'gcr.io/knative-releases/knative.dev/serving/cmd/queue:v1.16.0',
    ports: [
      { name: 'http-queueadm', containerPort: 8022, protocol: 'TCP' },
      { name: 'http-autometric', containerPort: 9090, protocol: 'TCP' },
      { name: 'http1', containerPort: 8012, protocol: 'TCP' },
    ],
    resources: { requests: { cpu: '25m' } },
  };
}

function createRevision(
  ctx: ControllerContext,
  svc: KubeObject,
  generation: number,
  hash: string,
  replicas: number,
): void {
  const name = svc.spec.template?.metadata?.name ?? revisionName(svc.metadata.name, generation);
  const template = structuredClone(svc.spec.template ?? {});
  const labels = {
    ...(template.metadata?.labels ?? {}),
    'serving.knative.dev/service': svc.metadata.name,
    'serving.knative.dev/configuration': svc.metadata.name,
    [generationLabel]: String(generation),
    'serving.knative.dev/serviceUID': svc.metadata.uid ?? '',
  };
  const revision = ctx.store.create('revisions.serving.knative.dev', {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name,
      namespace: svc.metadata.namespace,
      labels,
      creationTimestamp: isoSeconds(creationTime(ctx)),
      annotations: { ...(template.metadata?.annotations ?? {}), [templateHashAnnotation]: hash },
      ownerReferences: [ownerRef(svc)],
    },
    spec: template.spec ?? {},
  });
  const podLabelSet = {
    ...labels,
    [podLabels.knativeService]: svc.metadata.name,
    [podLabels.knativeRevision]: name,
    app: name,
  };
  const userContainers = (template.spec?.containers ?? []).map((c: object) => ({ name: 'user-container', ...c }));
  ctx.store.create('deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: knativeDeploymentName(name),
      namespace: svc.metadata.namespace,
      labels: podLabelSet,
      ownerReferences: [ownerRef(revision)],
      creationTimestamp: isoSeconds(creationTime(ctx)),
    },
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      selector: { matchLabels: { [podLabels.knativeRevision]: name } },
      template: {
        metadata: { labels: podLabelSet, annotations: template.metadata?.annotations ?? {} },
        spec: {
          containers: [...userContainers, queueProxy()],
          terminationGracePeriodSeconds: template.spec?.timeoutSeconds ?? 300,
        },
      },
    },
  });
  recordEvent(
    ctx,
    { kind: 'Service', apiVersion: 'serving.knative.dev/v1', object: svc },
    'Normal',
    'Created',
    `Created Revision "${name}"`,
    { component: 'configuration-controller' },
  );
}

function condition(type: string, ready: boolean, at: string, reason?: string, message?: string): object {
  return {
    type,
    status: ready ? 'True' : 'Unknown',
    lastTransitionTime: at,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
    severity: type === 'Active' ? 'Info' : undefined,
  };
}

function reconcileService(ctx: ControllerContext, svc: KubeObject): void {
  const revisions = ownedBy(ctx.store.list('revisions.serving.knative.dev', svc.metadata.namespace), svc).sort(
    (a, b) => Number(a.metadata.labels?.[generationLabel] ?? 0) - Number(b.metadata.labels?.[generationLabel] ?? 0),
  );
  const hash = podTemplateHash(svc.spec.template);
  const latest = revisions[revisions.length - 1];
  if (!latest || latest.metadata.annotations?.[templateHashAnnotation] !== hash) {
    const generation = Number(latest?.metadata.labels?.[generationLabel] ?? 0) + 1;
    const seedReplicas =
      ctx.spec.serving.find((w) => w.name === svc.metadata.name && w.namespace === svc.metadata.namespace)?.replicas ??
      1;
    const previous = latest
      ? ctx.store.get('deployments.apps', svc.metadata.namespace, knativeDeploymentName(latest.metadata.name))
      : undefined;
    createRevision(ctx, svc, generation, hash, latest ? Math.max(1, previous?.spec.replicas ?? 0) : seedReplicas);
    return;
  }
  const at = isoSeconds(ctx.now());
  let latestReady: string | undefined = svc.status?.latestReadyRevisionName;
  for (const rev of revisions) {
    const deployment = ctx.store.get(
      'deployments.apps',
      rev.metadata.namespace,
      knativeDeploymentName(rev.metadata.name),
    );
    const desired = deployment?.spec.replicas ?? 0;
    const actual = deployment?.status?.readyReplicas ?? 0;
    const wasReady = (rev.status?.conditions ?? []).some(
      (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
    );
    const ready = wasReady || actual > 0 || ctx.seeding || desired === 0;
    if (ready && rev === latest) latestReady = rev.metadata.name;
    const keep = (type: string): string =>
      (rev.status?.conditions ?? []).find(
        (c: { type: string; status: string }) => c.type === type && c.status === (ready ? 'True' : 'Unknown'),
      )?.lastTransitionTime ?? at;
    const active = desired > 0 || actual > 0;
    ctx.store.update('revisions.serving.knative.dev', {
      ...rev,
      status: {
        observedGeneration: rev.metadata.generation,
        actualReplicas: actual,
        desiredReplicas: desired,
        containerStatuses: [
          {
            name: 'user-container',
            imageDigest: `${(rev.spec.containers?.[0]?.image ?? '').split(':')[0]}@sha256:${hash.padEnd(64, '0')}`,
          },
        ],
        conditions: [
          {
            type: 'Active',
            status: active ? 'True' : 'False',
            lastTransitionTime: keep('Ready'),
            severity: 'Info',
            ...(active ? {} : { reason: 'NoTraffic', message: 'The target is not receiving traffic.' }),
          },
          condition('ContainerHealthy', ready, keep('Ready')),
          condition('Ready', ready, keep('Ready')),
          condition('ResourcesAvailable', ready, keep('Ready')),
        ],
      },
    });
  }
  // Once the latest revision is ready, older ones stop serving traffic and scale to zero.
  if (latestReady === latest.metadata.name) {
    for (const rev of revisions.filter((r) => r !== latest)) {
      const deployment = ctx.store.get(
        'deployments.apps',
        rev.metadata.namespace,
        knativeDeploymentName(rev.metadata.name),
      );
      if (deployment && deployment.spec.replicas !== 0)
        ctx.store.update('deployments.apps', { ...deployment, spec: { ...deployment.spec, replicas: 0 } });
    }
  }
  const host = `${svc.metadata.name}.${svc.metadata.namespace}`;
  const readyNow = latestReady !== undefined;
  const since =
    (svc.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.lastTransitionTime ?? at;
  ctx.store.update('services.serving.knative.dev', {
    ...svc,
    status: {
      observedGeneration: svc.metadata.generation,
      latestCreatedRevisionName: latest.metadata.name,
      ...(latestReady ? { latestReadyRevisionName: latestReady } : {}),
      url: `http://${host}.example.com`,
      address: { url: `http://${host}.svc.cluster.local` },
      traffic: latestReady ? [{ revisionName: latestReady, latestRevision: true, percent: 100 }] : [],
      conditions: ['ConfigurationsReady', 'Ready', 'RoutesReady'].map((type) => condition(type, readyNow, since)),
    },
  });
}

export function reconcileKnative(ctx: ControllerContext): void {
  for (const svc of ctx.store.list('services.serving.knative.dev')) reconcileService(ctx, svc);
}

/** Sets the replicas of a Knative Service's serving revision (0 = scaled to zero). */
export function setKnativeScale(ctx: ControllerContext, namespace: string, service: string, replicas: number): void {
  const svc = ctx.store.get('services.serving.knative.dev', namespace, service);
  if (!svc) throw new Error(`no Knative Service ${namespace}/${service}`);
  const revision = svc.status?.latestReadyRevisionName ?? svc.status?.latestCreatedRevisionName;
  if (!revision) throw new Error(`Knative Service ${namespace}/${service} has no revision yet`);
  const deployment = ctx.store.get('deployments.apps', namespace, knativeDeploymentName(revision));
  if (!deployment) throw new Error(`no Deployment for revision ${revision}`);
  const next = Math.max(0, Math.floor(replicas));
  if (deployment.spec.replicas === next) return;
  ctx.store.update('deployments.apps', { ...deployment, spec: { ...deployment.spec, replicas: next } });
}
