import 'server-only';
import { roleAtLeast, type SessionUser } from '@/server/auth/session';
import type { KubeObjectLike } from '@/server/kubernetes/verbs';
import { replicaBoundsFor, type ActionDeps } from './service';
import type { ReplicaBounds } from './policy';
import { actionVerbs, type ActionVerb, type WorkloadRef } from './types';

export interface Capability {
  allowed: boolean;
  /** Shown as the tooltip of a disabled button. */
  reason?: string;
}

export interface WorkloadState {
  resourceVersion: string;
  generation: number;
  observedGeneration: number;
  replicas: number | null;
  readyReplicas: number;
  updatedReplicas: number;
  paused: boolean;
  containers: { name: string; image: string }[];
  revisions: { revision: number; images: string[]; current: boolean }[];
  bounds: ReplicaBounds;
  knative: { minScale: number | null; maxScale: number | null } | null;
  /** True while the rollout has not caught up with the spec. */
  progressing: boolean;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

export async function workloadState(deps: ActionDeps, workload: WorkloadRef): Promise<WorkloadState> {
  const kube = deps.kube(workload.cluster);
  const current: KubeObjectLike = await kube.readWorkload(workload);
  const spec = current.spec ?? {};
  const status = current.status ?? {};
  const template = spec.template as
    | {
        metadata?: { annotations?: Record<string, string> };
        spec?: { containers?: { name: string; image?: string }[] };
      }
    | undefined;
  const containers = (template?.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? '' }));
  const replicaSets = workload.kind === 'Deployment' ? await kube.replicaSetsOf(current) : [];
  const revisionOf = (annotations: Record<string, string> | undefined): number =>
    Number(annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const currentRevision = revisionOf(current.metadata?.annotations);
  const revisions = replicaSets
    .map((rs) => ({
      revision: revisionOf(rs.metadata?.annotations),
      images: (rs.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
      current: false,
    }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => b.revision - a.revision)
    .map((r) => ({ ...r, current: r.revision === currentRevision }));
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : null;
  const generation = current.metadata?.generation ?? 0;
  const observedGeneration = num(status.observedGeneration);
  const annotations = template?.metadata?.annotations ?? {};
  const scaleOf = (key: string): number | null => (annotations[key] !== undefined ? Number(annotations[key]) : null);
  const readyReplicas = num(status.readyReplicas);
  const updatedReplicas = num(status.updatedReplicas);
  return {
    resourceVersion: current.metadata?.resourceVersion ?? '',
    generation,
    observedGeneration,
    replicas,
    readyReplicas,
    updatedReplicas,
    paused: spec.paused === true,
    containers,
    revisions,
    bounds: await replicaBoundsFor(deps, workload, current),
    knative:
      workload.kind === 'KnativeService'
        ? {
            minScale: scaleOf('autoscaling.knative.dev/min-scale'),
            maxScale: scaleOf('autoscaling.knative.dev/max-scale'),
          }
        : null,
    progressing:
      workload.kind === 'Deployment' &&
      (observedGeneration < generation ||
        (replicas !== null && (readyReplicas !== replicas || updatedReplicas !== replicas))),
  };
}

const accessOf: Record<ActionVerb, { group: string; resource: string; subresource?: string }> = {
  scale: { group: 'apps', resource: 'deployments', subresource: 'scale' },
  restart: { group: 'apps', resource: 'deployments' },
  'set-image': { group: 'apps', resource: 'deployments' },
  rollback: { group: 'apps', resource: 'deployments' },
  pause: { group: 'apps', resource: 'deployments' },
  resume: { group: 'apps', resource: 'deployments' },
  'knative-scale': { group: 'serving.knative.dev', resource: 'services' },
};

const deploymentOnly = new Set<ActionVerb>(['scale', 'rollback', 'pause', 'resume']);

/** What the person may do here: their Burnrate role first, then Kubernetes RBAC of the acting identity. */
export async function actionCapabilities(
  deps: ActionDeps,
  user: SessionUser,
  workload: WorkloadRef,
  impersonate: boolean,
): Promise<Record<ActionVerb, Capability>> {
  const result = {} as Record<ActionVerb, Capability>;
  const kube = deps.kube(workload.cluster, impersonate ? user.name : undefined);
  const cache = new Map<string, Promise<{ allowed: boolean; reason?: string }>>();
  await Promise.all(
    actionVerbs.map(async (verb) => {
      if (!roleAtLeast(user.role, 'operator')) {
        result[verb] = { allowed: false, reason: `Actions need the operator role; you are ${user.role}.` };
        return;
      }
      const knativeVerb = verb === 'knative-scale';
      if (knativeVerb !== (workload.kind === 'KnativeService') && (knativeVerb || deploymentOnly.has(verb))) {
        result[verb] = { allowed: false, reason: `Not available for a ${workload.kind}.` };
        return;
      }
      const access = workload.kind === 'KnativeService' ? accessOf['knative-scale'] : accessOf[verb];
      const key = `${access.resource}/${access.subresource ?? ''}`;
      if (!cache.has(key))
        cache.set(key, kube.canI({ verb: 'patch', ...access, namespace: workload.namespace, name: workload.name }));
      const review = await (cache.get(key) as Promise<{ allowed: boolean; reason?: string }>);
      result[verb] = review.allowed
        ? { allowed: true }
        : {
            allowed: false,
            reason: `Kubernetes RBAC does not let ${impersonate ? 'you' : 'Burnrate’s service account'} patch ${access.resource} here${review.reason ? `: ${review.reason}` : ''}.`,
          };
    }),
  );
  return result;
}
