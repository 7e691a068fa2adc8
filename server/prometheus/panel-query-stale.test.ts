import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker';
import { PrometheusClient } from './client';
import { CircuitOpenError } from './errors';
import { createPanelQueryRunner, type RangePanelInput } from './panel-query';
import { eq, selector } from './query-builder';
import { openMetricsText, startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

const nowSeconds = Math.floor(Date.now() / 1000 / 60) * 60;
const times = Array.from({ length: 121 }, (_, i) => nowSeconds - 7200 + i * 60);

let prometheus: PrometheusProcess;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetrics: openMetricsText([
      { name: 'queue_depth', labels: { pod: 'a' }, samples: times.map((t, i): [number, number] => [t, i]) },
    ]),
  });
});

afterAll(async () => {
  await prometheus?.close();
});

describe('stale serving when the real Prometheus goes away and comes back', () => {
  it('serves the last result marked stale since the first failure, then fresh results after a restart', async () => {
    const clock = { nowMs: 1_800_000_000_000 };
    const breaker = new CircuitBreaker(prometheus.url, { failureThreshold: 2, cooldownMs: 10_000, now: () => clock.nowMs });
    const client = new PrometheusClient({ url: prometheus.url, breaker });
    // TTL 0 and no kept steps (the fake clock is past the data, so every step counts as settled):
    // every call asks the upstream, so each step below exercises the failure path.
    const runner = createPanelQueryRunner({ cacheTtlMs: 0, extentMaxAgeMs: 0, clientFor: () => client, now: () => clock.nowMs });
    const input: RangePanelInput = {
      prometheusUrl: prometheus.url,
      query: selector('queue_depth', [eq('pod', 'a')]),
      startMs: (nowSeconds - 3600) * 1000,
      endMs: nowSeconds * 1000,
      pointsWanted: 60,
      scrapeIntervalSeconds: 60,
    };

    const fresh = await runner.runRangePanel(input);
    expect(fresh.stale).toBeUndefined();
    expect(fresh.series[0]?.points).toHaveLength(61);

    await prometheus.stop();
    clock.nowMs += 1_000;
    const firstFailureMs = clock.nowMs;
    const staleOnce = await runner.runRangePanel(input);
    expect(staleOnce.stale).toMatchObject({
      stale: true,
      staleSinceMs: firstFailureMs,
      fetchedAtMs: firstFailureMs - 1_000,
      error: { kind: 'unreachable' },
    });
    expect(staleOnce.series).toEqual(fresh.series);

    clock.nowMs += 1_000;
    await runner.runRangePanel(input);
    expect(breaker.snapshot().state).toBe('open');
    clock.nowMs += 1_000;
    const whileOpen = await runner.runRangePanel(input);
    expect(whileOpen.stale).toMatchObject({ staleSinceMs: firstFailureMs, error: { kind: 'circuit-open' } });

    const neverFetched = runner.runRangePanel({ ...input, pointsWanted: 30 });
    await expect(neverFetched).rejects.toBeInstanceOf(CircuitOpenError);

    await prometheus.restart();
    clock.nowMs += 10_000;
    const recovered = await runner.runRangePanel(input);
    expect(recovered.stale).toBeUndefined();
    expect(recovered.series).toEqual(fresh.series);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', failingSinceMs: null });
  });
});
