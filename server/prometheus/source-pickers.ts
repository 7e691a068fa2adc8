import 'server-only';
import {
  dcgmMetrics,
  httpMetrics,
  keplerTotalMetric,
  knativeOtelInvocationBucket,
  knativeOtelInvocationCount,
  openCostMetrics,
  type ExporterDiscovery,
  type FamilyDiscovery,
  type LabelVariants,
} from './discovery';

export type SourceUnit =
  | 'ratio'
  | 'percent'
  | 'mebibytes'
  | 'watts'
  | 'joules'
  | 'millijoules'
  | 'requests'
  | 'seconds'
  | 'milliseconds'
  | 'usd-per-hour';

export interface AvailableSource {
  kind: 'available';
  /** The metric to query (for histograms: the `_bucket` or `_count` series). */
  metric: string;
  unit: SourceUnit;
  /** Shown next to the figure: where it came from and its caveats. */
  description: string;
  /** Counters whose sum makes the figure, when one metric is not enough (Kepler components). */
  components?: string[];
  labels: LabelVariants;
}

export interface MissingSource {
  kind: 'missing';
  /** Any one of these metrics would do. */
  needed: string[];
  description: string;
  howTo: string;
}

export type MetricSource = AvailableSource | MissingSource;

function available(
  family: FamilyDiscovery,
  metric: string,
  unit: SourceUnit,
  description: string,
  components?: string[],
): AvailableSource | null {
  if (!family.metrics.includes(metric)) return null;
  return { kind: 'available', metric, unit, description, labels: family.labels, ...(components ? { components } : {}) };
}

const dcgmHowTo =
  'Deploy NVIDIA dcgm-exporter (it ships with the GPU Operator) and let Prometheus scrape it; ' +
  'enable the DCGM_FI_PROF_* counters in its metrics CSV for the most accurate utilisation.';

/** GPU busy fraction: PROF_GR_ENGINE_ACTIVE > PROF_SM_ACTIVE (ratios) > DEV_GPU_UTIL (percent, coarser). */
export function pickGpuUtilSource(discovery: ExporterDiscovery): MetricSource {
  const { dcgm } = discovery;
  return (
    available(dcgm, dcgmMetrics.grEngineActive, 'ratio', 'DCGM graphics engine active time (0–1), profiling counter') ??
    available(
      dcgm,
      dcgmMetrics.smActive,
      'ratio',
      'DCGM streaming multiprocessor active time (0–1), profiling counter',
    ) ??
    available(
      dcgm,
      dcgmMetrics.gpuUtil,
      'percent',
      'DCGM GPU utilisation (%): time any kernel ran, so a lightly used GPU can read 100 %',
    ) ?? {
      kind: 'missing',
      needed: [dcgmMetrics.grEngineActive, dcgmMetrics.smActive, dcgmMetrics.gpuUtil],
      description: 'No GPU utilisation metric found',
      howTo: dcgmHowTo,
    }
  );
}

export function pickGpuMemorySource(discovery: ExporterDiscovery): MetricSource {
  const withFree = discovery.dcgm.metrics.includes(dcgmMetrics.fbFree);
  return (
    available(
      discovery.dcgm,
      dcgmMetrics.fbUsed,
      'mebibytes',
      withFree ? 'DCGM framebuffer used (MiB); capacity = used + free' : 'DCGM framebuffer used (MiB)',
    ) ?? { kind: 'missing', needed: [dcgmMetrics.fbUsed], description: 'No GPU memory metric found', howTo: dcgmHowTo }
  );
}

export function pickGpuPowerSource(discovery: ExporterDiscovery): MetricSource {
  return (
    available(discovery.dcgm, dcgmMetrics.power, 'watts', 'DCGM board power draw (W)') ?? {
      kind: 'missing',
      needed: [dcgmMetrics.power],
      description: 'No GPU power metric found',
      howTo: dcgmHowTo,
    }
  );
}

/** GPU energy: the DCGM energy counter (mJ) > power (W) integrated over time. */
export function pickGpuEnergySource(discovery: ExporterDiscovery): MetricSource {
  return (
    available(
      discovery.dcgm,
      dcgmMetrics.totalEnergy,
      'millijoules',
      'DCGM energy counter since boot (mJ, ÷ 1000 for J)',
    ) ??
    available(
      discovery.dcgm,
      dcgmMetrics.power,
      'watts',
      'DCGM power (W) integrated over time: an estimate, sampled at the scrape interval',
    ) ?? {
      kind: 'missing',
      needed: [dcgmMetrics.totalEnergy, dcgmMetrics.power],
      description: 'No GPU energy or power metric found',
      howTo: dcgmHowTo,
    }
  );
}

/** CPU and memory energy per container from Kepler; its GPU component is left out (DCGM counts GPUs). */
export function pickWorkloadEnergySource(discovery: ExporterDiscovery): MetricSource {
  const { kepler } = discovery;
  const howTo = 'Deploy Kepler (sustainable-computing-io/kepler) and let Prometheus scrape it.';
  if (kepler.variant === 'per-component') {
    const components = kepler.metrics.filter(
      (m) => m !== keplerTotalMetric && m !== 'kepler_container_gpu_joules_total',
    );
    const first = components[0];
    if (first) {
      return {
        kind: 'available',
        metric: first,
        unit: 'joules',
        description: `Kepler per-component counters (J): ${components.join(' + ')}`,
        components,
        labels: kepler.labels,
      };
    }
  }
  return (
    available(
      kepler,
      keplerTotalMetric,
      'joules',
      'Kepler container energy (J, older releases; includes GPU when Kepler sees it)',
    ) ?? {
      kind: 'missing',
      needed: [keplerTotalMetric, 'kepler_container_cpu_joules_total'],
      description: 'No Kepler energy counters found; CPU and memory energy will be estimated from utilisation',
      howTo,
    }
  );
}

/** Request counter: vLLM > OpenTelemetry HTTP histogram count > http_requests_total > Knative. */
export function pickRequestSource(discovery: ExporterDiscovery): MetricSource {
  const { vllm, http, knative } = discovery;
  return (
    available(vllm, 'vllm:request_success_total', 'requests', 'vLLM finished requests (counter)') ??
    available(http, httpMetrics.otelDurationCount, 'requests', 'OpenTelemetry http.server.request.duration count') ??
    available(http, httpMetrics.legacyRequests, 'requests', 'http_requests_total (counter)') ??
    available(knative, knativeOtelInvocationCount, 'requests', 'Knative 1.19+ queue-proxy invocations') ??
    available(knative, 'revision_app_request_count', 'requests', 'Knative (before 1.19) requests reaching the app') ??
    available(knative, 'revision_request_count', 'requests', 'Knative (before 1.19) requests reaching queue-proxy') ?? {
      kind: 'missing',
      needed: ['vllm:request_success_total', httpMetrics.otelDurationCount, httpMetrics.legacyRequests],
      description: 'No request counter found',
      howTo:
        'Expose request metrics from the server: vLLM does by default; otherwise OpenTelemetry HTTP server metrics or http_requests_total.',
    }
  );
}

/** Latency histogram buckets, same order as requests; Knative before 1.19 reports milliseconds. */
export function pickLatencySource(discovery: ExporterDiscovery): MetricSource {
  const { vllm, http, knative } = discovery;
  return (
    available(vllm, 'vllm:e2e_request_latency_seconds_bucket', 'seconds', 'vLLM end-to-end request latency') ??
    available(http, httpMetrics.otelDurationBucket, 'seconds', 'OpenTelemetry http.server.request.duration') ??
    available(knative, knativeOtelInvocationBucket, 'seconds', 'Knative 1.19+ queue-proxy invocation duration') ??
    available(
      knative,
      'revision_app_request_latencies_bucket',
      'milliseconds',
      'Knative (before 1.19) app latency (ms)',
    ) ?? {
      kind: 'missing',
      needed: ['vllm:e2e_request_latency_seconds_bucket', httpMetrics.otelDurationBucket],
      description: 'No latency histogram found',
      howTo: 'Expose a request duration histogram (vLLM does by default; OpenTelemetry HTTP server metrics otherwise).',
    }
  );
}

/** Node prices from OpenCost; the billing export is preferred when imported (see DESIGN, cost model). */
export function pickNodePriceSource(discovery: ExporterDiscovery): MetricSource {
  return (
    available(
      discovery.openCost,
      'node_total_hourly_cost',
      'usd-per-hour',
      'OpenCost node price (list price, USD/h)',
    ) ?? {
      kind: 'missing',
      needed: [...openCostMetrics],
      description: 'No OpenCost price metrics found',
      howTo: 'Import the billing export (FOCUS), run OpenCost, or enter a price sheet in settings.',
    }
  );
}
