// HELP and TYPE of every family the exporters publish, with the upstream version each imitates:
// dcgm-exporter 3.3, Kepler 0.7, vLLM 0.6, OpenTelemetry HTTP semconv 1.23, kube-state-metrics 2.10,
// cAdvisor (kubelet), Knative Serving 1.16 (OpenCensus names, before the 1.19 OTel rename),
// Argo Workflows 3.5, OpenCost 1.x.

export type FamilyType = 'gauge' | 'counter' | 'histogram';

export interface FamilyMeta {
  type: FamilyType;
  help: string;
  /** Counts of events: exposed as whole numbers. */
  integer?: boolean;
}

export const catalog: Record<string, FamilyMeta> = {
  DCGM_FI_DEV_GPU_UTIL: { type: 'gauge', help: 'GPU utilization (in %).' },
  DCGM_FI_PROF_GR_ENGINE_ACTIVE: { type: 'gauge', help: 'Ratio of time the graphics engine is active.' },
  DCGM_FI_PROF_SM_ACTIVE: { type: 'gauge', help: 'The ratio of cycles an SM has at least 1 warp assigned.' },
  DCGM_FI_DEV_FB_USED: { type: 'gauge', help: 'Framebuffer memory used (in MiB).' },
  DCGM_FI_DEV_FB_FREE: { type: 'gauge', help: 'Framebuffer memory free (in MiB).' },
  DCGM_FI_DEV_GPU_TEMP: { type: 'gauge', help: 'GPU temperature (in C).' },
  DCGM_FI_DEV_POWER_USAGE: { type: 'gauge', help: 'Power draw (in W).' },
  DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION: { type: 'counter', help: 'Total energy consumption since boot (in mJ).' },

  kepler_container_joules_total: {
    type: 'counter',
    help: 'Aggregated value in core, dram, uncore, gpu and other values',
  },
  kepler_container_package_joules_total: { type: 'counter', help: 'Aggregated value in package value' },
  kepler_container_dram_joules_total: { type: 'counter', help: 'Aggregated value in dram value' },
  kepler_container_gpu_joules_total: { type: 'counter', help: 'Aggregated GPU value' },

  'vllm:request_success_total': { type: 'counter', help: 'Count of successfully processed requests.', integer: true },
  'vllm:prompt_tokens_total': { type: 'counter', help: 'Number of prefill tokens processed.', integer: true },
  'vllm:generation_tokens_total': { type: 'counter', help: 'Number of generation tokens processed.', integer: true },
  'vllm:num_requests_running': { type: 'gauge', help: 'Number of requests currently running on GPU.' },
  'vllm:num_requests_waiting': { type: 'gauge', help: 'Number of requests waiting to be processed.' },
  'vllm:gpu_cache_usage_perc': { type: 'gauge', help: 'GPU KV-cache usage. 1 means 100 percent usage.' },
  'vllm:e2e_request_latency_seconds': {
    type: 'histogram',
    help: 'Histogram of end to end request latency in seconds.',
    integer: true,
  },
  'vllm:time_to_first_token_seconds': {
    type: 'histogram',
    help: 'Histogram of time to first token in seconds.',
    integer: true,
  },

  http_server_request_duration_seconds: { type: 'histogram', help: 'Duration of HTTP server requests.', integer: true },
  http_requests_total: { type: 'counter', help: 'Total number of HTTP requests.', integer: true },

  kube_namespace_labels: { type: 'gauge', help: 'Kubernetes labels converted to Prometheus labels.' },
  kube_pod_info: { type: 'gauge', help: 'Information about pod.' },
  kube_pod_labels: { type: 'gauge', help: 'Kubernetes labels converted to Prometheus labels.' },
  kube_pod_owner: { type: 'gauge', help: "Information about the Pod's owner." },
  kube_pod_status_phase: { type: 'gauge', help: 'The pods current phase.' },
  kube_pod_status_ready: { type: 'gauge', help: 'Describes whether the pod is ready to serve requests.' },
  kube_pod_container_resource_requests: {
    type: 'gauge',
    help: 'The number of requested request resource by a container.',
  },
  kube_node_info: { type: 'gauge', help: 'Information about a cluster node.' },
  kube_node_labels: { type: 'gauge', help: 'Kubernetes labels converted to Prometheus labels.' },
  kube_node_status_capacity: { type: 'gauge', help: 'The capacity for different resources of a node.' },
  kube_deployment_spec_replicas: { type: 'gauge', help: 'Number of desired pods for a deployment.' },
  kube_deployment_status_replicas_available: {
    type: 'gauge',
    help: 'The number of available replicas per deployment.',
  },
  kube_deployment_status_replicas_ready: { type: 'gauge', help: 'The number of ready replicas per deployment.' },
  kube_deployment_status_replicas_updated: { type: 'gauge', help: 'The number of updated replicas per deployment.' },
  kube_job_status_active: { type: 'gauge', help: 'The number of actively running pods.' },
  kube_job_status_succeeded: { type: 'gauge', help: 'The number of pods which reached Phase Succeeded.' },
  kube_job_status_failed: {
    type: 'gauge',
    help: 'The number of pods which reached Phase Failed and the reason for failure.',
  },
  kube_job_status_start_time: {
    type: 'gauge',
    help: 'StartTime represents time when the job was acknowledged by the Job Manager.',
  },

  container_cpu_usage_seconds_total: { type: 'counter', help: 'Cumulative cpu time consumed in seconds.' },
  container_memory_working_set_bytes: { type: 'gauge', help: 'Current working set in bytes.' },

  activator_request_count: { type: 'counter', help: 'Concurrent requests that are routed to Activator', integer: true },
  activator_request_latencies: { type: 'histogram', help: 'The response time in millisecond', integer: true },
  autoscaler_desired_pods: { type: 'gauge', help: 'Number of pods autoscaler wants to allocate' },
  autoscaler_requested_pods: { type: 'gauge', help: 'Number of pods autoscaler requested from Kubernetes' },
  autoscaler_actual_pods: { type: 'gauge', help: 'Number of pods that are allocated currently' },
  autoscaler_stable_request_concurrency: {
    type: 'gauge',
    help: 'Average of requests count per observed pod over the stable window',
  },
  revision_request_count: {
    type: 'counter',
    help: 'The number of requests that are routed to queue-proxy',
    integer: true,
  },
  revision_request_latencies: { type: 'histogram', help: 'The response time in millisecond', integer: true },

  argo_workflows_count: {
    type: 'gauge',
    help: 'Number of Workflows currently accessible by the controller by status (refreshed every 15s)',
  },
  argo_workflows_pods_count: {
    type: 'gauge',
    help: 'Number of Pods from Workflows currently accessible by the controller by status (refreshed every 15s)',
  },

  node_cpu_hourly_cost: { type: 'gauge', help: 'node_cpu_hourly_cost hourly cost for each cpu on this node' },
  node_ram_hourly_cost: { type: 'gauge', help: 'node_ram_hourly_cost hourly cost for each gb of ram on this node' },
  node_gpu_hourly_cost: { type: 'gauge', help: 'node_gpu_hourly_cost hourly cost for each gpu on this node' },
  node_gpu_count: { type: 'gauge', help: 'node_gpu_count count of gpu on this node' },
  node_total_hourly_cost: { type: 'gauge', help: 'node_total_hourly_cost Total node cost per hour' },
};

export function familyMeta(family: string): FamilyMeta {
  const meta = catalog[family];
  if (!meta) throw new Error(`metric family ${family} is not in the catalog`);
  return meta;
}
