// What the large profile keeps, and for how long. 30,000 pods × ~13 series × 30 days at a 1-minute
// step would be ~17 billion samples; a real platform of this size keeps per-pod detail for hours and
// downsampled cost-level series for weeks (as Thanos or Mimir do). Here:
// - the last 15 minutes: every series of every pod, at the 60 s scrape interval;
// - the last 6 hours: the series the Overview, GPUs and Serving pages read, for the pods that
//   hold GPUs or serve requests (CPU workers' and DaemonSet pods' series start 15 minutes ago), at 2 min;
// - 30 days: the series cost, energy and GPU use are computed from, for those pods, hourly then
//   every 2 hours past a day.
import type { SimPod } from '../sim/cluster-state.ts';
import type { MetricFilter } from '../sim/samples.ts';
import type { HistoryTier } from './index.ts';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

/** kube-state-metrics `--metric-denylist` and Kepler without its per-component counters. */
const liveDenied = new Set([
  'kube_pod_status_ready',
  'kepler_container_package_joules_total',
  'kepler_container_dram_joules_total',
  'kepler_container_gpu_joules_total',
]);
export const largeLiveFilter: MetricFilter = (family) => !liveDenied.has(family);

/** What cost, energy and GPU-use views over weeks read. */
const costFamilies = new Set([
  'node_cpu_hourly_cost',
  'node_ram_hourly_cost',
  'node_gpu_hourly_cost',
  'node_total_hourly_cost',
  'node_gpu_count',
  'kube_node_labels',
  'kube_node_info',
  'kube_pod_info',
  'kube_pod_owner',
  'kube_pod_labels',
  'kube_pod_container_resource_requests',
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  'DCGM_FI_DEV_POWER_USAGE',
  'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
  'vllm:request_success_total',
  'vllm:generation_tokens_total',
  'vllm:prompt_tokens_total',
  'http_requests_total',
  'kepler_container_joules_total',
]);
const costFilter: MetricFilter = (family) => costFamilies.has(family);

/** Pods that hold a GPU or serve requests Burnrate reads: ~1,400 of the ~30,000. */
const gpuOrServing = (pod: SimPod): boolean => pod.gpuRequest > 0 || pod.role.kind === 'serving';

export const largeHistoryTiers: HistoryTier[] = [
  { fromAgoMs: 30 * 24 * hourMs, stepMs: 2 * hourMs, chunkMs: 2 * 24 * hourMs, keep: costFilter, pods: gpuOrServing },
  { fromAgoMs: 24 * hourMs, stepMs: hourMs / 4, keep: costFilter, pods: gpuOrServing },
  { fromAgoMs: 6 * hourMs, stepMs: 2 * minuteMs, chunkMs: hourMs, keep: largeLiveFilter, pods: gpuOrServing },
  { fromAgoMs: 15 * minuteMs, stepMs: minuteMs, chunkMs: 5 * minuteMs, keep: largeLiveFilter },
];
