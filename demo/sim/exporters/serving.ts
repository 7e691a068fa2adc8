import type { ClusterSpec, ServingWorkload } from '../../topology.ts';
import type { ClusterActivity } from '../activity.ts';
import type { ClusterState, SimPod } from '../cluster-state.ts';
import { meanSeconds, shareAtOrBelow, type WorkloadLoad } from '../latency.ts';
import type { SampleSink } from '../samples.ts';

// Ten-ish buckets per histogram keep the backfill small; bounds follow each server's defaults.
export const vllmLatencyBuckets = [0.5, 1, 2, 3, 5, 8, 12, 20, 40, 60, Infinity] as const;
export const vllmTtftBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 40, Infinity] as const;
export const httpDurationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Infinity] as const;
export const knativeLatencyBucketsMs = [10, 50, 100, 500, 1000, 2500, 5000, 10000, 30000, Infinity] as const;

const httpErrorShare = 0.002;

export function servingSamples(
  spec: ClusterSpec,
  state: ClusterState,
  activity: ClusterActivity,
  knativeDesired: Map<string, number>,
  sink: SampleSink,
): void {
  // Ready pods of every workload in one pass (a large cluster has ~30,000 pods).
  const readyOf = new Map<ServingWorkload, SimPod[]>();
  for (const p of state.pods) {
    if (p.role.kind === 'serving' && p.phase === 'Running' && p.ready)
      readyOf.set(p.role.workload, [...(readyOf.get(p.role.workload) ?? []), p]);
  }
  for (const w of spec.serving) {
    const load = activity.loads.get(w);
    if (!load) continue;
    const ready = readyOf.get(w) ?? [];
    const perPod = ready.length > 0 ? 1 / ready.length : 0;
    for (const pod of ready) {
      if (w.server === 'vllm') vllmSamples(w, pod, load, perPod, sink);
      else httpSamples(w, pod, load, perPod, sink);
    }
    if (w.kind === 'KnativeService')
      knativeSamples(w, ready, load, knativeDesired.get(`${w.namespace}/${w.name}`) ?? 0, sink);
  }
}

function podLabels(pod: SimPod): Record<string, string> {
  return { namespace: pod.namespace, pod: pod.name, container: pod.containerName };
}

function vllmSamples(w: ServingWorkload, pod: SimPod, load: WorkloadLoad, share: number, sink: SampleSink): void {
  const labels = { ...podLabels(pod), model_name: w.model ?? w.name };
  const rps = load.rps * share;
  sink.counter('vllm', 'vllm:request_success_total', { ...labels, finished_reason: 'stop' }, rps);
  sink.counter('vllm', 'vllm:prompt_tokens_total', labels, rps * (w.avgPromptTokens ?? 0));
  sink.counter('vllm', 'vllm:generation_tokens_total', labels, rps * (w.avgGenerationTokens ?? 0));
  sink.gauge('vllm', 'vllm:num_requests_running', labels, Math.round(load.running * share));
  sink.gauge('vllm', 'vllm:num_requests_waiting', labels, Math.round(load.waiting * share));
  sink.gauge(
    'vllm',
    'vllm:gpu_cache_usage_perc',
    labels,
    Math.round(Math.min(0.98, 0.04 + 0.6 * Math.min(load.utilisation, 1.5)) * 1000) / 1000,
  );
  sink.histogram(
    'vllm',
    'vllm:e2e_request_latency_seconds',
    labels,
    rps,
    vllmLatencyBuckets,
    (le) => shareAtOrBelow(le, load.p50Seconds),
    meanSeconds(load.p50Seconds),
  );
  sink.histogram(
    'vllm',
    'vllm:time_to_first_token_seconds',
    labels,
    rps,
    vllmTtftBuckets,
    (le) => shareAtOrBelow(le, load.ttftP50Seconds),
    meanSeconds(load.ttftP50Seconds),
  );
}

/** OpenTelemetry HTTP semantic conventions, exported through the Prometheus exporter. */
function httpSamples(w: ServingWorkload, pod: SimPod, load: WorkloadLoad, share: number, sink: SampleSink): void {
  const rps = load.rps * share;
  const route = w.route ?? '/';
  const base = { ...podLabels(pod), service_name: w.name, http_request_method: 'POST', http_route: route };
  for (const [status, statusShare] of [
    ['200', 1 - httpErrorShare],
    ['500', httpErrorShare],
  ] as const) {
    const labels = { ...base, http_response_status_code: status };
    sink.counter('http', 'http_requests_total', labels, rps * statusShare);
    sink.histogram(
      'http',
      'http_server_request_duration_seconds',
      labels,
      rps * statusShare,
      httpDurationBuckets,
      (le) => shareAtOrBelow(le, load.p50Seconds),
      meanSeconds(load.p50Seconds),
    );
  }
}

/** Knative Serving 1.15: activator and autoscaler metrics with OpenCensus-era names. */
function knativeSamples(
  w: ServingWorkload,
  ready: SimPod[],
  load: WorkloadLoad,
  desired: number,
  sink: SampleSink,
): void {
  const revision = `${w.name}-00001`;
  const ids = {
    namespace_name: w.namespace,
    service_name: w.name,
    configuration_name: w.name,
    revision_name: revision,
  };
  sink.gauge('knative', 'autoscaler_desired_pods', ids, desired);
  sink.gauge('knative', 'autoscaler_requested_pods', ids, desired);
  sink.gauge('knative', 'autoscaler_actual_pods', ids, ready.length);
  sink.gauge(
    'knative',
    'autoscaler_stable_request_concurrency',
    ids,
    Math.round(load.rps * load.p50Seconds * 100) / 100,
  );
  // With no ready replica every request waits in the activator; otherwise it sees the burst share.
  const viaActivator = ready.length === 0 ? load.rps : load.rps * 0.1;
  const response = { response_code: '200', response_code_class: '2xx' };
  sink.counter('knative', 'activator_request_count', { ...ids, ...response }, viaActivator);
  sink.histogram(
    'knative',
    'activator_request_latencies',
    { ...ids, ...response },
    viaActivator,
    knativeLatencyBucketsMs,
    (le) => shareAtOrBelow(le / 1000, load.p50Seconds),
    meanSeconds(load.p50Seconds) * 1000,
  );
  for (const pod of ready) {
    const labels = { ...ids, ...response, pod_name: pod.name, container_name: 'queue-proxy' };
    const rps = load.rps / ready.length;
    sink.counter('knative', 'revision_request_count', labels, rps);
    sink.histogram(
      'knative',
      'revision_request_latencies',
      labels,
      rps,
      knativeLatencyBucketsMs,
      (le) => shareAtOrBelow(le / 1000, load.p50Seconds),
      meanSeconds(load.p50Seconds) * 1000,
    );
  }
}
