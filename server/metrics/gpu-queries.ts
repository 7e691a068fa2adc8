import 'server-only';
import type { AvailableSource } from '@/server/prometheus/source-pickers';
import {
  binary,
  count,
  labelReplace,
  max,
  neq,
  num,
  selector,
  sum,
  type LabelMatcher,
  type PromQl,
} from '@/server/prometheus/query-builder';

// dcgm-exporter repeats a device's reading once per pod when pods share it (time-slicing), so
// every fleet figure first takes one value per device (max by UUID) before summing or averaging;
// Grafana's stock dashboard sums the copies and overcounts shared GPUs.

export interface GpuScope {
  clusterLabel: string;
  matchers: LabelMatcher[];
}

/** Device identity kept through aggregations. */
export function deviceLabels(scope: GpuScope): string[] {
  return [scope.clusterLabel, 'UUID'];
}

/** Util as a 0–1 ratio whichever source was picked (GPU_UTIL is a percentage). */
function asRatio(expr: PromQl, source: AvailableSource): PromQl {
  return source.unit === 'percent' ? binary(expr, '/', num(100)) : expr;
}

/** One 0–1 value per device. */
export function deviceUtil(source: AvailableSource, scope: GpuScope, extra: LabelMatcher[] = []): PromQl {
  return asRatio(max(selector(source.metric, [...scope.matchers, ...extra]), { by: deviceLabels(scope) }), source);
}

/** One value per device of a gauge (memory, power, temperature). */
export function perDevice(metric: string, scope: GpuScope): PromQl {
  return max(selector(metric, scope.matchers), { by: deviceLabels(scope) });
}

function podMatcher(source: AvailableSource): LabelMatcher[] {
  return source.labels.pod ? [neq(source.labels.pod, '')] : [];
}

/** Devices with at least one pod mapped to them (dcgm-exporter's Kubernetes pod mapping). */
export function allocatedDevices(source: AvailableSource, scope: GpuScope): PromQl {
  return deviceUtil(source, scope, podMatcher(source));
}

export function fleetSum(expr: PromQl, by: string[] = []): PromQl {
  return sum(expr, by.length > 0 ? { by } : undefined);
}

export function fleetCount(expr: PromQl, by: string[] = []): PromQl {
  return count(expr, by.length > 0 ? { by } : undefined);
}

/**
 * Allocated devices whose engine is below `thresholdRatio` busy: held but idle. `count` of nothing is
 * no data, which a chart draws as a gap: 0 while devices are allocated, a gap only where none report.
 */
export function idleAllocatedDevices(
  source: AvailableSource,
  scope: GpuScope,
  thresholdRatio: number,
  by: string[] = [],
): PromQl {
  const allocated = allocatedDevices(source, scope);
  return binary(
    fleetCount(binary(allocated, '<', num(thresholdRatio)), by),
    'or',
    binary(fleetCount(allocated, by), '*', num(0)),
  );
}

/**
 * Pod name → workload, by the names controllers generate (Prometheus anchors each regex; a name
 * that does not match passes through): an Argo step pod `<pipeline>-<run id>-<step>-<node hash>`
 * becomes its pipeline; a Deployment's `-<replicaset hash>-<suffix>` or a Job's `-<suffix>` is cut.
 */
const argoStepPattern = '(.+)-[0-9]{6,11}-[a-z0-9-]+-[0-9]{8,11}';
const controllerPattern = '(.+?)(?:-[a-z0-9]{8,10})?-[a-z0-9]{5}';

function withWorkload(expr: PromQl, source: AvailableSource): PromQl {
  const pod = source.labels.pod ?? 'pod';
  const named = labelReplace(expr, 'workload', '$1', pod, '(.*)');
  return labelReplace(
    labelReplace(named, 'workload', '$1', 'workload', argoStepPattern),
    'workload',
    '$1',
    'workload',
    controllerPattern,
  );
}

function tenantsPerDevice(source: AvailableSource, scope: GpuScope): PromQl {
  return count(selector(source.metric, [...scope.matchers, ...podMatcher(source)]), { by: deviceLabels(scope) });
}

function workloadGrouping(source: AvailableSource, scope: GpuScope): string[] {
  return [scope.clusterLabel, source.labels.namespace ?? 'namespace', 'workload'];
}

/** GPUs held per workload over time; a device shared by n pods counts 1 ÷ n for each. */
export function gpusHeldByWorkload(source: AvailableSource, scope: GpuScope): PromQl {
  const perPod = selector(source.metric, [...scope.matchers, ...podMatcher(source)]);
  const share = binary(binary(perPod, '*', num(0)), '+', num(1));
  const split = binary(share, '/', tenantsPerDevice(source, scope), { on: deviceLabels(scope), groupLeft: [] });
  return sum(withWorkload(split, source), { by: workloadGrouping(source, scope) });
}

/** Busy GPU-equivalents per workload; a shared device's activity is split evenly between its pods. */
export function busyGpusByWorkload(source: AvailableSource, scope: GpuScope): PromQl {
  const perPod = asRatio(selector(source.metric, [...scope.matchers, ...podMatcher(source)]), source);
  const split = binary(perPod, '/', tenantsPerDevice(source, scope), { on: deviceLabels(scope), groupLeft: [] });
  return sum(withWorkload(split, source), { by: workloadGrouping(source, scope) });
}

/** Per device with its identity labels, for the device table and the heatmap. */
export function deviceIdentity(source: AvailableSource, scope: GpuScope): string[] {
  return [scope.clusterLabel, source.labels.hostname ?? 'Hostname', 'gpu', 'UUID', 'modelName'];
}

export function perDeviceWithIdentity(metric: string, source: AvailableSource, scope: GpuScope, ratio = false): PromQl {
  const expr = max(selector(metric, scope.matchers), { by: deviceIdentity(source, scope) });
  return ratio ? asRatio(expr, source) : expr;
}

/** One series per (device, pod) mapped to it: who holds which GPU now. */
export function devicePods(source: AvailableSource, scope: GpuScope): PromQl {
  const by = [...deviceLabels(scope), source.labels.namespace ?? 'namespace', source.labels.pod ?? 'pod'];
  return count(selector(source.metric, [...scope.matchers, ...podMatcher(source)]), { by });
}
