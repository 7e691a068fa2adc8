// How much of a GPU device a pod holds (by reservation) and uses (by DCGM engine activity).
import type { GpuHolding, NodeHour, PodHour } from '../types';

/** A100/H100/H200 MIG: 7 compute slices per device (A30: 4). */
export const DEFAULT_MIG_SLICES_PER_DEVICE = 7;

/** Compute slices of a MIG profile: the leading `Ng` of '3g.40gb' (or 'mig-3g.40gb'). */
export function migComputeSlices(profile: string, slicesPerDevice: number): number {
  const match = /^(?:mig-)?(\d+)g\./i.exec(profile.trim());
  const slices = match ? Number(match[1]) : NaN;
  if (!(slices >= 1 && slices <= slicesPerDevice)) {
    throw new RangeError(`MIG profile "${profile}" must start with Ng (1 ≤ N ≤ ${slicesPerDevice}), e.g. 1g.10gb`);
  }
  return slices;
}

/** Devices held, in whole-device equivalents: whole devices, MIG slices ÷ slices per device, or replicas ÷ node replicas. */
export function heldDeviceEquivalents(holding: GpuHolding | null, node: NodeHour, slicesPerDevice: number): number {
  if (!holding) return 0;
  switch (holding.kind) {
    case 'whole':
      return holding.devices;
    case 'mig':
      return (holding.instances * migComputeSlices(holding.profile, slicesPerDevice)) / slicesPerDevice;
    case 'time-sliced':
      return holding.replicas / Math.max(1, node.gpuTimeSliceReplicas);
  }
}

/**
 * Device-hours each pod kept busy. A pod's own DCGM activity (averaged over the time it ran) wins;
 * otherwise it gets the activity of the devices it holds that pods with their own figure do not
 * explain, split among the other pods on that device by what they hold × the time they ran.
 */
export function usedDeviceHours(node: NodeHour, pods: readonly PodHour[], held: readonly number[]): number[] {
  const known = new Map<number, number>();
  const unknownWeight = new Map<number, number>();
  const weightOnDevice = pods.map((pod, i) =>
    pod.gpuDeviceIndexes.length === 0 ? 0 : ((held[i] ?? 0) * pod.hoursPresent) / pod.gpuDeviceIndexes.length,
  );
  pods.forEach((pod, i) => {
    for (const device of pod.gpuDeviceIndexes) {
      if (pod.gpuActivity !== null) {
        // The pod's activity over its own time, as a share of the device's average over the node's time.
        const overNodeTime = node.hoursPresent > 0 ? (pod.gpuActivity * pod.hoursPresent) / node.hoursPresent : 0;
        const perDevice = overNodeTime / pod.gpuDeviceIndexes.length;
        known.set(device, (known.get(device) ?? 0) + perDevice);
      } else {
        unknownWeight.set(device, (unknownWeight.get(device) ?? 0) + (weightOnDevice[i] ?? 0));
      }
    }
  });
  return pods.map((pod, i) => {
    if (pod.gpuActivity !== null) return pod.gpuActivity * pod.hoursPresent;
    let deviceHours = 0;
    for (const device of pod.gpuDeviceIndexes) {
      const activity = node.gpuActivityByDevice[device];
      const weightSum = unknownWeight.get(device) ?? 0;
      if (activity === undefined || weightSum === 0) continue;
      const unexplained = Math.max(0, activity - (known.get(device) ?? 0));
      deviceHours += (unexplained * node.hoursPresent * (weightOnDevice[i] ?? 0)) / weightSum;
    }
    return deviceHours;
  });
}
