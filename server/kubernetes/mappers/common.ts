import { z } from 'zod';
import type { GpuRequest, LiveOwner } from '../types';

// Upstream JSON is a trust boundary: these schemas keep what the mappers read and tolerate
// everything else (other fields, other versions of the API), so one odd object never breaks a cache.
export const metadataSchema = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().nullish(),
  deletionTimestamp: z.string().nullish(),
  generation: z.number().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  ownerReferences: z
    .array(z.object({ kind: z.string(), name: z.string(), controller: z.boolean().optional() }))
    .nullish(),
});

export const quantitySchema = z.union([z.string(), z.number()]).transform((v) => String(v));

export const containerSchema = z.object({
  name: z.string().optional(),
  image: z.string().optional(),
  resources: z
    .object({
      requests: z.record(z.string(), quantitySchema).nullish(),
      limits: z.record(z.string(), quantitySchema).nullish(),
    })
    .nullish(),
});

export type RawMetadata = z.infer<typeof metadataSchema>;
export type RawContainer = z.infer<typeof containerSchema>;

export function baseOf(
  cluster: string,
  meta: RawMetadata,
): {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  createdAt: string | null;
} {
  return {
    cluster,
    namespace: meta.namespace ?? '',
    name: meta.name,
    uid: meta.uid ?? `${meta.namespace ?? ''}/${meta.name}`,
    resourceVersion: meta.resourceVersion ?? '',
    createdAt: meta.creationTimestamp ?? null,
  };
}

export function ownerOf(meta: RawMetadata): LiveOwner | null {
  const refs = meta.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  return ref ? { kind: ref.kind, name: ref.name } : null;
}

function quantityNumber(value: string | undefined): number {
  if (value === undefined) return 0;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** GPU requests of a pod template's containers (requests, else limits, as the scheduler reads them). */
export function gpuRequestOf(containers: RawContainer[]): GpuRequest {
  let whole = 0;
  let sharedSlices = 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    whole += quantityNumber(requests['nvidia.com/gpu'] ?? limits['nvidia.com/gpu']);
    sharedSlices += quantityNumber(requests['nvidia.com/gpu.shared'] ?? limits['nvidia.com/gpu.shared']);
  }
  return { whole, sharedSlices };
}

/** Images of the containers that do the work (Knative's queue-proxy sidecar is infrastructure). */
export function imagesOf(containers: RawContainer[]): string[] {
  return containers
    .filter((c) => c.name !== 'queue-proxy')
    .map((c) => c.image ?? '')
    .filter(Boolean);
}

export function conditionOf<T extends { type: string }>(
  conditions: T[] | null | undefined,
  type: string,
): T | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}
