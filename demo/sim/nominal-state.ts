// The cluster as its schedule says it was at an instant: what history is generated from.
// DaemonSet pods on their nodes, Deployments at their spec replicas, Knative at what its
// autoscaler wanted, pipeline runs every `everyMinutes` with seeded step failures, nightly jobs
// (nominal-runs.ts). Pure: same inputs, same state.
import { daemonSetNodes, type ClusterSpec, type ServiceWorkload, type ServingWorkload } from '../topology.ts';
import { knativeDesiredReplicas } from './autoscaler.ts';
import type { ClusterState, SimPod } from './cluster-state.ts';
import { cpuNodeFor, slotKey } from './gpu-plan.ts';
import { daemonPodIdentities } from '../kube/index.ts';
import { basePod, gpuPlan, placed, suffix, type NominalInput } from './nominal-pods.ts';
import { addJob, addPipeline } from './nominal-runs.ts';
import { modelBucketMs } from './traffic.ts';

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
