import 'server-only';
import type { NodeHour } from '../types';
import { byNode, firstLabel, keyed, podLabelVariants, type HourSample } from './prometheus-samples';

/** One hour of the node queries' answers. */
export interface NodeHourSamples {
  nodeInfo: HourSample[];
  nodePresent: HourSample[];
  nodeLabels: HourSample[];
  nodeCapacity: HourSample[];
  gpuActivity: HourSample[];
}

const migResource = /^nvidia_com_mig_/;

/** DCGM's model name per node (e.g. `NVIDIA H100 80GB HBM3`). */
export function gpuModelByNode(gpuActivity: readonly HourSample[]): Map<string, string> {
  const models = new Map<string, string>();
  for (const { labels } of gpuActivity) {
    const host = firstLabel(labels, podLabelVariants.hostname);
    if (host && labels.modelName) models.set(host, labels.modelName);
  }
  return models;
}

/** Average engine activity per device index of each node (the mean of its per-pod or per-instance series). */
export function deviceActivityByNode(gpuActivity: readonly HourSample[]): Map<string, number[]> {
  const sums = new Map<string, Map<number, { total: number; n: number }>>();
  for (const { labels, value } of gpuActivity) {
    const host = firstLabel(labels, podLabelVariants.hostname);
    const device = Number(labels.gpu);
    if (!host || labels.gpu === undefined || !Number.isInteger(device) || device < 0) continue;
    const perDevice = sums.get(host) ?? new Map<number, { total: number; n: number }>();
    const s = perDevice.get(device) ?? { total: 0, n: 0 };
    perDevice.set(device, { total: s.total + value, n: s.n + 1 });
    sums.set(host, perDevice);
  }
  const result = new Map<string, number[]>();
  for (const [host, perDevice] of sums) {
    const size = Math.max(...perDevice.keys()) + 1;
    result.set(
      host,
      Array.from({ length: size }, (_, i) => {
        const s = perDevice.get(i);
        return s ? clamp01(s.total / s.n) : 0;
      }),
    );
  }
  return result;
}

export function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function positiveNumber(text: string | undefined): number | null {
  const value = Number(text);
  return text && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * Physical devices and time-slice replicas. GPU feature discovery's `nvidia.com/gpu.count` and
 * `.replicas` labels say it best; without them, the device plugin's capacity: `nvidia.com/gpu.shared`
 * (renamed time-slicing) is devices × replicas, plain `nvidia.com/gpu` counts devices.
 */
function gpuShape(
  labels: Record<string, string>,
  capacity: Map<string, number>,
): { devices: number; replicas: number } {
  const shared = capacity.get('nvidia_com_gpu_shared') ?? 0;
  const plain = capacity.get('nvidia_com_gpu') ?? 0;
  const devices = positiveNumber(labels.label_nvidia_com_gpu_count) ?? (shared > 0 ? 0 : plain);
  const replicasLabel = positiveNumber(labels.label_nvidia_com_gpu_replicas);
  if (replicasLabel !== null)
    return { devices: devices || Math.round((shared || plain) / replicasLabel), replicas: replicasLabel };
  if (devices > 0 && shared > 0) return { devices, replicas: Math.max(1, Math.round(shared / devices)) };
  if (devices > 0 && plain > devices) return { devices, replicas: Math.max(1, Math.round(plain / devices)) };
  return { devices, replicas: 1 };
}

/** The nodes of one hour: those kube_node_info names in it, with their capacity and GPU shape. */
export function nodeHoursOf(cluster: string, hourStart: Date, s: NodeHourSamples): NodeHour[] {
  const present = keyed<number>(s.nodePresent, byNode, (x) => x.value);
  const labels = keyed<Record<string, string>>(s.nodeLabels, byNode, (x) => x.labels);
  const capacity = keyed<Map<string, number>>(s.nodeCapacity, byNode, (x, prev) => {
    const map = prev ?? new Map<string, number>();
    if (x.labels.resource) map.set(x.labels.resource, x.value);
    return map;
  });
  const activity = deviceActivityByNode(s.gpuActivity);
  const models = gpuModelByNode(s.gpuActivity);
  const nodes = new Map<string, NodeHour>();
  for (const { labels: info } of s.nodeInfo) {
    const node = info.node;
    if (!node || nodes.has(node)) continue;
    const nodeLabels = labels.get(node) ?? {};
    const cap = capacity.get(node) ?? new Map<string, number>();
    const hasMig = [...cap.keys()].some((r) => migResource.test(r));
    const { devices, replicas } = gpuShape(nodeLabels, cap);
    const gpuDevices = devices || (hasMig ? (activity.get(node)?.length ?? 0) : 0);
    nodes.set(node, {
      cluster,
      node,
      providerId: info.provider_id || null,
      instanceType:
        nodeLabels.label_node_kubernetes_io_instance_type || nodeLabels.label_beta_kubernetes_io_instance_type || null,
      hourStart,
      hoursPresent: clamp01(present.get(node) ?? 1),
      cpuCores: cap.get('cpu') ?? 0,
      memoryBytes: cap.get('memory') ?? 0,
      gpuDevices,
      gpuModel: gpuDevices > 0 ? (models.get(node) ?? nodeLabels.label_nvidia_com_gpu_product ?? null) : null,
      gpuTimeSliceReplicas: replicas,
      gpuActivityByDevice: gpuDevices > 0 ? (activity.get(node) ?? []).slice(0, gpuDevices) : [],
    });
  }
  return [...nodes.values()];
}
