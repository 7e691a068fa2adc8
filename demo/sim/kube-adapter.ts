import {
  podLabels,
  type BatchJob,
  type ClusterSpec,
  type ContainerSpec,
  type DaemonSetSpec,
  type Pipeline,
  type ServiceWorkload,
  type ServingWorkload,
} from '../topology.ts';
import {
  gpuRequestOf,
  type ClusterState,
  type PodPhase,
  type PodRole,
  type SimPod,
  type WorkflowPhase,
} from './cluster-state.ts';

// The live cluster as the demo Kubernetes API's store has it, in the simulation's terms. Only the
// fields a real API server returns are read, so any store of Kubernetes-shaped objects will do.

export interface KubeObjectLike {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes JSON, narrowed field by field below
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes JSON, narrowed field by field below
  status?: any;
}

export interface KubeStoreLike {
  list(
    resource: 'pods' | 'deployments.apps' | 'workflows.argoproj.io' | 'jobs.batch',
    namespace?: string,
  ): KubeObjectLike[];
  /** The stored objects without copies; only read. */
  listShared(resource: 'pods'): readonly KubeObjectLike[];
}

const podPhases: PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const workflowPhases: WorkflowPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Error'];

/** The topology's workloads by `<namespace>/<name>`, looked up for every pod. */
interface WorkloadIndex {
  serving: Map<string, ServingWorkload>;
  services: Map<string, ServiceWorkload>;
  daemonSets: Map<string, DaemonSetSpec>;
  pipelines: Map<string, Pipeline>;
  jobs: Map<string, BatchJob>;
}

const indexes = new WeakMap<ClusterSpec, WorkloadIndex>();

function workloadIndex(spec: ClusterSpec): WorkloadIndex {
  let index = indexes.get(spec);
  if (!index) {
    const byKey = <T extends { namespace: string; name: string }>(items: T[]): Map<string, T> =>
      new Map(items.map((w) => [`${w.namespace}/${w.name}`, w]));
    index = {
      serving: byKey(spec.serving),
      services: byKey(spec.services),
      daemonSets: byKey(spec.daemonSets),
      pipelines: byKey(spec.pipelines),
      jobs: byKey(spec.jobs),
    };
    indexes.set(spec, index);
  }
  return index;
}

export function clusterStateFromStore(spec: ClusterSpec, store: KubeStoreLike): ClusterState {
  const index = workloadIndex(spec);
  const pods = store
    .listShared('pods')
    .map((p) => cachedSimPod(index, p))
    .filter((p): p is SimPod => p !== null);
  const jobOrdinals = new Map<string, number>();
  for (const pod of [...pods].sort((a, b) => a.name.localeCompare(b.name))) {
    if (pod.role.kind !== 'job') continue;
    const n = jobOrdinals.get(pod.ownerName) ?? 0;
    pod.role = { ...pod.role, ordinal: n };
    jobOrdinals.set(pod.ownerName, n + 1);
  }
  return {
    pods,
    deployments: store.list('deployments.apps').map((d) => ({
      namespace: d.metadata.namespace ?? 'default',
      name: d.metadata.name,
      specReplicas: num(d.spec?.replicas),
      readyReplicas: num(d.status?.readyReplicas),
      availableReplicas: num(d.status?.availableReplicas),
      updatedReplicas: num(d.status?.updatedReplicas),
    })),
    workflows: store.list('workflows.argoproj.io').map((w) => {
      const phase = workflowPhases.find((x) => x === w.status?.phase) ?? 'Pending';
      return {
        namespace: w.metadata.namespace ?? 'default',
        name: w.metadata.name,
        pipeline: w.metadata.labels?.[podLabels.workload] ?? w.metadata.name,
        phase,
      };
    }),
    jobs: store.list('jobs.batch').map((j) => ({
      namespace: j.metadata.namespace ?? 'default',
      name: j.metadata.name,
      active: num(j.status?.active),
      succeeded: num(j.status?.succeeded),
      failed: num(j.status?.failed),
      startMs: Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') || 0,
      completedMs: j.status?.completionTime ? Date.parse(j.status.completionTime) : null,
    })),
  };
}

/**
 * The store replaces an object when it changes, so an unchanged pod is the same object from one
 * read to the next: it maps to the same SimPod, and the exporters' rendered label texts are reused.
 */
const simPods = new WeakMap<KubeObjectLike, SimPod | null>();

function cachedSimPod(index: WorkloadIndex, p: KubeObjectLike): SimPod | null {
  let pod = simPods.get(p);
  if (pod === undefined) simPods.set(p, (pod = toSimPod(index, p)));
  return pod;
}

function toSimPod(index: WorkloadIndex, p: KubeObjectLike): SimPod | null {
  const labels = p.metadata.labels ?? {};
  const namespace = p.metadata.namespace ?? 'default';
  const workload = labels[podLabels.workload] ?? p.metadata.name;
  const createdMs = Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  let role: PodRole = { kind: 'other' };
  let container: ContainerSpec | undefined;
  const key = `${namespace}/${workload}`;
  const serving = index.serving.get(key);
  const service = index.services.get(key);
  const daemonSet = index.daemonSets.get(key);
  const pipeline = index.pipelines.get(key);
  const job = index.jobs.get(key);
  if (serving) {
    role = { kind: 'serving', workload: serving };
    container = serving.container;
  } else if (pipeline && labels[podLabels.workflow]) {
    const nodeName = p.metadata.annotations?.['workflows.argoproj.io/node-name'] ?? '';
    const step = pipeline.steps.find((s) => nodeName.endsWith(`.${s.name}`));
    if (step) {
      role = { kind: 'step', pipeline, step, workflow: labels[podLabels.workflow]! };
      container = step.container;
    }
  } else if (job) {
    role = { kind: 'job', job, ordinal: 0, startMs: createdMs };
    container = job.container;
  } else if (service) {
    role = { kind: 'service', service };
    container = service.container;
  } else if (daemonSet) {
    role = { kind: 'system', daemonSet };
    container = daemonSet.container;
  }
  const containers: { name: string }[] = p.spec?.containers ?? [];
  const main = containers.find((c) => c.name !== 'queue-proxy') ?? containers[0];
  const phase = podPhases.find((x) => x === p.status?.phase) ?? 'Unknown';
  const ready = ((p.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
  const mig = (p.metadata.annotations?.[podLabels.migInstances] ?? '')
    .split(',')
    .filter((x) => x !== '')
    .map((x) => x.split(':').map(Number));
  return {
    uid: p.metadata.uid ?? `${namespace}/${p.metadata.name}`,
    name: p.metadata.name,
    namespace,
    nodeName: typeof p.spec?.nodeName === 'string' ? p.spec.nodeName : null,
    containerName: main?.name ?? 'main',
    phase,
    ready,
    createdMs,
    gpuIndexes:
      mig.length > 0
        ? mig.map(([gpu]) => gpu ?? 0)
        : (p.metadata.annotations?.[podLabels.gpuIndexes] ?? '')
            .split(',')
            .filter((x) => x !== '')
            .map(Number),
    migInstanceIds: mig.map(([, id]) => id ?? 0),
    cpuRequestCores: container?.cpuRequestCores ?? 0,
    memoryRequestBytes: container?.memoryRequestBytes ?? 0,
    ...gpuRequestOf(container),
    ownerKind: p.metadata.ownerReferences?.[0]?.kind ?? 'Pod',
    ownerName: p.metadata.ownerReferences?.[0]?.name ?? p.metadata.name,
    workload,
    team: labels[podLabels.team] ?? '',
    workflow: labels[podLabels.workflow] ?? null,
    revision: labels[podLabels.knativeRevision] ?? null,
    role,
  };
}

function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}
