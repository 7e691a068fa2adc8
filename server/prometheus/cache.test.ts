import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPanelQueryRunner } from './panel-query';
import { eq, selector } from './query-builder';
import { startCountingProxy, type CountingProxy } from './testing/counting-proxy';
import { openMetricsText, startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

// The runner's answer cache (lru-cache, short TTL) and in-flight coalescing, counted at a proxy in
// front of a real Prometheus.

const scrapeIntervalSeconds = 60;
const nowSeconds = Math.floor(Date.now() / 1000 / 60) * 60;
const sampleTimes = Array.from({ length: 24 * 60 + 1 }, (_, i) => nowSeconds - 86_400 + i * 60);

let prometheus: PrometheusProcess;
let proxy: CountingProxy;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetrics: openMetricsText([
      {
        name: 'gpu_util',
        labels: { pod: 'a' },
        samples: sampleTimes.map((t, i): [number, number] => [t, 10 + Math.sin(i / 100)]),
      },
    ]),
  });
  proxy = await startCountingProxy(prometheus.url);
});

afterAll(async () => {
  await proxy?.close();
  await prometheus?.close();
});

describe('coalescing and caching through a counting proxy', () => {
  const rangeInput = (prometheusUrl: string, signal?: AbortSignal) => ({
    prometheusUrl,
    query: selector('gpu_util', [eq('pod', 'a')]),
    startMs: (nowSeconds - 6 * 3600) * 1000,
    endMs: nowSeconds * 1000,
    pointsWanted: 360,
    scrapeIntervalSeconds,
    signal,
  });

  it('sends 100 concurrent identical panel queries upstream once and gives all callers the result', async () => {
    const runner = createPanelQueryRunner();
    const before = proxy.total('/api/v1/query_range');
    const results = await Promise.all(Array.from({ length: 100 }, () => runner.runRangePanel(rangeInput(proxy.url))));
    expect(proxy.total('/api/v1/query_range') - before).toBe(1);
    expect(results[0]?.series[0]?.points.length).toBe(361);
    for (const r of results) expect(r.series).toEqual(results[0]?.series);
  });

  it('serves repeats from the cache until the TTL passes', async () => {
    const clock = { nowMs: Date.now() };
    const runner = createPanelQueryRunner({ cacheTtlMs: 15_000, now: () => clock.nowMs });
    const before = proxy.total('/api/v1/query_range');
    await runner.runRangePanel(rangeInput(proxy.url));
    clock.nowMs += 14_000;
    await runner.runRangePanel(rangeInput(proxy.url));
    expect(proxy.total('/api/v1/query_range') - before).toBe(1);
    clock.nowMs += 2_000;
    await runner.runRangePanel(rangeInput(proxy.url));
    expect(proxy.total('/api/v1/query_range') - before).toBe(2);
  });

  it('keeps the shared request when one caller aborts, and aborts it when all callers do', async () => {
    const runner = createPanelQueryRunner();
    const before = proxy.total('/api/v1/query_range');
    proxy.hold();
    const leaving = new AbortController();
    const staying = runner.runRangePanel(rangeInput(proxy.url));
    const left = runner.runRangePanel(rangeInput(proxy.url, leaving.signal));
    leaving.abort(new Error('tab closed'));
    await expect(left).rejects.toThrow('tab closed');
    proxy.release();
    expect((await staying).series[0]?.points.length).toBe(361);
    expect(proxy.total('/api/v1/query_range') - before).toBe(1);
    expect(proxy.abandoned).toBe(0);

    proxy.hold();
    const first = new AbortController();
    const second = new AbortController();
    const input = { ...rangeInput(proxy.url), pointsWanted: 180 };
    const calls = [
      runner.runRangePanel({ ...input, signal: first.signal }),
      runner.runRangePanel({ ...input, signal: second.signal }),
    ];
    await waitFor(() => proxy.total('/api/v1/query_range') - before === 2);
    first.abort();
    second.abort();
    await Promise.allSettled(calls);
    await waitFor(() => proxy.abandoned === 1);
    proxy.release();
    expect(proxy.abandoned).toBe(1);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
