// Argo Workflows' controller: creates each pipeline's runs on schedule, the pod of each running
// step, and keeps the run's status (workflow-status.ts) as its plan (workflow-plan.ts) unfolds.
import { type Pipeline, podLabels } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { isoSeconds, keyedRandom, parseTimeMs } from '../util.ts';
import type { ControllerContext } from './context.ts';
import { demoAnnotations, isTerminal, ownedBy, ownerRef } from './pods.ts';
import { containerResources, nodeSelectorFor, workloadLabels } from './seed.ts';
import {
  nodeId,
  planWorkflowRun,
  workflowPodName,
  workflowRunName,
  type InjectedFailure,
  type PlannedRun,
  type PlannedStep,
} from './workflow-plan.ts';
import { emitTransitions, statusAt } from './workflow-status.ts';

const keepMs = 30 * 3600_000;
const historyMs = 24 * 3600_000;
const creators: Record<string, string[]> = {
  assistant: ['amara.okafor', 'lukas.berg'],
  research: ['mei.tanaka', 'jonas.weber'],
  search: ['sofia.rossi'],
};

function workflowObject(ctx: ControllerContext, pipeline: Pipeline, startMs: number): KubeObject {
  const people = creators[pipeline.team] ?? ['platform.bot'];
  const creator =
    people[Math.floor(keyedRandom(ctx.seed, `${pipeline.name}|${startMs}|creator`) * people.length)] ?? 'platform.bot';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: workflowRunName(pipeline, startMs),
      namespace: pipeline.namespace,
      creationTimestamp: isoSeconds(startMs),
      labels: {
        ...workloadLabels(pipeline.name, pipeline.team),
        'workflows.argoproj.io/cron-workflow': pipeline.name,
        'workflows.argoproj.io/creator': creator,
        'workflows.argoproj.io/creator-preferred-username': creator,
      },
      annotations: {
        'workflows.argoproj.io/scheduled-time': isoSeconds(startMs),
        'workflows.argoproj.io/pod-name-format': 'v2',
      },
    },
    spec: {
      entrypoint: 'main',
      serviceAccountName: 'argo-workflow',
      podGC: { strategy: 'OnPodCompletion' },
      workflowTemplateRef: { name: pipeline.name },
      templates: [
        {
          name: 'main',
          dag: {
            tasks: pipeline.steps.map((s, i) => ({
              name: s.name,
              template: s.name,
              ...(i > 0 ? { dependencies: [pipeline.steps[i - 1]?.name] } : {}),
            })),
          },
        },
        ...pipeline.steps.map((s) => ({
          name: s.name,
          container: {
            image: s.container.image,
            command: [`/bin/${s.name}`],
            resources: containerResources(s.container),
          },
        })),
      ],
    },
  };
}

function phaseLabels(obj: KubeObject, phase: string): Record<string, string> {
  return {
    ...(obj.metadata.labels ?? {}),
    'workflows.argoproj.io/phase': phase,
    'workflows.argoproj.io/completed': String(phase !== 'Running' && phase !== 'Pending'),
  };
}

function ensurePod(ctx: ControllerContext, pipeline: Pipeline, wf: KubeObject, step: PlannedStep): void {
  const spec = pipeline.steps.find((s) => s.name === step.name);
  if (!spec) return;
  const name = workflowPodName(wf.metadata.name, step.name);
  ctx.store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: wf.metadata.namespace,
      labels: {
        ...workloadLabels(pipeline.name, pipeline.team),
        [podLabels.workflow]: wf.metadata.name,
        'workflows.argoproj.io/completed': 'false',
      },
      annotations: {
        'workflows.argoproj.io/node-id': nodeId(wf.metadata.name, step.name),
        'workflows.argoproj.io/node-name': `${wf.metadata.name}.${step.name}`,
        [demoAnnotations.runUntil]: isoSeconds(step.endMs),
        [demoAnnotations.startupSeconds]: '5',
        ...(step.failureReason ? { [demoAnnotations.failReason]: step.failureReason } : {}),
      },
      ownerReferences: [ownerRef(wf)],
    },
    spec: {
      restartPolicy: 'Never',
      serviceAccountName: 'argo-workflow',
      containers: [
        {
          name: 'main',
          image: spec.container.image,
          command: [`/bin/${spec.name}`],
          resources: containerResources(spec.container),
        },
      ],
      ...nodeSelectorFor(spec.container),
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  });
}

function readInjectedFailure(wf: KubeObject): InjectedFailure | undefined {
  const value = wf.metadata.annotations?.[demoAnnotations.injectedFailure];
  const at = value?.lastIndexOf('@') ?? -1;
  if (!value || at < 0) return undefined;
  const atMs = parseTimeMs(value.slice(at + 1));
  return atMs === undefined ? undefined : { step: value.slice(0, at), atMs };
}

/**
 * The `pipeline-failure` scenario: the step running now fails now. The failure is written on the
 * Workflow (so it holds after the scenario ends and across controller passes) and on the step's
 * pod, whose container the kubelet then stops with the step's usual failure reason.
 */
function injectFailure(
  ctx: ControllerContext,
  pipeline: Pipeline,
  wf: KubeObject,
  plan: PlannedRun,
  podsByStep: Map<string, KubeObject>,
): KubeObject {
  const now = ctx.now();
  const running = plan.steps.find((s) => s.startMs <= now && now < s.endMs);
  if (!running || readInjectedFailure(wf)) return wf;
  const atMs = Math.floor(now / 1000) * 1000;
  const marked = ctx.store.update('workflows.argoproj.io', {
    ...wf,
    metadata: {
      ...wf.metadata,
      annotations: {
        ...wf.metadata.annotations,
        [demoAnnotations.injectedFailure]: `${running.name}@${isoSeconds(atMs)}`,
      },
    },
  });
  const pod = podsByStep.get(running.name);
  if (pod && !isTerminal(pod)) {
    const step = pipeline.steps.find((s) => s.name === running.name);
    const updated = ctx.store.update('pods', {
      ...pod,
      metadata: {
        ...pod.metadata,
        annotations: {
          ...pod.metadata.annotations,
          [demoAnnotations.runUntil]: isoSeconds(atMs),
          [demoAnnotations.failReason]: running.failureReason ?? step?.failureReason ?? 'Error (exit code 1)',
        },
      },
    });
    podsByStep.set(running.name, updated);
  }
  return marked;
}

function reconcileRun(
  ctx: ControllerContext,
  pipeline: Pipeline,
  current: KubeObject,
  allPods: KubeObject[],
  createdPods: Set<string>,
): void {
  const startMs = parseTimeMs(current.metadata.annotations?.['workflows.argoproj.io/scheduled-time']) ?? 0;
  const now = ctx.now();
  const podsByStep = new Map<string, KubeObject>();
  for (const pod of ownedBy(allPods, current)) {
    const step = pipeline.steps.find((s) => pod.metadata.name === workflowPodName(current.metadata.name, s.name));
    if (step) podsByStep.set(step.name, pod);
  }
  let wf = current;
  if (!ctx.seeding && ctx.failRunningSteps())
    wf = injectFailure(
      ctx,
      pipeline,
      wf,
      planWorkflowRun(pipeline, startMs, ctx.seed, readInjectedFailure(wf)),
      podsByStep,
    );
  const plan = planWorkflowRun(pipeline, startMs, ctx.seed, readInjectedFailure(wf));
  if (!ctx.seeding) {
    for (const step of plan.steps) {
      const running = step.startMs <= now && now < step.endMs;
      const name = workflowPodName(wf.metadata.name, step.name);
      if (running && !createdPods.has(name)) {
        createdPods.add(name);
        ensurePod(ctx, pipeline, wf, step);
      }
      const pod = podsByStep.get(step.name);
      // podGC OnPodCompletion: a finished step's pod goes once it has exited.
      if (pod && step.endMs <= now && isTerminal(pod))
        ctx.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
    }
  }
  const status = statusAt(ctx, pipeline, plan, now, podsByStep);
  emitTransitions(ctx, wf, wf.status, status, plan);
  const latest = ctx.store.get('workflows.argoproj.io', wf.metadata.namespace, wf.metadata.name);
  if (latest)
    ctx.store.update('workflows.argoproj.io', {
      ...latest,
      metadata: { ...latest.metadata, labels: phaseLabels(latest, String(status.phase)) },
      status,
    });
}

export interface WorkflowMemory {
  createdRuns: Set<string>;
  createdPods: Set<string>;
}

export function reconcileWorkflows(ctx: ControllerContext, memory: WorkflowMemory): void {
  const now = ctx.now();
  for (const pipeline of ctx.spec.pipelines) {
    const periodMs = pipeline.everyMinutes * 60_000;
    const current = Math.floor(now / periodMs) * periodMs;
    const from = ctx.seeding ? current - Math.floor(historyMs / periodMs) * periodMs : current;
    for (let start = from; start <= current; start += periodMs) {
      const name = workflowRunName(pipeline, start);
      if (memory.createdRuns.has(name)) continue;
      memory.createdRuns.add(name);
      if (!ctx.store.get('workflows.argoproj.io', pipeline.namespace, name))
        ctx.store.create('workflows.argoproj.io', workflowObject(ctx, pipeline, start));
    }
    const pods = ctx.store.list('pods', pipeline.namespace);
    for (const wf of ctx.store.list('workflows.argoproj.io', pipeline.namespace)) {
      if (wf.metadata.labels?.['workflows.argoproj.io/cron-workflow'] !== pipeline.name) continue;
      const startedMs = parseTimeMs(wf.metadata.annotations?.['workflows.argoproj.io/scheduled-time']) ?? now;
      if (startedMs < now - keepMs) {
        ctx.store.delete('workflows.argoproj.io', wf.metadata.namespace, wf.metadata.name);
        continue;
      }
      if (wf.status?.phase === 'Succeeded' || wf.status?.phase === 'Failed') continue;
      reconcileRun(ctx, pipeline, wf, pods, memory.createdPods);
    }
  }
}
