import { stringify } from 'yaml';
import { clusters as defaultClusters, type ClusterSpec } from '../topology.ts';

// Recording rules give dashboards one cheap series per workload; alert rules carry severity, team,
// cluster, namespace and workload labels so the app can route and link them.

const info = 'burnrate:pod_workload:info';
const joinWorkload = `* on (cluster, namespace, pod) group_left (workload, team) ${info}`;

export const recordingRules = [
  {
    record: info,
    expr: `max by (cluster, namespace, pod, workload, team, workflow) (label_replace(label_replace(label_replace(kube_pod_labels, "workload", "$1", "label_app_kubernetes_io_name", "(.+)"), "team", "$1", "label_burnrate_dev_team", "(.+)"), "workflow", "$1", "label_workflows_argoproj_io_workflow", "(.+)"))`,
  },
  {
    record: 'workload:requests:rate1m',
    expr: `sum by (cluster, namespace, workload, team) (rate(vllm:request_success_total[1m]) ${joinWorkload}) or sum by (cluster, namespace, workload, team) (rate(http_requests_total[1m]) ${joinWorkload})`,
  },
  {
    record: 'workload:request_latency_seconds:p95_1m',
    expr: `histogram_quantile(0.95, sum by (cluster, namespace, workload, team, le) (rate(vllm:e2e_request_latency_seconds_bucket[1m]) ${joinWorkload})) or histogram_quantile(0.95, sum by (cluster, namespace, workload, team, le) (rate(http_server_request_duration_seconds_bucket[1m]) ${joinWorkload}))`,
  },
  {
    record: 'workload:vllm_requests_waiting:sum',
    expr: `sum by (cluster, namespace, workload, team) (vllm:num_requests_waiting ${joinWorkload})`,
  },
  {
    record: 'node:gpu_utilisation_percent:avg',
    expr: 'avg by (cluster, Hostname) (max by (cluster, Hostname, gpu) (DCGM_FI_DEV_GPU_UTIL))',
  },
  {
    record: 'namespace:gpu_utilisation_percent:avg',
    expr: 'avg by (cluster, namespace) (DCGM_FI_DEV_GPU_UTIL{pod!=""})',
  },
  {
    record: 'node:gpu_power_watts:sum',
    expr: 'sum by (cluster, Hostname) (max by (cluster, Hostname, gpu) (DCGM_FI_DEV_POWER_USAGE))',
  },
  {
    record: 'namespace:gpu_allocation_cost_usd_per_hour:sum',
    expr: 'sum by (cluster, namespace) (kube_pod_container_resource_requests{resource="nvidia_com_gpu"} * on (cluster, node) group_left () node_gpu_hourly_cost)',
  },
  { record: 'cluster:node_cost_usd_per_hour:sum', expr: 'sum by (cluster) (node_total_hourly_cost)' },
];

export interface AlertRuleOptions {
  /** Replaces every rule's `for` (tests shorten it; the demo keeps the defaults). */
  forOverride?: string;
  /** GPU allocation budget per namespace, USD per hour. */
  namespaceBudgetsUsdPerHour?: Record<string, number>;
  /** Default: the topology's clusters. */
  clusters?: ClusterSpec[];
}

export const defaultNamespaceBudgetsUsdPerHour: Record<string, number> = {
  'llm-serving': 70,
  search: 2,
  'ml-pipelines': 12,
  research: 60,
  batch: 3,
};

interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
}

const teamOrPlatform = '{{ if $labels.team }}{{ $labels.team }}{{ else }}platform{{ end }}';

export function alertRules(opts: AlertRuleOptions = {}): AlertRule[] {
  const f = (d: string): string => opts.forOverride ?? d;
  const clusters = opts.clusters ?? defaultClusters;
  const budgets = opts.namespaceBudgetsUsdPerHour ?? defaultNamespaceBudgetsUsdPerHour;
  const gpuHot = 'max by (cluster, Hostname, gpu, UUID, namespace, pod) (DCGM_FI_DEV_GPU_TEMP) > 85';
  const idle =
    'max by (cluster, Hostname, gpu, UUID, namespace, pod) (max_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[5m])) < 5';
  const rules: AlertRule[] = [
    {
      alert: 'GPUHot',
      expr: `(${gpuHot}) ${joinWorkload} or (${gpuHot})`,
      for: f('2m'),
      labels: { severity: 'warning', team: teamOrPlatform, workload: '{{ $labels.workload }}' },
      annotations: {
        summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is at {{ $value }} °C',
        description:
          'GPU {{ $labels.UUID }} has run above 85 °C for 2 minutes; it will throttle. Check its fans and the load placed on it.',
      },
    },
    ...clusters.flatMap((c) =>
      c.serving.map((w) => ({
        alert: 'LatencyP95OverSLO',
        expr: `workload:request_latency_seconds:p95_1m{cluster="${c.name}", namespace="${w.namespace}", workload="${w.name}"} > ${w.sloP95Seconds}`,
        for: f('2m'),
        labels: { severity: 'critical', team: w.team, workload: w.name, slo_seconds: String(w.sloP95Seconds) },
        annotations: {
          summary: `${w.name} p95 latency {{ $value | humanizeDuration }} is over its ${w.sloP95Seconds}s SLO`,
          description: `p95 request latency of ${w.namespace}/${w.name} in ${c.name} has been above ${w.sloP95Seconds}s for 2 minutes. Offered load may exceed what its ready replicas serve: scale it out.`,
        },
      })),
    ),
    {
      alert: 'QueueBacklog',
      expr: `avg by (cluster, namespace, workload, team) (vllm:num_requests_waiting ${joinWorkload}) > 10`,
      for: f('1m'),
      labels: { severity: 'warning', team: teamOrPlatform },
      annotations: {
        summary: '{{ $labels.workload }} has {{ $value }} requests waiting per replica',
        description:
          'Requests are queueing in vLLM faster than the replicas drain them; latency will follow. Scale {{ $labels.namespace }}/{{ $labels.workload }} out.',
      },
    },
    {
      alert: 'PipelineStepFailed',
      expr: `max by (cluster, namespace, pod, workload, team, workflow) (kube_pod_status_phase{phase="Failed"} * on (cluster, namespace, pod) group_left (workload, team, workflow) ${info}{workflow!=""}) > 0`,
      for: f('0m'),
      labels: { severity: 'warning', team: teamOrPlatform },
      annotations: {
        summary: 'Pipeline run {{ $labels.workflow }} failed at pod {{ $labels.pod }}',
        description:
          'A step of {{ $labels.workload }} failed in {{ $labels.cluster }}; the run stopped. Read the step logs and retry the run.',
      },
    },
    ...clusters.flatMap((c: ClusterSpec) =>
      c.namespaces
        .map((n) => n.name)
        .filter((ns) => budgets[ns] !== undefined)
        .map((ns) => ({
          alert: 'CostBurnAboveBudget',
          expr: `namespace:gpu_allocation_cost_usd_per_hour:sum{cluster="${c.name}", namespace="${ns}"} > ${budgets[ns]}`,
          for: f('5m'),
          labels: {
            severity: 'warning',
            team: teamOfNamespace(c, ns),
            workload: ns,
            budget_usd_per_hour: String(budgets[ns]),
          },
          annotations: {
            summary: `GPU spend in ${ns} is {{ $value | printf "%.2f" }} USD/h, over its ${budgets[ns]} USD/h budget`,
            description: `GPUs allocated in ${c.name}/${ns} cost more per hour than the namespace budget for 5 minutes.`,
          },
        })),
    ),
    {
      alert: 'GpuIdleWhileAllocated',
      expr: `(${idle}) ${joinWorkload} or (${idle})`,
      for: f('5m'),
      labels: { severity: 'info', team: teamOrPlatform, workload: '{{ $labels.workload }}' },
      annotations: {
        summary: 'GPU {{ $labels.gpu }} on {{ $labels.Hostname }} is allocated to {{ $labels.pod }} but idle',
        description:
          'The GPU has stayed under 5% utilisation for 10 minutes while a pod holds it: money spent for nothing. Release it or give it work.',
      },
    },
  ];
  return rules;
}

function teamOfNamespace(c: ClusterSpec, ns: string): string {
  return c.namespaces.find((n) => n.name === ns)?.team ?? 'platform';
}

export function recordingRulesYaml(): string {
  return stringify({ groups: [{ name: 'burnrate-recording', rules: recordingRules }] });
}

export function alertRulesYaml(opts: AlertRuleOptions = {}): string {
  return stringify({ groups: [{ name: 'burnrate-alerts', rules: alertRules(opts) }] });
}
