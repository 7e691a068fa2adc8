import { z } from 'zod';
import type { LiveKnativeRevision, LiveKnativeService } from '../types';
import { baseOf, conditionOf, containerSchema, gpuRequestOf, imagesOf, metadataSchema } from './common';

const conditionSchema = z.object({ type: z.string(), status: z.string().optional() });

const serviceSchema = z.object({
  metadata: metadataSchema,
  spec: z
    .object({
      template: z
        .object({
          metadata: z.object({ annotations: z.record(z.string(), z.string()).nullish() }).nullish(),
          spec: z.object({ containers: z.array(containerSchema).default([]) }).default({ containers: [] }),
        })
        .default({ spec: { containers: [] } }),
    })
    .default({ template: { spec: { containers: [] } } }),
  status: z
    .object({
      url: z.string().nullish(),
      latestCreatedRevisionName: z.string().nullish(),
      latestReadyRevisionName: z.string().nullish(),
      traffic: z
        .array(
          z.object({
            revisionName: z.string().optional(),
            percent: z.number().nullish(),
            latestRevision: z.boolean().nullish(),
          }),
        )
        .nullish(),
      conditions: z.array(conditionSchema).nullish(),
    })
    .default({}),
});

function scaleAnnotation(
  annotations: Record<string, string> | null | undefined,
  name: 'min-scale' | 'max-scale',
): number | null {
  // Knative accepts the kebab-case names and, from older releases, minScale/maxScale.
  const legacy = name === 'min-scale' ? 'minScale' : 'maxScale';
  const value = annotations?.[`autoscaling.knative.dev/${name}`] ?? annotations?.[`autoscaling.knative.dev/${legacy}`];
  const parsed = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

export function toLiveKnativeService(cluster: string, raw: unknown): LiveKnativeService {
  const s = serviceSchema.parse(raw);
  const annotations = s.spec.template.metadata?.annotations;
  const containers = s.spec.template.spec.containers;
  return {
    kind: 'KnativeService',
    ...baseOf(cluster, s.metadata),
    labels: s.metadata.labels ?? {},
    ready: conditionOf(s.status.conditions, 'Ready')?.status === 'True',
    url: s.status.url ?? null,
    latestCreatedRevision: s.status.latestCreatedRevisionName ?? null,
    latestReadyRevision: s.status.latestReadyRevisionName ?? null,
    traffic: (s.status.traffic ?? []).map((t) => ({
      revisionName: t.revisionName ?? s.status.latestReadyRevisionName ?? '',
      percent: t.percent ?? 0,
      latestRevision: t.latestRevision ?? false,
    })),
    minScale: scaleAnnotation(annotations, 'min-scale'),
    maxScale: scaleAnnotation(annotations, 'max-scale'),
    images: imagesOf(containers),
    gpuRequest: gpuRequestOf(containers),
  };
}

const revisionSchema = z.object({
  metadata: metadataSchema,
  spec: z.object({ containers: z.array(containerSchema).default([]) }).default({ containers: [] }),
  status: z
    .object({
      desiredReplicas: z.number().nullish(),
      actualReplicas: z.number().nullish(),
      conditions: z.array(conditionSchema).nullish(),
    })
    .default({}),
});

export function toLiveKnativeRevision(cluster: string, raw: unknown): LiveKnativeRevision {
  const r = revisionSchema.parse(raw);
  return {
    kind: 'KnativeRevision',
    ...baseOf(cluster, r.metadata),
    serviceName: r.metadata.labels?.['serving.knative.dev/service'] ?? '',
    desiredReplicas: r.status.desiredReplicas ?? 0,
    actualReplicas: r.status.actualReplicas ?? 0,
    ready: conditionOf(r.status.conditions, 'Ready')?.status === 'True',
    active: conditionOf(r.status.conditions, 'Active')?.status === 'True',
    images: imagesOf(r.spec.containers),
  };
}
