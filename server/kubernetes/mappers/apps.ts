import { z } from 'zod';
import type { LiveDeployment, LiveReplicaSet } from '../types';
import { baseOf, conditionOf, containerSchema, gpuRequestOf, imagesOf, metadataSchema, ownerOf } from './common';

const conditionSchema = z.object({
  type: z.string(),
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
const templateSchema = z
  .object({ spec: z.object({ containers: z.array(containerSchema).default([]) }).default({ containers: [] }) })
  .default({ spec: { containers: [] } });

const deploymentSchema = z.object({
  metadata: metadataSchema,
  spec: z
    .object({
      replicas: z.number().optional(),
      selector: z.object({ matchLabels: z.record(z.string(), z.string()).nullish() }).nullish(),
      template: templateSchema,
    })
    .default({ template: { spec: { containers: [] } } }),
  status: z
    .object({
      replicas: z.number().optional(),
      readyReplicas: z.number().optional(),
      availableReplicas: z.number().optional(),
      updatedReplicas: z.number().optional(),
      observedGeneration: z.number().optional(),
      conditions: z.array(conditionSchema).nullish(),
    })
    .default({}),
});

const revisionAnnotation = 'deployment.kubernetes.io/revision';

export function toLiveDeployment(cluster: string, raw: unknown): LiveDeployment {
  const d = deploymentSchema.parse(raw);
  const progressing = conditionOf(d.status.conditions, 'Progressing');
  const containers = d.spec.template.spec.containers;
  return {
    kind: 'Deployment',
    ...baseOf(cluster, d.metadata),
    labels: d.metadata.labels ?? {},
    owner: ownerOf(d.metadata),
    desiredReplicas: d.spec.replicas ?? 1,
    currentReplicas: d.status.replicas ?? 0,
    readyReplicas: d.status.readyReplicas ?? 0,
    availableReplicas: d.status.availableReplicas ?? 0,
    updatedReplicas: d.status.updatedReplicas ?? 0,
    images: imagesOf(containers),
    gpuRequest: gpuRequestOf(containers),
    revision: d.metadata.annotations?.[revisionAnnotation] ?? null,
    generation: d.metadata.generation ?? 0,
    observedGeneration: d.status.observedGeneration ?? 0,
    progressReason: progressing?.reason ?? null,
    progressMessage: progressing?.message ?? null,
    selector: d.spec.selector?.matchLabels ?? {},
  };
}

const replicaSetSchema = z.object({
  metadata: metadataSchema,
  spec: z
    .object({ replicas: z.number().optional(), template: templateSchema })
    .default({ template: { spec: { containers: [] } } }),
  status: z.object({ readyReplicas: z.number().optional(), availableReplicas: z.number().optional() }).default({}),
});

export function toLiveReplicaSet(cluster: string, raw: unknown): LiveReplicaSet {
  const rs = replicaSetSchema.parse(raw);
  return {
    kind: 'ReplicaSet',
    ...baseOf(cluster, rs.metadata),
    owner: ownerOf(rs.metadata),
    revision: rs.metadata.annotations?.[revisionAnnotation] ?? null,
    desiredReplicas: rs.spec.replicas ?? 0,
    readyReplicas: rs.status.readyReplicas ?? 0,
    availableReplicas: rs.status.availableReplicas ?? 0,
    images: imagesOf(rs.spec.template.spec.containers),
  };
}
