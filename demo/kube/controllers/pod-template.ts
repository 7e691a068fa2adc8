// Pod templates compared as the Deployment controller compares them, and the pod-template-hash
// label a ReplicaSet and its pods carry.
import { defaultPodSpec } from '../admission.ts';
import { fnv32a, safeEncodeHash } from '../util.ts';

export const hashLabel = 'pod-template-hash';
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** Deployment annotations a ReplicaSet does not copy. */
export const skippedAnnotations = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
]);

/** JSON with sorted keys and no null/empty values, so templates compare as the API means them. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = canonical((value as Record<string, unknown>)[key]);
    if (v === null || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[key] = v;
  }
  return out;
}

/** A pod template as the API means it: defaults filled, hash label left out. */
export function templateKey(template: unknown): string {
  const copy = structuredClone(template ?? {}) as { metadata?: { labels?: Record<string, string> }; spec?: object };
  if (copy.metadata?.labels) delete copy.metadata.labels[hashLabel];
  defaultPodSpec(copy.spec);
  return JSON.stringify(canonical(copy));
}

export function podTemplateHash(template: unknown): string {
  return safeEncodeHash(fnv32a(templateKey(template)));
}
