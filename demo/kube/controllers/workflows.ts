// Argo Workflows: one run per pipeline every `everyMinutes` (aligned to the epoch), its steps
// in sequence, outcomes drawn from a PRNG keyed on (pipeline, run start, step) so a run fails the
// same way on every start. Status follows Argo's shape (DAG node + one Pod node per step).
import { instanceTypes, type Pipeline, podLabels } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { fnv32a, isoSeconds, keyedRandom, parseTimeMs } from '../util.ts';
import { type ControllerContext, recordEvent } from './context.ts';
import { demoAnnotations, isTerminal, ownedBy, ownerRef } from './pods.ts';
import { containerResources, nodeSelectorFor, workloadLabels } from './seed.ts';

/** Seconds Argo needs between one step's end and the next pod's start. */
const stepGapMs = 5_000;
const keepMs = 30 * 3600_000;
const historyMs = 24 * 3600_000;
const creators: Record<string, string[]> = {
  assistant: ['amara.okafor', 'lukas.berg'],
  research: ['mei.tanaka', 'jonas.weber'],
  search: ['sofia.rossi'],
};

export interface PlannedStep {
  name: string;
  startMs: number;
  endMs: number;
  /** Set when the step fails (the run stops there). */
  failureReason?: string;
}

export interface PlannedRun {
  name: string;
  startMs: number;
  endMs: number;
  phase: 'Succeeded' | 'Failed';
  steps: PlannedStep[];
}

export function workflowRunName(pipeline: Pipeline, startMs: number): string {
  return `${pipeline.name}-${Math.floor(startMs / 1000)}`;
}

/** A failure forced on a run from outside its plan (the `pipeline-failure` scenario). */
export interface InjectedFailure {
  step: string;
  atMs: number;
}

/**
 * The whole run as it will happen: deterministic for (seed, pipeline, start), unless a failure was
 * injected, which ends the named step at its time (if the plan had not ended the run before).
 */
export function planWorkflowRun(
  pipeline: Pipeline,
  startMs: number,
  seed: number,
  injected?: InjectedFailure,
): PlannedRun {
  const steps: PlannedStep[] = [];
  let at = startMs;
  for (const step of pipeline.steps) {
    const key = `${pipeline.name}|${startMs}|${step.name}`;
    const planned = keyedRandom(seed, key) < step.failureProbability;
    const plannedMs = step.durationSeconds * 1000 * (planned ? 0.3 + 0.6 * keyedRandom(seed, `${key}|failAt`) : 1);
    const forced = injected?.step === step.name && injected.atMs < at + plannedMs;
    const endMs = forced ? Math.max(at, injected.atMs) : Math.round(at + plannedMs);
    const fails = planned || forced;
    steps.push({
      name: step.name,
      startMs: at,
      endMs,
      ...(fails ? { failureReason: step.failureReason ?? 'Error (exit code 1)' } : {}),
    });
    at = endMs;
    if (fails) break;
    at += stepGapMs;
  }
  const last = steps[steps.length - 1];
  return {
    name: workflowRunName(pipeline, startMs),
    startMs,
    endMs: last?.endMs ?? startMs,
    phase: last?.failureReason ? 'Failed' : 'Succeeded',
    steps,
  };
}

function nodeId(workflow: string, step: string): string {
  return `${workflow}-${fnv32a(`${workflow}.${step}`)}`;
}

/** The pod of one step of a run, as Argo names it (and the simulation's history too). */
export function workflowPodName(workflow: string, step: string): string {
  return `${workflow}-${step}-${fnv32a(`${workflow}.${step}`)}`;
}

/** A node that could have run this step, for runs that happened before the demo started. */
function historicalHost(ctx: ControllerContext, pipeline: Pipeline, stepName: string, runStart: number): string {
  const step = pipeline.steps.find((s) => s.name === stepName);
  const wantsGpu = step?.container.gpu?.kind === 'whole';
  const fits = ctx.spec.nodes.filter((n) => {
    const t = instanceTypes[n.instanceType];
    if (!step) return true;
    if (wantsGpu)
      return !n.gpuSharing && t.gpuCount >= (step.container.gpu?.kind === 'whole' ? step.container.gpu.count : 0);
    return t.vcpu > step.container.cpuRequestCores && t.memoryGiB * 1024 ** 3 > step.container.memoryRequestBytes * 1.1;
  });
  const preferred = wantsGpu ? fits : fits.filter((n) => instanceTypes[n.instanceType].gpuCount === 0);
  const pool = preferred.length > 0 ? preferred : fits.length > 0 ? fits : ctx.spec.nodes;
  return (
    pool[Math.floor(keyedRandom(ctx.seed, `${pipeline.name}|${runStart}|${stepName}|host`) * pool.length)]?.name ?? ''
  );
}

function resourcesDuration(pipeline: Pipeline, stepName: string, seconds: number): Record<string, number> {
  const step = pipeline.steps.find((s) => s.name === stepName);
  if (!step) return {};
  const out: Record<string, number> = {
    cpu: Math.round(seconds * step.container.cpuRequestCores),
    memory: Math.round((seconds * step.container.memoryRequestBytes) / (100 * 1024 ** 2)),
  };
  if (step.container.gpu?.kind === 'whole') out['nvidia.com/gpu'] = Math.round(seconds * step.container.gpu.count);
  return out;
}

function sumDurations(nodes: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of nodes) for (const [k, v] of Object.entries(n)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function pendingMessage(pod: KubeObject | undefined): string {
  const unschedulable = (pod?.status?.conditions ?? []).find(
    (c: { type: string; status: string }) => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (unschedulable?.message) return String(unschedulable.message);
  return String(pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? 'Pending');
}

/** Workflow status at `nowMs`; `pods` gives live steps their node and pending state. */
function statusAt(
  ctx: ControllerContext,
  pipeline: Pipeline,
  plan: PlannedRun,
  nowMs: number,
  pods: Map<string, KubeObject>,
): Record<string, unknown> {
  const wf = plan.name;
  const started = plan.steps.filter((s) => s.startMs <= nowMs);
  const nodes: Record<string, unknown> = {};
  const durations: Record<string, number>[] = [];
  let done = 0;
  started.forEach((step, i) => {
    const finished = step.endMs <= nowMs;
    const pod = pods.get(step.name);
    const podPending = !finished && pod !== undefined && pod.status?.phase === 'Pending';
    const phase = finished ? (step.failureReason ? 'Failed' : 'Succeeded') : podPending ? 'Pending' : 'Running';
    if (finished) done++;
    const rd = finished ? resourcesDuration(pipeline, step.name, (step.endMs - step.startMs) / 1000) : undefined;
    if (rd) durations.push(rd);
    const next = started[i + 1];
    nodes[nodeId(wf, step.name)] = {
      id: nodeId(wf, step.name),
      name: `${wf}.${step.name}`,
      displayName: step.name,
      type: 'Pod',
      templateName: step.name,
      templateScope: `local/${wf}`,
      phase,
      boundaryID: wf,
      startedAt: isoSeconds(step.startMs),
      finishedAt: finished ? isoSeconds(step.endMs) : null,
      progress: finished ? '1/1' : '0/1',
      hostNodeName: pod?.spec?.nodeName ?? (pod ? undefined : historicalHost(ctx, pipeline, step.name, plan.startMs)),
      ...(rd ? { resourcesDuration: rd } : {}),
      ...(finished && step.failureReason ? { message: step.failureReason } : {}),
      ...(podPending ? { message: pendingMessage(pod) } : {}),
      ...(finished
        ? { outputs: { exitCode: step.failureReason ? (step.failureReason === 'OOMKilled' ? '137' : '1') : '0' } }
        : {}),
      ...(next ? { children: [nodeId(wf, next.name)] } : {}),
    };
  });
  const finishedRun = plan.endMs <= nowMs;
  const phase = finishedRun ? plan.phase : 'Running';
  const last = plan.steps[plan.steps.length - 1];
  const failed = plan.steps.find((s) => s.failureReason);
  const totalDuration = sumDurations(durations);
  nodes[wf] = {
    id: wf,
    name: wf,
    displayName: wf,
    type: 'DAG',
    templateName: 'main',
    templateScope: `local/${wf}`,
    phase,
    startedAt: isoSeconds(plan.startMs),
    finishedAt: finishedRun ? isoSeconds(plan.endMs) : null,
    progress: `${done}/${pipeline.steps.length}`,
    ...(started[0] ? { children: [nodeId(wf, started[0].name)] } : {}),
    ...(finishedRun && last ? { outboundNodes: [nodeId(wf, last.name)] } : {}),
    ...(finishedRun ? { resourcesDuration: totalDuration } : {}),
    ...(finishedRun && failed ? { message: `child '${nodeId(wf, failed.name)}' failed` } : {}),
  };
  return {
    phase,
    startedAt: isoSeconds(plan.startMs),
    finishedAt: finishedRun ? isoSeconds(plan.endMs) : null,
    progress: `${done}/${pipeline.steps.length}`,
    estimatedDuration: Math.round(
      pipeline.steps.reduce((s, x) => s + x.durationSeconds, 0) + ((pipeline.steps.length - 1) * stepGapMs) / 1000,
    ),
    ...(finishedRun && failed ? { message: `child '${nodeId(wf, failed.name)}' failed` } : {}),
    ...(finishedRun ? { resourcesDuration: totalDuration } : {}),
    conditions: [
      { type: 'PodRunning', status: finishedRun ? 'False' : 'True' },
      ...(finishedRun ? [{ type: 'Completed', status: 'True' }] : []),
    ],
    nodes,
  };
}

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

function emitTransitions(
  ctx: ControllerContext,
  wf: KubeObject,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  plan: PlannedRun,
): void {
  const involved = { kind: 'Workflow', apiVersion: 'argoproj.io/v1alpha1', object: wf };
  const beforeNodes = (before?.nodes ?? {}) as Record<string, { phase?: string }>;
  for (const [id, node] of Object.entries(
    after.nodes as Record<
      string,
      { phase: string; type: string; displayName: string; message?: string; finishedAt?: string }
    >,
  )) {
    if (node.type !== 'Pod' || beforeNodes[id]?.phase === node.phase) continue;
    const atMs = parseTimeMs(node.finishedAt ?? undefined) ?? ctx.now();
    if (node.phase === 'Failed')
      recordEvent(
        ctx,
        involved,
        'Warning',
        'WorkflowNodeFailed',
        `Failed node ${wf.metadata.name}.${node.displayName}: ${node.message ?? ''}`,
        { component: 'workflow-controller', atMs },
      );
    if (node.phase === 'Succeeded')
      recordEvent(
        ctx,
        involved,
        'Normal',
        'WorkflowNodeSucceeded',
        `Succeeded node ${wf.metadata.name}.${node.displayName}`,
        { component: 'workflow-controller', atMs },
      );
  }
  if (before?.phase === after.phase) return;
  if (after.phase === 'Running')
    recordEvent(ctx, involved, 'Normal', 'WorkflowRunning', 'Workflow Running', {
      component: 'workflow-controller',
      atMs: plan.startMs,
    });
  if (after.phase === 'Succeeded')
    recordEvent(ctx, involved, 'Normal', 'WorkflowSucceeded', 'Workflow completed', {
      component: 'workflow-controller',
      atMs: plan.endMs,
    });
  if (after.phase === 'Failed')
    recordEvent(ctx, involved, 'Warning', 'WorkflowFailed', String(after.message ?? 'Workflow failed'), {
      component: 'workflow-controller',
      atMs: plan.endMs,
    });
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
