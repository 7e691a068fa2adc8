import { describe, expect, it } from 'vitest';
import type { OpenMetricsSeries } from '@/server/prometheus/testing/prometheus-process';
import { rateWindow } from '@/server/prometheus/query-builder';
import { LastGood } from './last-good';
import { defaultPanelDeps } from './run-panel';
import { latencyBuckets, plainCluster, sampleTimes, scrapeIntervalSeconds } from './testing/fixture';
import { prometheusPerFile } from './testing/prometheus-env';
import type { RangePanelData, RangePanelResponse } from './types';
import { workloadMetrics, type WorkloadMetricsRequest } from './workload-panels';
import { workloadPodPattern } from './workload-sources';

const nowSeconds = Math.floor(Date.now() / 1000 / scrapeIntervalSeconds) * scrapeIntervalSeconds;
const spacing = { spanSeconds: 2 * 3600, sparseSeconds: 600 };

/** chat-llm (vLLM, 2 pods at 3 and 1 req/s), its Knative twin chat-llm-serverless (must not leak in), and embedder (HTTP). */
function series(): OpenMetricsSeries[] {
  const times = sampleTimes(nowSeconds, spacing);
  const counter = (perSecond: number) =>
    times.map((t): [number, number] => [t, Math.round((t - times[0]!) * perSecond)]);
  const out: OpenMetricsSeries[] = [];
  const vllmPods: [string, number, (le: string) => number][] = [
    ['chat-llm-7d9f8c6b5-aaaaa', 3, (le) => latencyBuckets.find((b) => b[0] === le)![1]],
    ['chat-llm-7d9f8c6b5-bbbbb', 1, (le) => (le === '0.5' ? 0.9 : 1)],
    ['chat-llm-serverless-00001-deployment-5c8d7f9b4-ccccc', 50, () => 1],
  ];
  for (const [pod, rps, share] of vllmPods) {
    const labels = { cluster: plainCluster, namespace: 'llm-serving', pod, container: 'vllm', model_name: 'llama' };
    for (const [le] of latencyBuckets)
      out.push({
        name: 'vllm:e2e_request_latency_seconds_bucket',
        labels: { ...labels, le },
        samples: counter(rps * share(le)),
      });
    out.push({
      name: 'vllm:request_success_total',
      labels: { ...labels, finished_reason: 'stop' },
      samples: counter(rps),
    });
    out.push({
      name: 'vllm:num_requests_waiting',
      labels,
      samples: times.map((t) => [t, pod.endsWith('aaaaa') ? 4 : 1]),
    });
  }
  const http = { cluster: plainCluster, namespace: 'search', pod: 'embedder-6f7c9d8b5-qwert', http_route: '/embed' };
  out.push({
    name: 'http_server_request_duration_seconds_count',
    labels: { ...http, http_response_status_code: '200' },
    samples: counter(8),
  });
  out.push({
    name: 'http_server_request_duration_seconds_count',
    labels: { ...http, http_response_status_code: '500' },
    samples: counter(2),
  });
  for (const [le, share] of latencyBuckets) {
    out.push({
      name: 'http_server_request_duration_seconds_bucket',
      labels: { ...http, http_response_status_code: '200', le },
      samples: counter(8 * share),
    });
  }
  return out;
}

const env = prometheusPerFile(series);

const lastHour = { from: 'now-1h', to: 'now' };

function metricsOf(
  target: Omit<WorkloadMetricsRequest, 'cluster' | 'range' | 'pointsWanted'>,
): ReturnType<typeof workloadMetrics> {
  return workloadMetrics(
    { cluster: plainCluster, range: lastHour, pointsWanted: 60, ...target },
    undefined,
    defaultPanelDeps(),
    new LastGood(),
  );
}

function ok(response: RangePanelResponse): RangePanelData {
  if (response.status !== 'ok') throw new Error(`panel answered ${response.status}: ${JSON.stringify(response)}`);
  return response;
}

function valuesOf(panel: RangePanelData, queryId: string): (number | null)[] {
  const found = panel.series.filter((s) => s.queryId === queryId);
  expect(found).toHaveLength(1);
  return found[0]!.v;
}

describe('workload panels against a real Prometheus', () => {
  it('p95 equals histogram_quantile asked directly over the same pods, range and step', async () => {
    const latency = ok((await metricsOf({ namespace: 'llm-serving', kind: 'Deployment', name: 'chat-llm' })).latency);
    const window = rateWindow(scrapeIntervalSeconds, latency.stepSeconds);
    const promql = `histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{cluster="${plainCluster}",namespace="llm-serving",pod=~"chat-llm-[a-z0-9]{1,10}-[a-z0-9]{5}"}[${window}s])))`;
    const result = await env.direct.queryRange(promql, {
      startSeconds: latency.startMs / 1000,
      endSeconds: latency.endMs / 1000,
      stepSeconds: latency.stepSeconds,
    });
    expect(result.result).toHaveLength(1);
    const expected = result.result[0]!.values.map(([, v]) => v);
    const actual = valuesOf(latency, 'p95');
    expect(actual.length).toBeGreaterThan(10);
    expect(actual).toHaveLength(expected.length);
    actual.forEach((value, i) =>
      expect(Math.abs(value! - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * 1e-6),
    );
    // Hand check: 4 req/s in all; 95 % = 3.8 req/s. Cumulative ≤2.5 s: 3×0.8 + 1 = 3.4; ≤5 s: 3×0.9 + 1 = 3.7;
    // ≤10 s: 4. So p95 lies in (5, 10]: 5 + 5 × (3.8 − 3.7) / (4 − 3.7) = 6.67 s (± whole-count rounding).
    expect(Math.abs(actual.at(-1)! - 6.667)).toBeLessThan(0.15);
  });

  it('requests/s and queue count only the pods of that workload, not its Knative namesake', async () => {
    const panels = await metricsOf({ namespace: 'llm-serving', kind: 'Deployment', name: 'chat-llm' });
    // 3 + 1 req/s; chat-llm-serverless's 50 req/s must not leak in.
    expect(valuesOf(ok(panels.requests), 'rps').at(-1)).toBeCloseTo(4, 1);
    // Waiting: 4 + 1.
    expect(valuesOf(ok(panels.queue), 'waiting').at(-1)).toBe(5);
    // vLLM finished nothing with reason "abort": 0 errors/s, not a missing panel.
    expect(valuesOf(ok(panels.errors), 'errors').at(-1)).toBe(0);
    expect(panels.gpu.status).toBe('missing');
  });

  it('an HTTP server gets its rate, 5xx errors and latency from the OpenTelemetry histogram, and no queue panel', async () => {
    const panels = await metricsOf({ namespace: 'search', kind: 'Deployment', name: 'embedder' });
    expect(valuesOf(ok(panels.requests), 'rps').at(-1)).toBeCloseTo(10, 1);
    expect(valuesOf(ok(panels.errors), 'errors').at(-1)).toBeCloseTo(2, 1);
    expect(
      ok(panels.latency)
        .queries.map((q) => q.promql)
        .join('\n'),
    ).toContain('http_server_request_duration_seconds_bucket');
    const queue = panels.queue;
    expect(queue.status === 'missing' && queue.description).toMatch(/Not an LLM server/);
  });

  it('matches the pods a Knative revision generates, and only those', () => {
    const knative = new RegExp(
      `^${workloadPodPattern({ namespace: 'x', kind: 'KnativeService', name: 'chat-llm-serverless' })}$`,
    );
    const deployment = new RegExp(`^${workloadPodPattern({ namespace: 'x', kind: 'Deployment', name: 'chat-llm' })}$`);
    expect(knative.test('chat-llm-serverless-00001-deployment-5c8d7f9b4-ccccc')).toBe(true);
    expect(deployment.test('chat-llm-serverless-00001-deployment-5c8d7f9b4-ccccc')).toBe(false);
    expect(deployment.test('chat-llm-7d9f8c6b5-aaaaa')).toBe(true);
  });
});
