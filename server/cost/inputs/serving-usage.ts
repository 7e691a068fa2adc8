import 'server-only';
// Requests and tokens each serving pod answered, hour by hour, whatever it runs: vLLM, TGI, Triton,
// Knative's queue-proxy or plain HTTP metrics (OpenTelemetry or the classic http_requests_total).
// A pod counts from ONE source, the most specific it exports (a vLLM pod also exports
// http_requests_total through its web framework; counting both would double its requests). The
// allocation job stores these beside the pod's cost, so cost per request and per 1M tokens is a
// division over the same rows.
import type { PrometheusClient } from '@/server/prometheus/client';
import { increase, selector, sum, type LabelMatcher, type PromQl } from '@/server/prometheus/query-builder';

export type ServingServer = 'vllm' | 'tgi' | 'triton' | 'knative' | 'http-otel' | 'http';

interface ServingSource {
  server: ServingServer;
  requests: string;
  promptTokens?: string;
  generatedTokens?: string;
}

/** Most specific first; a pod takes the first source that has its requests. */
export const servingSources: readonly ServingSource[] = [
  {
    server: 'vllm',
    requests: 'vllm:request_success_total',
    promptTokens: 'vllm:prompt_tokens_total',
    generatedTokens: 'vllm:generation_tokens_total',
  },
  {
    server: 'tgi',
    requests: 'tgi_request_success',
    promptTokens: 'tgi_request_input_length_sum',
    generatedTokens: 'tgi_request_generated_tokens_sum',
  },
  { server: 'triton', requests: 'nv_inference_request_success' },
  { server: 'knative', requests: 'revision_app_request_count' },
  { server: 'http-otel', requests: 'http_server_request_duration_seconds_count' },
  { server: 'http', requests: 'http_requests_total' },
];

export interface PodServingHour {
  namespace: string;
  pod: string;
  /** The hour's start (ms). */
  hourStartMs: number;
  server: ServingServer;
  requests: number;
  /** Null when the server does not count tokens. */
  promptTokens: number | null;
  generatedTokens: number | null;
}

const HOUR_SECONDS = 3600;

export interface ServingWindow {
  /** Whole hours: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** The cluster label's matcher, or none for a Prometheus of one cluster. */
  clusterMatchers: LabelMatcher[];
}

/** `sum by (namespace, pod) (increase(metric[1h]))`, evaluated at each hour's end. */
function hourlyIncrease(metric: string, matchers: LabelMatcher[]): PromQl {
  return sum(increase(selector(metric, matchers), HOUR_SECONDS), { by: ['namespace', 'pod'] });
}

type ByPodHour = Map<string, number>;
const key = (namespace: string, pod: string, hourStartMs: number): string =>
  `${namespace}\u0000${pod}\u0000${hourStartMs}`;

async function podHourly(client: PrometheusClient, metric: string, window: ServingWindow): Promise<ByPodHour> {
  const answer = await client.queryRange(hourlyIncrease(metric, window.clusterMatchers), {
    // Evaluated at each hour's end: the point at t holds the increase over (t − 1 h, t].
    startSeconds: window.fromMs / 1000 + HOUR_SECONDS,
    endSeconds: window.toMs / 1000,
    stepSeconds: HOUR_SECONDS,
  });
  const values: ByPodHour = new Map();
  for (const series of answer.result) {
    const { namespace, pod } = series.metric;
    if (!namespace || !pod) continue;
    for (const [timeSeconds, value] of series.values) {
      const count = Number(value);
      if (Number.isFinite(count)) values.set(key(namespace, pod, timeSeconds * 1000 - HOUR_SECONDS * 1000), count);
    }
  }
  return values;
}

/** Every serving pod-hour in the window with its requests and, where counted, its tokens. */
export async function servingUsageByPodHour(
  client: PrometheusClient,
  window: ServingWindow,
): Promise<PodServingHour[]> {
  if (window.toMs - window.fromMs < HOUR_SECONDS * 1000) return [];
  const rows = new Map<string, PodServingHour>();
  // Pods already counted by a more specific source, whatever the hour.
  const claimedPods = new Set<string>();
  for (const source of servingSources) {
    const [requests, prompt, generated] = await Promise.all([
      podHourly(client, source.requests, window),
      source.promptTokens ? podHourly(client, source.promptTokens, window) : undefined,
      source.generatedTokens ? podHourly(client, source.generatedTokens, window) : undefined,
    ]);
    const podsOfSource = new Set<string>();
    for (const [id, count] of requests) {
      const [namespace, pod, hour] = id.split('\u0000') as [string, string, string];
      const podId = `${namespace}\u0000${pod}`;
      if (claimedPods.has(podId)) continue;
      podsOfSource.add(podId);
      rows.set(id, {
        namespace,
        pod,
        hourStartMs: Number(hour),
        server: source.server,
        requests: count,
        promptTokens: prompt ? (prompt.get(id) ?? 0) : null,
        generatedTokens: generated ? (generated.get(id) ?? 0) : null,
      });
    }
    for (const podId of podsOfSource) claimedPods.add(podId);
  }
  return [...rows.values()].sort(
    (a, b) => a.hourStartMs - b.hourStartMs || a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod),
  );
}
