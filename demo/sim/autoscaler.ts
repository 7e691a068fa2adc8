import type { ServingWorkload } from '../topology.ts';
import { modelBucketMs } from './traffic.ts';

/** Knative's default target: 70% of what one replica serves before it queues. */
const targetUtilisation = 0.7;

/** Replicas the Knative autoscaler wants for an offered load (no scale-to-zero grace applied). */
export function replicasForLoad(workload: ServingWorkload, rps: number): number {
  const max = workload.maxScale ?? Infinity;
  const min = workload.minScale ?? 0;
  if (rps <= 0) return min;
  return Math.min(max, Math.max(min, 1, Math.ceil(rps / (workload.rpsPerReplica * targetUtilisation))));
}

/**
 * Desired replicas at `tMs`, from the offered load of this minute and the previous one: a service
 * idle for a whole minute scales to zero (Knative's scale-to-zero grace period is 60 s by default).
 */
export function knativeDesiredReplicas(workload: ServingWorkload, tMs: number, rpsAt: (tMs: number) => number): number {
  const now = replicasForLoad(workload, rpsAt(tMs));
  const before = replicasForLoad(workload, rpsAt(tMs - modelBucketMs));
  return Math.max(now, before > 0 ? 1 : 0);
}
