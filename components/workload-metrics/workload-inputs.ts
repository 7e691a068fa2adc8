import type { TimeRangeInput } from '@/lib/time-range';
import type { WorkloadRef } from '@/server/actions/types';

/** Chart width of the workload page's panels. */
export const workloadPoints = 240;

/** The inputs of the workload page's two queries, built one way for the server's prefetch and the browser. */
export function workloadQueryInputs(
  identity: WorkloadRef,
  range: TimeRangeInput,
  pointsWanted = workloadPoints,
): {
  metrics: WorkloadRef & { range: TimeRangeInput; pointsWanted: number };
  annotations: { workload: WorkloadRef; range: TimeRangeInput };
} {
  const workload = {
    cluster: identity.cluster,
    namespace: identity.namespace,
    kind: identity.kind,
    name: identity.name,
  };
  const window = { from: range.from, to: range.to };
  return { metrics: { ...workload, range: window, pointsWanted }, annotations: { workload, range: window } };
}
