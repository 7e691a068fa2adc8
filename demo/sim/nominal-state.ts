import {
  daemonSetNodes,
  type BatchJob,
  type ClusterSpec,
  type ContainerSpec,
  type Pipeline,
  type ServiceWorkload,
  type ServingWorkload,
} from '../topology.ts';
import { knativeDesiredReplicas } from './autoscaler.ts';
import {
  gpuRequestOf,
  type ClusterState,
  type PodPhase,
  type SimJob,
  type SimPod,
  type SimWorkflow,
  type WorkflowPhase,
} from './cluster-state.ts';
import { cpuNodeFor, planGpus, slotKey, type GpuPlan, type GpuPlacement } from './gpu-plan.ts';
import {
  daemonPodIdentities,
  planWorkflowRun,
  workflowPodName,
  type PlannedRun,
  type PlannedStep,
} from '../kube/index.ts';
import { hashUniform } from './noise.ts';
import { modelBucketMs } from './traffic.ts';

// The cluster as its schedule says it was at an instant: what history is generated from.
// DaemonSet pods on their nodes, Deployments at their spec replicas, Knative at what its
// autoscaler wanted, pipeline runs every `everyMinutes` with seeded step failures, nightly jobs.
// Pure: same inputs, same state.

export interface NominalInput {
  spec: ClusterSpec;
  seed: number;
  tMs: number;
  rpsAt: (workload: ServingWorkload, tMs: number) => number;
  /** Force the running step of every pipeline to fail (the `pipeline-failure` scenario). */
  failRunningSteps: boolean;
  /** Pods of Deployments as the live API has them now: history reuses their names and GPUs. */
  livePods?: SimPod[];
}

const workflowRetentionMs = 24 * 3_600_000;
const failedPodLingerMs = 5 * 60_000;

export function suffix(seed: number, key: string, length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(hashUniform(seed, key, i) * alphabet.length)];
  return out;
}

const planCache = new WeakMap<ClusterSpec, GpuPlan>();
function gpuPlan(spec: ClusterSpec): GpuPlan {
  let plan = planCache.get(spec);
  if (!plan) planCache.set(spec, (plan = planGpus(spec)));
  return plan;
}

/** Pods that do not change from one instant to the next (DaemonSets, Deployments), built once. */
const steadyCache = new WeakMap<ClusterSpec, { livePods: SimPod[] | undefined; steady: ClusterState }>();

function steadyState(input: NominalInput): ClusterState {
  const cached = steadyCache.get(input.spec);
  if (cached && cached.livePods === input.livePods) return cached.steady;
  const steady: ClusterState = { pods: [], deployments: [], workflows: [], jobs: [] };
  addSystemPods(input, steady);
  for (const w of input.spec.services) addDeployment(input, w, steady);
  for (const w of input.spec.serving) if (w.kind === 'Deployment') addDeployment(input, w, steady);
  steadyCache.set(input.spec, { livePods: input.livePods, steady });
  return steady;
}

export function nominalClusterState(input: NominalInput): ClusterState {
  const steady = steadyState(input);
  const state: ClusterState = { pods: [...steady.pods], deployments: [...steady.deployments], workflows: [], jobs: [] };
  for (const w of input.spec.serving) if (w.kind === 'KnativeService') addKnative(input, w, state);
  for (const p of input.spec.pipelines) addPipeline(input, p, state);
  for (const j of input.spec.jobs) addJob(input, j, state);
  return state;
}

type PodBase = Omit<
  SimPod,
  | 'role'
  | 'ownerKind'
  | 'ownerName'
  | 'phase'
  | 'ready'
  | 'createdMs'
  | 'nodeName'
  | 'gpuIndexes'
  | 'migInstanceIds'
  | 'containerName'
>;

function basePod(
  input: NominalInput,
  name: string,
  namespace: string,
  team: string | undefined,
  workload: string,
  container: ContainerSpec,
): PodBase {
  return {
    uid: `${suffix(input.seed, `${input.spec.name}/${name}`, 8)}-uid`,
    name,
    namespace,
    team: team ?? '',
    workload,
    cpuRequestCores: container.cpuRequestCores,
    memoryRequestBytes: container.memoryRequestBytes,
    ...gpuRequestOf(container),
    workflow: null,
    revision: null,
  };
}

function placed(placement: GpuPlacement | undefined): Pick<SimPod, 'gpuIndexes' | 'migInstanceIds'> {
  return { gpuIndexes: placement?.gpuIndexes ?? [], migInstanceIds: placement?.migInstanceIds ?? [] };
}

/** DaemonSet pods, named as the demo API's DaemonSet controller names them. */
function addSystemPods(input: NominalInput, state: ClusterState): void {
  for (const ds of input.spec.daemonSets) {
    const nodes = daemonSetNodes(ds, input.spec.nodes);
    const identities = daemonPodIdentities(
      input.spec.name,
      ds.name,
      nodes.map((n) => n.name),
    );
    for (const node of nodes) {
      const { name, uid } = identities.get(node.name)!;
      state.pods.push({
        ...basePod(input, name, ds.namespace, undefined, ds.name, ds.container),
        uid,
        nodeName: node.name,
        gpuIndexes: [],
        migInstanceIds: [],
        containerName: ds.name,
        phase: 'Running',
        ready: true,
        createdMs: 0,
        ownerKind: 'DaemonSet',
        ownerName: ds.name,
        role: { kind: 'system', daemonSet: ds },
      });
    }
  }
}

/** A Deployment's pods: the live API's if given (history shows the pods running now), else planned ones. */
function addDeployment(input: NominalInput, w: ServingWorkload | ServiceWorkload, state: ClusterState): void {
  const plan = gpuPlan(input.spec);
  const live = (input.livePods ?? []).filter((p) => p.namespace === w.namespace && p.workload === w.name);
  const rs = `${w.name}-${suffix(input.seed, `${input.spec.name}/${w.name}/rs`, 10)}`;
  const serving = 'server' in w;
  const pods: SimPod[] =
    live.length > 0
      ? live
      : Array.from({ length: w.replicas }, (_, slot) => {
          const placement = plan.get(slotKey(w.name, slot));
          return {
            ...basePod(
              input,
              `${rs}-${suffix(input.seed, `${input.spec.name}/${w.name}/${slot}`)}`,
              w.namespace,
              w.team,
              w.name,
              w.container,
            ),
            nodeName: placement?.nodeName ?? cpuNodeFor(input.spec, slot + w.name.length),
            ...placed(placement),
            containerName: serving ? (w.server === 'vllm' ? 'vllm' : 'server') : w.name,
            phase: 'Running',
            ready: true,
            createdMs: 0,
            ownerKind: 'ReplicaSet',
            ownerName: rs,
            role: serving ? { kind: 'serving', workload: w } : { kind: 'service', service: w },
          };
        });
  state.pods.push(...pods);
  const ready = pods.filter((p) => p.ready).length;
  state.deployments.push({
    namespace: w.namespace,
    name: w.name,
    specReplicas: w.replicas,
    readyReplicas: ready,
    availableReplicas: ready,
    updatedReplicas: pods.length,
  });
}

function addKnative(input: NominalInput, w: ServingWorkload, state: ClusterState): void {
  const rpsAt = (t: number): number => input.rpsAt(w, t);
  const desired = knativeDesiredReplicas(w, input.tMs, rpsAt);
  const desiredBefore = knativeDesiredReplicas(w, input.tMs - modelBucketMs, rpsAt);
  const revision = `${w.name}-00001`;
  const deployment = `${revision}-deployment`;
  const rs = `${deployment}-${suffix(input.seed, `${input.spec.name}/${revision}/rs`, 10)}`;
  const day = Math.floor(input.tMs / 86_400_000);
  let ready = 0;
  for (let slot = 0; slot < desired; slot++) {
    const placement = gpuPlan(input.spec).get(slotKey(w.name, slot));
    // A replica created this minute is still loading its model: the cold start.
    const isReady = slot < desiredBefore;
    if (isReady) ready++;
    state.pods.push({
      ...basePod(
        input,
        `${rs}-${suffix(input.seed, `${input.spec.name}/${w.name}/${slot}/${day}`)}`,
        w.namespace,
        w.team,
        w.name,
        w.container,
      ),
      nodeName: placement?.nodeName ?? cpuNodeFor(input.spec, slot),
      ...placed(placement),
      containerName: 'user-container',
      phase: 'Running',
      ready: isReady,
      createdMs: input.tMs,
      ownerKind: 'ReplicaSet',
      ownerName: rs,
      revision,
      role: { kind: 'serving', workload: w },
    });
  }
  state.deployments.push({
    namespace: w.namespace,
    name: deployment,
    specReplicas: desired,
    readyReplicas: ready,
    availableReplicas: ready,
    updatedReplicas: desired,
  });
}

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

function addPipeline(input: NominalInput, p: Pipeline, state: ClusterState): void {
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

function addJob(input: NominalInput, j: BatchJob, state: ClusterState): void {
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
