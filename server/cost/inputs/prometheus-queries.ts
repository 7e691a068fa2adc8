import 'server-only';
import {
  avgOverTime,
  binary,
  count,
  max,
  maxOverTime,
  neq,
  num,
  rate,
  re,
  selector,
  subquery,
  sum,
  avg,
  eq,
  type LabelMatcher,
  type PromQl,
} from '@/server/prometheus/query-builder';
import { podLabelVariants } from './prometheus-samples';

// The PromQL of the cost inputs: one query per figure for every pod or node of a cluster at once,
// each evaluated at the end of every hour over the hour before it (`[1h]` windows, step 1 h).

const hourSeconds = 3600;

const dcgmGrouping = [
  ...podLabelVariants.namespace,
  ...podLabelVariants.pod,
  ...podLabelVariants.hostname,
  'gpu',
  'modelName',
];

export type CostQueryName =
  | 'podInfo'
  | 'podRunning'
  | 'podOwner'
  | 'replicaSetOwner'
  | 'jobOwner'
  | 'podLabels'
  | 'namespaceLabels'
  | 'podRequests'
  | 'podCpuUsage'
  | 'podMemoryUsage'
  | 'gpuActivity'
  | 'nodeInfo'
  | 'nodePresent'
  | 'nodeLabels'
  | 'nodeCapacity'
  | 'openCostPrices';

export interface CostQueryOptions {
  clusterLabel: string;
  cluster: string;
  /** Resolution of the presence subqueries: the part of an hour a pod or node ran, in these steps. */
  presenceStepSeconds: number;
}

/** Fraction of the hour (0–1) in which `expr` had a value, sampled every `stepSeconds`. */
function presentFraction(expr: PromQl, stepSeconds: number): PromQl {
  const counted = `count_over_time(${subquery(expr, hourSeconds, stepSeconds)})` as PromQl;
  return binary(counted, '/', num(hourSeconds / stepSeconds));
}

export function costQueries(options: CostQueryOptions): Record<CostQueryName, PromQl> {
  const c: LabelMatcher = eq(options.clusterLabel, options.cluster);
  const m = (metric: string, ...matchers: LabelMatcher[]): PromQl => selector(metric, [c, ...matchers]);
  const overHour = (expr: PromQl): PromQl => maxOverTime(expr, hourSeconds);
  const holding = m('kube_pod_status_phase', re('phase', 'Pending|Running'));
  const realContainers = [neq('container', ''), neq('container', 'POD')];
  const gpuActivity = (metric: string): PromQl => avg(avgOverTime(m(metric), hourSeconds), { by: dcgmGrouping });
  return {
    // Pending (scheduled, pulling images) and Running pods hold their requests; finished ones do not.
    podInfo: binary(
      max(overHour(m('kube_pod_info', neq('node', ''))), { by: ['namespace', 'pod', 'node'] }),
      'and',
      binary(max(overHour(holding), { by: ['namespace', 'pod'] }), '==', num(1)),
      { on: ['namespace', 'pod'] },
    ),
    podRunning: presentFraction(
      binary(max(holding, { by: ['namespace', 'pod'] }), '==', num(1)),
      options.presenceStepSeconds,
    ),
    podOwner: max(overHour(m('kube_pod_owner')), { by: ['namespace', 'pod', 'owner_kind', 'owner_name'] }),
    replicaSetOwner: max(overHour(m('kube_replicaset_owner')), {
      by: ['namespace', 'replicaset', 'owner_kind', 'owner_name'],
    }),
    jobOwner: max(overHour(m('kube_job_owner')), { by: ['namespace', 'job_name', 'owner_kind', 'owner_name'] }),
    podLabels: overHour(m('kube_pod_labels')),
    namespaceLabels: max(overHour(m('kube_namespace_labels')), { by: ['namespace', 'label_team'] }),
    // Per container while it existed in the hour, summed per pod and resource.
    podRequests: sum(avgOverTime(m('kube_pod_container_resource_requests'), hourSeconds), {
      by: ['namespace', 'pod', 'resource'],
    }),
    podCpuUsage: sum(rate(m('container_cpu_usage_seconds_total', ...realContainers), hourSeconds), {
      by: ['namespace', 'pod'],
    }),
    podMemoryUsage: sum(avgOverTime(m('container_memory_working_set_bytes', ...realContainers), hourSeconds), {
      by: ['namespace', 'pod'],
    }),
    // Per device and per pod series: the profiling counter where the exporter has it, else GPU_UTIL (%).
    gpuActivity: binary(
      gpuActivity('DCGM_FI_PROF_GR_ENGINE_ACTIVE'),
      'or',
      binary(gpuActivity('DCGM_FI_DEV_GPU_UTIL'), '/', num(100)),
    ),
    nodeInfo: max(overHour(m('kube_node_info')), { by: ['node', 'provider_id'] }),
    nodePresent: presentFraction(count(m('kube_node_info'), { by: ['node'] }), options.presenceStepSeconds),
    nodeLabels: max(overHour(m('kube_node_labels')), {
      by: [
        'node',
        'label_node_kubernetes_io_instance_type',
        'label_beta_kubernetes_io_instance_type',
        'label_nvidia_com_gpu_product',
        'label_nvidia_com_gpu_count',
        'label_nvidia_com_gpu_replicas',
      ],
    }),
    nodeCapacity: max(overHour(m('kube_node_status_capacity')), { by: ['node', 'resource'] }),
    // OpenCost's prices at the hour's end, by metric name (a range function would drop the name).
    openCostPrices: avg(selector(null, [re('__name__', 'node_(cpu|ram|gpu|total)_hourly_cost'), c]), {
      by: ['node', '__name__'],
    }),
  };
}
