import 'server-only';
import type { GpuHolding, NodeHour, PodHour } from '../types';
import { clamp01 } from './node-hours';
import { byPod, firstLabel, keyed, podKey, podLabelVariants, type HourSample } from './prometheus-samples';

/** One hour of the pod queries' answers. */
export interface PodHourSamples {
  podInfo: HourSample[];
  podRunning: HourSample[];
  podOwner: HourSample[];
  replicaSetOwner: HourSample[];
  jobOwner: HourSample[];
  podLabels: HourSample[];
  namespaceLabels: HourSample[];
  podRequests: HourSample[];
  podCpuUsage: HourSample[];
  podMemoryUsage: HourSample[];
  gpuActivity: HourSample[];
}

// The Deployment controller's pod-template-hash: digits and consonants (k8s.io/apimachinery rand.SafeEncodeString).
const templateHashSuffix = /-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/;
const migResource = /^nvidia_com_mig_(\d+g)_(.+)$/;

interface Owner {
  kind: string;
  name: string;
}

/**
 * The top controller: ReplicaSet → its Deployment (kube_replicaset_owner; without that metric, a
 * name ending in a pod-template-hash is taken as a Deployment's), Job → its CronJob (kube_job_owner).
 */
function topOwner(
  namespace: string,
  owner: Owner | undefined,
  replicaSets: Map<string, Owner>,
  jobs: Map<string, Owner>,
): Owner {
  if (!owner || !owner.kind || owner.kind === '<none>') return { kind: 'Pod', name: '' };
  if (owner.kind === 'ReplicaSet') {
    const parent = replicaSets.get(podKey(namespace, owner.name));
    if (parent && parent.kind !== '<none>') return parent;
    if (!parent && templateHashSuffix.test(owner.name))
      return { kind: 'Deployment', name: owner.name.replace(templateHashSuffix, '') };
  }
  if (owner.kind === 'Job') {
    const parent = jobs.get(podKey(namespace, owner.name));
    if (parent && parent.kind !== '<none>') return parent;
  }
  return owner;
}

function gpuHolding(requests: Map<string, number>, node: NodeHour | undefined): GpuHolding | null {
  const shared = requests.get('nvidia_com_gpu_shared') ?? 0;
  if (shared > 0) return { kind: 'time-sliced', replicas: shared };
  const plain = requests.get('nvidia_com_gpu') ?? 0;
  // Time-slicing without renaming: the node's nvidia.com/gpu are replicas, not devices.
  if (plain > 0) {
    return (node?.gpuTimeSliceReplicas ?? 1) > 1
      ? { kind: 'time-sliced', replicas: plain }
      : { kind: 'whole', devices: plain };
  }
  for (const [resource, instances] of requests) {
    const mig = migResource.exec(resource);
    if (mig && instances > 0) return { kind: 'mig', profile: `${mig[1]}.${mig[2]}`, instances };
  }
  return null;
}

/** Per pod: the device indexes DCGM maps to it on its node, and its mean activity over them. */
function podGpuUse(
  gpuActivity: readonly HourSample[],
): Map<string, { devices: Set<number>; total: number; n: number }> {
  const use = new Map<string, { devices: Set<number>; total: number; n: number }>();
  for (const { labels, value } of gpuActivity) {
    const namespace = firstLabel(labels, podLabelVariants.namespace);
    const pod = firstLabel(labels, podLabelVariants.pod);
    if (!namespace || !pod) continue;
    const key = podKey(namespace, pod);
    const u = use.get(key) ?? { devices: new Set<number>(), total: 0, n: 0 };
    const device = Number(labels.gpu);
    if (labels.gpu !== undefined && Number.isInteger(device)) u.devices.add(device);
    use.set(key, { devices: u.devices, total: u.total + value, n: u.n + 1 });
  }
  return use;
}

function podLabelsOf(labels: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (name.startsWith('label_') && value) result[name.slice('label_'.length)] = value;
  }
  return result;
}

/** The pods of one hour: kube_pod_info names them and their node; those Pending or Running in it count. */
export function podHoursOf(
  cluster: string,
  nodes: readonly NodeHour[],
  s: PodHourSamples,
  minimumPresence: number,
): PodHour[] {
  const nodeByName = new Map(nodes.map((n) => [n.node, n]));
  const running = keyed<number>(s.podRunning, byPod, (x) => x.value);
  const owners = keyed<Owner>(s.podOwner, byPod, (x) => ({
    kind: x.labels.owner_kind ?? '',
    name: x.labels.owner_name ?? '',
  }));
  const ownerOf = (key: (l: Record<string, string>) => string | undefined, samples: HourSample[]): Map<string, Owner> =>
    keyed<Owner>(samples, key, (x) => ({ kind: x.labels.owner_kind ?? '', name: x.labels.owner_name ?? '' }));
  const replicaSets = ownerOf(
    (l) => (l.namespace && l.replicaset ? podKey(l.namespace, l.replicaset) : undefined),
    s.replicaSetOwner,
  );
  const jobs = ownerOf((l) => (l.namespace && l.job_name ? podKey(l.namespace, l.job_name) : undefined), s.jobOwner);
  const labels = keyed<Record<string, string>>(s.podLabels, byPod, (x) => podLabelsOf(x.labels));
  const namespaceTeams = keyed<string>(
    s.namespaceLabels,
    (l) => (l.label_team ? l.namespace : undefined),
    (x) => x.labels.label_team!,
  );
  const requests = keyed<Map<string, number>>(s.podRequests, byPod, (x, prev) => {
    const map = prev ?? new Map<string, number>();
    if (x.labels.resource) map.set(x.labels.resource, x.value);
    return map;
  });
  const cpu = keyed<number>(s.podCpuUsage, byPod, (x) => x.value);
  const memory = keyed<number>(s.podMemoryUsage, byPod, (x) => x.value);
  const gpuUse = podGpuUse(s.gpuActivity);

  const pods = new Map<string, PodHour>();
  for (const { labels: info } of s.podInfo) {
    const key = byPod(info);
    if (key === undefined || !info.node || pods.has(key)) continue;
    // podInfo keeps pods Pending or Running at a sample in the hour: at least one presence step.
    const hoursPresent = Math.max(minimumPresence, clamp01(running.get(key) ?? 0));
    const namespace = info.namespace!;
    const owner = topOwner(namespace, owners.get(key), replicaSets, jobs);
    const podLabels = labels.get(key) ?? {};
    const req = requests.get(key) ?? new Map<string, number>();
    const use = gpuUse.get(key);
    pods.set(key, {
      cluster,
      namespace,
      pod: info.pod!,
      node: info.node,
      workloadKind: owner.kind,
      workloadName: owner.name || info.pod!,
      team: podLabels.team ?? namespaceTeams.get(namespace) ?? null,
      labels: podLabels,
      hoursPresent,
      cpuRequestCores: req.get('cpu') ?? 0,
      // rate over the hour spreads a pod's CPU seconds over all 3600 s: per running second it is this ÷ presence.
      cpuUsageCores: (cpu.get(key) ?? 0) / hoursPresent,
      memoryRequestBytes: req.get('memory') ?? 0,
      memoryUsageBytes: memory.get(key) ?? 0,
      gpu: gpuHolding(req, nodeByName.get(info.node)),
      gpuDeviceIndexes: use ? [...use.devices].sort((a, b) => a - b) : [],
      gpuActivity: use && use.n > 0 ? clamp01(use.total / use.n) : null,
    });
  }
  return [...pods.values()];
}
