import type { KubeObjectLike, ReplicaSetObject } from '@/server/kubernetes/verbs';
import { DomainError } from '@/server/errors';
import { createMergePatch } from './diff';
import { imageViolation, registryOf, replicaViolation, type ReplicaBounds } from './policy';
import type { Action, WorkloadRef } from './types';

export interface PolicyContext {
  bounds: ReplicaBounds;
  allowedRegistries: string[];
  replicaSets: ReplicaSetObject[];
  now: Date;
}

export interface PlannedPatch {
  target: 'scale' | 'workload';
  body: Record<string, unknown>;
  /** What the SelfSubjectAccessReview asks for. */
  access: { verb: 'patch'; group: string; resource: string; subresource?: string };
}

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

function refuse(message: string, where: string): never {
  throw new DomainError('BAD_INPUT', message, where);
}

function containersOf(workload: KubeObjectLike): { name: string; image?: string }[] {
  const template = workload.spec?.template as
    { spec?: { containers?: { name: string; image?: string }[] } } | undefined;
  return template?.spec?.containers ?? [];
}

/** Registries of the images the workload runs now: the allowlist when settings name none. */
export function currentRegistries(workload: KubeObjectLike): string[] {
  return [...new Set(containersOf(workload).flatMap((c) => (c.image ? [registryOf(c.image)] : [])))];
}

function requireKind(workload: WorkloadRef, kind: WorkloadRef['kind'], verb: string): void {
  if (workload.kind !== kind) refuse(`${verb} applies to a ${kind}, not a ${workload.kind}.`, 'action');
}

function withVersion(body: Record<string, unknown>, resourceVersion: string | undefined): Record<string, unknown> {
  // A resourceVersion in a merge patch is a precondition: the API answers 409 if it moved on.
  return resourceVersion ? { ...body, metadata: { ...(body.metadata as object | undefined), resourceVersion } } : body;
}

/**
 * The patch that performs `action` on `current`, after the policy checks (bounds, registries).
 * Throws BAD_INPUT with the reason when the policy refuses.
 */
export function planAction(
  workload: WorkloadRef,
  action: Action,
  current: KubeObjectLike,
  policy: PolicyContext,
  resourceVersion: string | undefined,
): PlannedPatch {
  const deployments = { verb: 'patch' as const, group: 'apps', resource: 'deployments' };
  const ksvc = { verb: 'patch' as const, group: 'serving.knative.dev', resource: 'services' };
  switch (action.verb) {
    case 'scale': {
      requireKind(workload, 'Deployment', 'Scaling replicas');
      const violation = replicaViolation(action.replicas, policy.bounds);
      if (violation) refuse(violation, 'replicas');
      return {
        target: 'scale',
        body: withVersion({ spec: { replicas: action.replicas } }, resourceVersion),
        access: { ...deployments, subresource: 'scale' },
      };
    }
    case 'restart': {
      const body = {
        spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: policy.now.toISOString() } } } },
      };
      return {
        target: 'workload',
        body: withVersion(body, resourceVersion),
        access: workload.kind === 'Deployment' ? deployments : ksvc,
      };
    }
    case 'set-image': {
      const containers = containersOf(current);
      if (!containers.some((c) => c.name === action.container)) {
        refuse(
          `There is no container "${action.container}" (containers: ${containers.map((c) => c.name).join(', ')}).`,
          'container',
        );
      }
      const violation = imageViolation(action.image, policy.allowedRegistries);
      if (violation) refuse(violation, 'image');
      // Merge patches replace lists whole: send every container, only one image changed.
      const next = containers.map((c) => (c.name === action.container ? { ...c, image: action.image } : c));
      return {
        target: 'workload',
        body: withVersion({ spec: { template: { spec: { containers: next } } } }, resourceVersion),
        access: workload.kind === 'Deployment' ? deployments : ksvc,
      };
    }
    case 'rollback': {
      requireKind(workload, 'Deployment', 'Rolling back to a revision');
      const replicaSet = policy.replicaSets.find(
        (rs) => rs.metadata?.annotations?.[REVISION_ANNOTATION] === String(action.revision),
      );
      if (!replicaSet?.spec?.template) refuse(`Revision ${action.revision} is not in the rollout history.`, 'revision');
      const labels = { ...replicaSet.spec.template.metadata?.labels };
      delete labels['pod-template-hash'];
      const target = { ...replicaSet.spec.template, metadata: { ...replicaSet.spec.template.metadata, labels } };
      const templatePatch = createMergePatch(current.spec?.template, JSON.parse(JSON.stringify(target)));
      if (templatePatch === undefined)
        refuse(`Revision ${action.revision} is what runs now: nothing to roll back.`, 'revision');
      return {
        target: 'workload',
        body: withVersion({ spec: { template: templatePatch } }, resourceVersion),
        access: deployments,
      };
    }
    case 'pause':
    case 'resume':
      requireKind(workload, 'Deployment', 'Pausing a rollout');
      return {
        target: 'workload',
        body: withVersion({ spec: { paused: action.verb === 'pause' } }, resourceVersion),
        access: deployments,
      };
    case 'knative-scale': {
      requireKind(workload, 'KnativeService', 'Min/max scale');
      const violation =
        replicaViolation(action.minScale, policy.bounds, 'min scale') ??
        replicaViolation(action.maxScale, policy.bounds, 'max scale');
      if (violation) refuse(violation, 'scale');
      if (action.minScale > action.maxScale)
        refuse(`min scale ${action.minScale} exceeds max scale ${action.maxScale}.`, 'scale');
      const annotations = {
        'autoscaling.knative.dev/min-scale': String(action.minScale),
        'autoscaling.knative.dev/max-scale': String(action.maxScale),
      };
      return {
        target: 'workload',
        body: withVersion({ spec: { template: { metadata: { annotations } } } }, resourceVersion),
        access: ksvc,
      };
    }
  }
}
