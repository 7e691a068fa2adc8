// Pipeline runs and nightly jobs as their schedule has them at an instant: the current run of each
// pipeline with the pods of its live steps, the runs kept before it, and a job's pods while it runs.
import { type BatchJob, type Pipeline } from '../topology.ts';
import type { ClusterState, PodPhase, SimJob, SimWorkflow, WorkflowPhase } from './cluster-state.ts';
import { cpuNodeFor, slotKey } from './gpu-plan.ts';
import { planWorkflowRun, workflowPodName, type PlannedRun, type PlannedStep } from '../kube/index.ts';
import { basePod, gpuPlan, placed, suffix, type NominalInput } from './nominal-pods.ts';

const workflowRetentionMs = 24 * 3_600_000;
const failedPodLingerMs = 5 * 60_000;

/** Where a planned run stands at `tMs`: its phase and the steps that have a pod by then. */
function runAt(
  plan: PlannedRun,
  tMs: number,
  failRunning: boolean,
): { phase: WorkflowPhase; steps: { step: PlannedStep; phase: PodPhase }[] } {
  const steps: { step: PlannedStep; phase: PodPhase }[] = [];
  for (const step of plan.steps) {
    if (step.startMs > tMs) break;
    const finished = tMs >= step.endMs;
    const phase: PodPhase = !finished
      ? failRunning
        ? 'Failed'
        : 'Running'
      : step.failureReason
        ? 'Failed'
        : 'Succeeded';
    // podGC OnPodCompletion removes finished pods; a failed one lingers a few minutes (its exit).
    if (
      phase === 'Running' ||
      (phase === 'Failed' && tMs - step.endMs < failedPodLingerMs) ||
      (phase === 'Failed' && failRunning)
    )
      steps.push({ step, phase });
  }
  const failed = failRunning && steps.some((s) => s.phase === 'Failed');
  return { phase: tMs >= plan.endMs ? plan.phase : failed ? 'Failed' : 'Running', steps };
}

export function addPipeline(input: NominalInput, p: Pipeline, state: ClusterState): void {
  const periodMs = p.everyMinutes * 60_000;
  const run = Math.floor(input.tMs / periodMs);
  const firstKept = Math.floor((input.tMs - workflowRetentionMs) / periodMs) + 1;
  for (let k = firstKept; k < run; k++) {
    const plan = planWorkflowRun(p, k * periodMs, input.seed);
    state.workflows.push({ namespace: p.namespace, name: plan.name, pipeline: p.name, phase: plan.phase });
  }
  const plan = planWorkflowRun(p, run * periodMs, input.seed);
  const current = runAt(plan, input.tMs, input.failRunningSteps);
  state.workflows.push({
    namespace: p.namespace,
    name: plan.name,
    pipeline: p.name,
    phase: current.phase,
  } satisfies SimWorkflow);
  const placement = gpuPlan(input.spec).get(slotKey(p.name, 0));
  current.steps.forEach(({ step: planned, phase }, i) => {
    const step = p.steps.find((s) => s.name === planned.name)!;
    const gpuCount = step.container.gpu?.kind === 'whole' ? step.container.gpu.count : 0;
    state.pods.push({
      ...basePod(input, workflowPodName(plan.name, step.name), p.namespace, p.team, p.name, step.container),
      nodeName: gpuCount > 0 && placement ? placement.nodeName : cpuNodeFor(input.spec, i),
      gpuIndexes: gpuCount > 0 && placement ? placement.gpuIndexes.slice(0, gpuCount) : [],
      migInstanceIds: [],
      containerName: 'main',
      phase,
      ready: phase === 'Running',
      createdMs: planned.startMs,
      ownerKind: 'Workflow',
      ownerName: plan.name,
      workflow: plan.name,
      role: { kind: 'step', pipeline: p, step, workflow: plan.name },
    });
  });
}

export function addJob(input: NominalInput, j: BatchJob, state: ClusterState): void {
  const dayMs = 86_400_000;
  let startMs = Math.floor(input.tMs / dayMs) * dayMs + j.startHourUtc * 3_600_000;
  if (startMs > input.tMs) startMs -= dayMs;
  const endMs = startMs + j.durationSeconds * 1000;
  const name = `${j.name}-${Math.floor(startMs / 60_000)}`;
  const running = input.tMs < endMs;
  state.jobs.push({
    namespace: j.namespace,
    name,
    active: running ? j.parallelism : 0,
    succeeded: running ? 0 : j.parallelism,
    failed: 0,
    startMs,
    completedMs: running ? null : endMs,
  } satisfies SimJob);
  if (!running) return;
  for (let ordinal = 0; ordinal < j.parallelism; ordinal++) {
    const placement = gpuPlan(input.spec).get(slotKey(j.name, ordinal));
    state.pods.push({
      ...basePod(
        input,
        `${name}-${ordinal}-${suffix(input.seed, `${name}/${ordinal}`)}`,
        j.namespace,
        j.team,
        j.name,
        j.container,
      ),
      nodeName: placement?.nodeName ?? cpuNodeFor(input.spec, ordinal),
      ...placed(placement),
      containerName: 'embed',
      phase: 'Running',
      ready: true,
      createdMs: startMs,
      ownerKind: 'Job',
      ownerName: name,
      role: { kind: 'job', job: j, ordinal, startMs },
    });
  }
}
