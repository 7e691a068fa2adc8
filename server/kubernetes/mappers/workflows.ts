import { z } from 'zod';
import type { LiveWorkflow, LiveWorkflowStep } from '../types';
import { baseOf, metadataSchema } from './common';

const nodeSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  type: z.string().optional(),
  templateName: z.string().optional(),
  phase: z.string().optional(),
  startedAt: z.string().nullish(),
  finishedAt: z.string().nullish(),
  hostNodeName: z.string().nullish(),
  message: z.string().nullish(),
  children: z.array(z.string()).nullish(),
  resourcesDuration: z.record(z.string(), z.number()).nullish(),
  outputs: z.object({ exitCode: z.string().nullish() }).nullish(),
});

const workflowSchema = z.object({
  metadata: metadataSchema,
  status: z
    .object({
      phase: z.string().nullish(),
      startedAt: z.string().nullish(),
      finishedAt: z.string().nullish(),
      progress: z.string().nullish(),
      message: z.string().nullish(),
      estimatedDuration: z.number().nullish(),
      resourcesDuration: z.record(z.string(), z.number()).nullish(),
      nodes: z.record(z.string(), nodeSchema).nullish(),
    })
    .default({}),
});

type RawNode = z.infer<typeof nodeSchema>;

const gpuResource = 'nvidia.com/gpu';

/** Argo's pod names: v2 is `<workflow>-<template>-<hash of node id>`, v1 is the node id. */
function podNameOf(workflow: string, node: RawNode, v2: boolean): string {
  if (!v2) return node.id;
  const suffix = node.id.startsWith(`${workflow}-`) ? node.id.slice(workflow.length + 1) : node.id;
  return `${workflow}-${node.templateName ?? node.displayName ?? 'step'}-${suffix}`;
}

/**
 * Steps are the Pod nodes, with a Retry node standing for its attempts (the last attempt gives the
 * pod and host); edges follow `children` through nodes that are not steps (DAG, StepGroup).
 */
function stepsOf(workflow: string, nodes: Record<string, RawNode>, v2: boolean): LiveWorkflowStep[] {
  const attemptOf = new Set<string>();
  for (const node of Object.values(nodes)) {
    if (node.type === 'Retry') for (const child of node.children ?? []) attemptOf.add(child);
  }
  const isStep = (n: RawNode): boolean => (n.type === 'Pod' && !attemptOf.has(n.id)) || n.type === 'Retry';
  const stepChildren = (ids: string[], seen = new Set<string>()): string[] =>
    ids.flatMap((id) => {
      const node = nodes[id];
      if (!node || seen.has(id)) return [];
      seen.add(id);
      return isStep(node) ? [id] : stepChildren(node.children ?? [], seen);
    });
  return Object.values(nodes)
    .filter(isStep)
    .map((node) => {
      const attempts =
        node.type === 'Retry'
          ? (node.children ?? []).map((id) => nodes[id]).filter((n): n is RawNode => Boolean(n))
          : [node];
      const last = attempts[attempts.length - 1] ?? node;
      // A Retry node's children are its attempts; the step's successors hang off the last attempt.
      const next =
        node.type === 'Retry'
          ? [...(node.children ?? []).flatMap((id) => nodes[id]?.children ?? [])]
          : (node.children ?? []);
      return {
        id: node.id,
        name: node.displayName ?? node.templateName ?? node.id,
        phase: node.phase ?? 'Pending',
        startedAt: node.startedAt ?? null,
        finishedAt: node.finishedAt ?? null,
        hostNodeName: last.hostNodeName ?? null,
        podName: last.type === 'Pod' ? podNameOf(workflow, last, v2) : null,
        message: last.message ?? node.message ?? null,
        exitCode: last.outputs?.exitCode ?? null,
        retries: Math.max(0, attempts.length - 1),
        children: stepChildren(next).filter((id) => !attemptOf.has(id)),
        gpuSeconds: attempts.reduce((sum, a) => sum + (a.resourcesDuration?.[gpuResource] ?? 0), 0),
      };
    })
    .sort((a, b) => (a.startedAt ?? '\uffff').localeCompare(b.startedAt ?? '\uffff'));
}

export function toLiveWorkflow(cluster: string, raw: unknown): LiveWorkflow {
  const wf = workflowSchema.parse(raw);
  const labels = wf.metadata.labels ?? {};
  const v2 = wf.metadata.annotations?.['workflows.argoproj.io/pod-name-format'] !== 'v1';
  const steps = stepsOf(wf.metadata.name, wf.status.nodes ?? {}, v2);
  return {
    kind: 'Workflow',
    ...baseOf(cluster, wf.metadata),
    pipeline:
      labels['workflows.argoproj.io/cron-workflow'] ?? labels['workflows.argoproj.io/workflow-template'] ?? null,
    creator:
      labels['workflows.argoproj.io/creator-preferred-username'] ?? labels['workflows.argoproj.io/creator'] ?? null,
    phase: wf.status.phase ?? 'Pending',
    startedAt: wf.status.startedAt ?? null,
    finishedAt: wf.status.finishedAt ?? null,
    progress: wf.status.progress ?? null,
    message: wf.status.message ?? null,
    estimatedDurationSeconds: wf.status.estimatedDuration ?? null,
    gpuSeconds: wf.status.resourcesDuration?.[gpuResource] ?? steps.reduce((sum, s) => sum + s.gpuSeconds, 0),
    steps,
  };
}
