import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusClient } from '@/server/prometheus/client';
import { eq } from '@/server/prometheus/query-builder';
import {
  openMetricsText,
  startPrometheus,
  type OpenMetricsSeries,
  type PrometheusProcess,
} from '@/server/prometheus/testing/prometheus-process';
import { servingUsageByPodHour } from './serving-usage';

// Three whole hours of 15-second samples, ending an hour before the last whole hour.
const HOUR = 3600;
const base = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 4 * HOUR;
const times = Array.from({ length: (3 * HOUR) / 15 + 1 }, (_, i) => base + i * 15);

/** A counter growing `perSecond` from 0 at `base`; `resetAt` drops it to 0 there and it grows again. */
function counter(name: string, labels: Record<string, string>, perSecond: number, resetAt?: number): OpenMetricsSeries {
  return {
    name,
    labels: { cluster: 'c1', ...labels },
    samples: times.map((t) => [t, perSecond * (resetAt !== undefined && t >= resetAt ? t - resetAt : t - base)]),
  };
}

const chat = { namespace: 'llm', pod: 'chat-0' };
const tgi = { namespace: 'llm', pod: 'tgi-0' };
const gateway = { namespace: 'edge', pod: 'gw-0' };
const reranker = { namespace: 'search', pod: 'rr-0' };
const resetAt = base + HOUR + 1800;

const series: OpenMetricsSeries[] = [
  counter('vllm:request_success_total', { ...chat, finished_reason: 'stop' }, 2),
  counter('vllm:prompt_tokens_total', chat, 1000),
  counter('vllm:generation_tokens_total', chat, 400),
  // The same requests again through the web framework: must not count twice.
  counter('http_requests_total', chat, 2),
  counter('tgi_request_success', tgi, 1),
  counter('tgi_request_input_length_sum', tgi, 300),
  counter('tgi_request_generated_tokens_sum', tgi, 100),
  counter('http_requests_total', gateway, 5, resetAt),
  counter('http_server_request_duration_seconds_count', reranker, 3),
  counter('http_requests_total', reranker, 3),
  // Another cluster's pod is not this cluster's.
  {
    ...counter('http_requests_total', { namespace: 'edge', pod: 'gw-9' }, 7),
    labels: { cluster: 'c2', namespace: 'edge', pod: 'gw-9' },
  },
];

describe('servingUsageByPodHour (real Prometheus)', () => {
  let prometheus: PrometheusProcess;
  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: openMetricsText(series) });
  }, 120_000);
  afterAll(async () => prometheus?.close());

  it('counts each pod from its most specific source, hour by hour, resets included', async () => {
    const client = prometheusClient(prometheus.url);
    const rows = await servingUsageByPodHour(client, {
      fromMs: base * 1000,
      toMs: (base + 3 * HOUR) * 1000,
      clusterMatchers: [eq('cluster', 'c1')],
    });
    const at = (pod: string, hour: number) =>
      rows.find((r) => r.pod === pod && r.hourStartMs === (base + hour * HOUR) * 1000);
    expect(rows).toHaveLength(4 * 3);
    expect(rows.some((r) => r.pod === 'gw-9')).toBe(false);
    for (const hour of [0, 1, 2]) {
      // 2 req/s × 3600 s; tokens 1000 and 400 per second.
      expect(at('chat-0', hour)).toMatchObject({
        server: 'vllm',
        requests: 7200,
        promptTokens: 3_600_000,
        generatedTokens: 1_440_000,
      });
      expect(at('tgi-0', hour)).toMatchObject({
        server: 'tgi',
        requests: 3600,
        promptTokens: 1_080_000,
        generatedTokens: 360_000,
      });
      expect(at('rr-0', hour)).toMatchObject({ server: 'http-otel', requests: 10_800, promptTokens: null });
    }
    expect(at('gw-0', 0)).toMatchObject({ server: 'http', requests: 18_000 });
    // The reset at 1:30 loses the 15 s before it (the counter's new value counts from 0): 18,000 − 5 × 15.
    expect(at('gw-0', 1)!.requests).toBeCloseTo(17_925, 6);
    expect(at('gw-0', 2)!.requests).toBeCloseTo(18_000, 6);
  }, 60_000);

  it('answers nothing for a window shorter than an hour', async () => {
    const client = prometheusClient(prometheus.url);
    expect(
      await servingUsageByPodHour(client, { fromMs: base * 1000, toMs: base * 1000 + 60_000, clusterMatchers: [] }),
    ).toEqual([]);
  });
});
