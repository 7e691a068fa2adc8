import { z } from 'zod';
import type { LiveEvent, LivePod } from '../types';
import { baseOf, conditionOf, containerSchema, gpuRequestOf, metadataSchema, ownerOf } from './common';

const containerStatusSchema = z.object({
  restartCount: z.number().optional(),
  ready: z.boolean().optional(),
  state: z
    .object({
      waiting: z.object({ reason: z.string().optional() }).nullish(),
      terminated: z.object({ reason: z.string().optional(), exitCode: z.number().optional() }).nullish(),
    })
    .nullish(),
  lastState: z.object({ terminated: z.object({ reason: z.string().optional() }).nullish() }).nullish(),
});

const podSchema = z.object({
  metadata: metadataSchema,
  spec: z
    .object({ nodeName: z.string().nullish(), containers: z.array(containerSchema).default([]) })
    .default({ containers: [] }),
  status: z
    .object({
      phase: z.string().optional(),
      reason: z.string().nullish(),
      startTime: z.string().nullish(),
      conditions: z
        .array(z.object({ type: z.string(), status: z.string().optional(), reason: z.string().optional() }))
        .nullish(),
      containerStatuses: z.array(containerStatusSchema).nullish(),
    })
    .default({}),
});

export function toLivePod(cluster: string, raw: unknown): LivePod {
  const pod = podSchema.parse(raw);
  const statuses = pod.status.containerStatuses ?? [];
  const waiting = statuses.map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason).find(Boolean);
  const unschedulable = conditionOf(pod.status.conditions, 'PodScheduled');
  return {
    kind: 'Pod',
    ...baseOf(cluster, pod.metadata),
    labels: pod.metadata.labels ?? {},
    owner: ownerOf(pod.metadata),
    nodeName: pod.spec.nodeName ?? null,
    phase: pod.status.phase ?? 'Unknown',
    ready: conditionOf(pod.status.conditions, 'Ready')?.status === 'True',
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    reason:
      pod.status.reason ??
      waiting ??
      (unschedulable?.status === 'False' ? (unschedulable.reason ?? 'Unschedulable') : null),
    startedAt: pod.status.startTime ?? null,
    terminating: Boolean(pod.metadata.deletionTimestamp),
    gpuRequest: gpuRequestOf(pod.spec.containers),
  };
}

const eventSchema = z.object({
  metadata: metadataSchema,
  involvedObject: z.object({ kind: z.string().optional(), name: z.string().optional() }).default({}),
  type: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  count: z.number().nullish(),
  lastTimestamp: z.string().nullish(),
  eventTime: z.string().nullish(),
  firstTimestamp: z.string().nullish(),
});

export function toLiveEvent(cluster: string, raw: unknown): LiveEvent {
  const e = eventSchema.parse(raw);
  return {
    kind: 'Event',
    ...baseOf(cluster, e.metadata),
    involvedKind: e.involvedObject.kind ?? '',
    involvedName: e.involvedObject.name ?? '',
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count: e.count ?? 1,
    lastSeenAt: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? null,
  };
}
