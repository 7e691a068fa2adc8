// Pure arithmetic for the GPU workload table and waste ranking (unit-tested with hand numbers).

export interface StepSeries {
  labels: Record<string, string>;
  /** [epoch ms, value] at the query step; a missing step means the workload held nothing then. */
  points: [number, number][];
}

export interface WorkloadUsage {
  labels: Record<string, string>;
  avgGpusHeld: number;
  avgUtilRatio: number;
  gpuHours: number;
  idleGpuHours: number;
  shared: boolean;
}

function keyOf(labels: Record<string, string>, keys: string[]): string {
  return JSON.stringify(keys.map((k) => labels[k] ?? ''));
}

/**
 * GPU-hours held = Σ held(t) × step; busy likewise; idle = held − busy (≥ 0). The mean GPUs held is
 * over every step of the range, so a workload that ran an hour of a day averages 1/24 of its GPUs.
 */
export function workloadUsage(
  held: StepSeries[],
  busy: StepSeries[],
  groupBy: string[],
  stepSeconds: number,
  stepsInRange: number,
): WorkloadUsage[] {
  const stepHours = stepSeconds / 3600;
  const busyByKey = new Map(busy.map((s) => [keyOf(s.labels, groupBy), s]));
  return held.map((h) => {
    const b = busyByKey.get(keyOf(h.labels, groupBy));
    const heldSum = h.points.reduce((acc, [, v]) => acc + (Number.isFinite(v) ? v : 0), 0);
    const busySum = (b?.points ?? []).reduce((acc, [, v]) => acc + (Number.isFinite(v) ? v : 0), 0);
    const gpuHours = heldSum * stepHours;
    const busyHours = Math.min(busySum * stepHours, gpuHours);
    return {
      labels: h.labels,
      avgGpusHeld: stepsInRange > 0 ? heldSum / stepsInRange : 0,
      avgUtilRatio: gpuHours > 0 ? busyHours / gpuHours : 0,
      gpuHours,
      idleGpuHours: gpuHours - busyHours,
      shared: h.points.some(([, v]) => Number.isFinite(v) && Math.abs(v - Math.round(v)) > 1e-9),
    };
  });
}

/** Steps Prometheus evaluates in an aligned range: both ends included. */
export function stepsIn(startMs: number, endMs: number, stepSeconds: number): number {
  return Math.floor((endMs - startMs) / (stepSeconds * 1000)) + 1;
}
