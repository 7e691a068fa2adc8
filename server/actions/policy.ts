import { z } from 'zod';
import type { WorkloadRef } from './types';

export const REPLICAS_MIN_ANNOTATION = 'burnrate.dev/replicas-min';
export const REPLICAS_MAX_ANNOTATION = 'burnrate.dev/replicas-max';
export const DEFAULT_REPLICA_BOUNDS = { minReplicas: 0, maxReplicas: 20 } as const;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 10;

export const REPLICA_BOUNDS_SETTING = 'actions.replicaBounds';
export const ALLOWED_REGISTRIES_SETTING = 'actions.allowedRegistries';
export const RATE_LIMIT_SETTING = 'actions.rateLimitPerMinute';
export const IMPERSONATE_SETTING = 'actions.impersonateUsers';

export const replicaBoundsRuleSchema = z
  .object({
    cluster: z.string().min(1),
    namespace: z.string().min(1),
    kind: z.enum(['Deployment', 'KnativeService']),
    name: z.string().min(1),
    minReplicas: z.number().int().min(0),
    maxReplicas: z.number().int().min(0).max(10_000),
  })
  .refine((rule) => rule.minReplicas <= rule.maxReplicas, {
    message: 'the minimum must not exceed the maximum',
    path: ['minReplicas'],
  });
export type ReplicaBoundsRule = z.infer<typeof replicaBoundsRuleSchema>;
export const replicaBoundsRulesSchema = z.array(replicaBoundsRuleSchema);

export interface ReplicaBounds {
  minReplicas: number;
  maxReplicas: number;
  source: 'settings' | 'annotation' | 'default';
}

function sameWorkload(rule: ReplicaBoundsRule, workload: WorkloadRef): boolean {
  return (
    rule.cluster === workload.cluster &&
    rule.namespace === workload.namespace &&
    rule.kind === workload.kind &&
    rule.name === workload.name
  );
}

function annotationCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/**
 * An admin's rule in settings wins (it is the Burnrate-side decision), then the workload's own
 * annotations, then 0…20. A half-set annotation pair keeps the default for the other end.
 */
export function replicaBoundsOf(
  workload: WorkloadRef,
  annotations: Record<string, string> | undefined,
  rules: readonly ReplicaBoundsRule[],
): ReplicaBounds {
  const rule = rules.find((r) => sameWorkload(r, workload));
  if (rule) return { minReplicas: rule.minReplicas, maxReplicas: rule.maxReplicas, source: 'settings' };
  const min = annotationCount(annotations?.[REPLICAS_MIN_ANNOTATION]);
  const max = annotationCount(annotations?.[REPLICAS_MAX_ANNOTATION]);
  if (min === undefined && max === undefined) return { ...DEFAULT_REPLICA_BOUNDS, source: 'default' };
  return {
    minReplicas: min ?? DEFAULT_REPLICA_BOUNDS.minReplicas,
    maxReplicas: max ?? DEFAULT_REPLICA_BOUNDS.maxReplicas,
    source: 'annotation',
  };
}

/** Rules with the one for `rule`'s workload replaced (or added). */
export function withReplicaBoundsRule(
  rules: readonly ReplicaBoundsRule[],
  rule: ReplicaBoundsRule,
): ReplicaBoundsRule[] {
  return [...rules.filter((r) => !sameWorkload(r, rule)), rule];
}

/** Why a replica count is refused, in words for the person, or undefined when it is fine. */
export function replicaViolation(replicas: number, bounds: ReplicaBounds, field = 'replicas'): string | undefined {
  if (!Number.isFinite(replicas)) return `${field} must be a number.`;
  if (replicas < 0) return `${field} cannot be negative (got ${replicas}).`;
  if (!Number.isInteger(replicas)) return `${field} must be a whole number (got ${replicas}).`;
  if (replicas < bounds.minReplicas || replicas > bounds.maxReplicas) {
    return `${field} ${replicas} is outside the allowed ${bounds.minReplicas}…${bounds.maxReplicas} (from ${bounds.source === 'settings' ? 'a settings rule' : bounds.source === 'annotation' ? 'the workload annotations' : 'the default'}).`;
  }
  return undefined;
}

/** The registry host of an image reference; Docker Hub when the first part is not a host. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash === -1) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : 'docker.io';
}

const imageReference =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;

/** Why an image is refused, or undefined. A tag or digest is required: "latest by default" is not a deploy. */
export function imageViolation(image: string, allowedRegistries: readonly string[]): string | undefined {
  if (!imageReference.test(image))
    return `"${image}" is not an image reference with a tag or digest (registry/repository:tag).`;
  const registry = registryOf(image);
  if (!allowedRegistries.map((r) => r.toLowerCase()).includes(registry)) {
    return `Images from ${registry} are not allowed; allowed registries: ${allowedRegistries.join(', ') || 'none'}.`;
  }
  return undefined;
}

/** True when `attemptsInLastMinute` already used the per-person allowance. */
export function rateLimited(attemptsInLastMinute: number, limitPerMinute: number): boolean {
  return attemptsInLastMinute >= limitPerMinute;
}
