// Workflow status as Argo writes it (a DAG node and one Pod node per step) at an instant, and the
// events its controller records when a node or the run changes phase.
import { instanceTypes, type Pipeline } from '../../topology.ts';
import type { KubeObject } from '../store.ts';
import { isoSeconds, keyedRandom, parseTimeMs } from '../util.ts';
import { type ControllerContext, recordEvent } from './context.ts';
import { nodeId, stepGapMs, type PlannedRun } from './workflow-plan.ts';

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
export function statusAt(
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

/** Events for the nodes and the run whose phase changed from `before` to `after`. */
export function emitTransitions(
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
