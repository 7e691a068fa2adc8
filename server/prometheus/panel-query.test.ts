import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from './client';
import { createPanelQueryRunner } from './panel-query';
import { adminExploreQuery, eq, oneOf, rate, re, selector, sum } from './query-builder';
import { startCountingProxy, type CountingProxy } from './testing/counting-proxy';
import { openMetricsText, startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

const scrapeIntervalSeconds = 60;
const nowSeconds = Math.floor(Date.now() / 1000 / 60) * 60;
const thirtyDaysSeconds = 30 * 86_400;
const firstSampleSeconds = nowSeconds - thirtyDaysSeconds;
const sampleTimes = Array.from({ length: thirtyDaysSeconds / 60 + 1 }, (_, i) => firstSampleSeconds + i * 60);
const weird = 'gpu "0" \\ a.b\nx';

let prometheus: PrometheusProcess;
let proxy: CountingProxy;
let direct: PrometheusClient;

beforeAll(async () => {
  // 3 pods: gpu_util mean 10, 20, 30 (± a sine); a counter growing 2/s; one pod name full of specials.
  prometheus = await startPrometheus({
    openMetrics: openMetricsText([
      ...['a', 'b', 'c'].map((pod, k) => ({
        name: 'gpu_util',
        labels: { pod },
        samples: sampleTimes.map((t, i): [number, number] => [t, (k + 1) * 10 + Math.sin(i / 100)]),
      })),
      { name: 'gpu_util', labels: { pod: weird }, samples: sampleTimes.slice(-30).map((t): [number, number] => [t, 1]) },
      { name: 'requests_total', labels: { pod: 'a' }, samples: sampleTimes.map((t, i): [number, number] => [t, i * 120]) },
      // A series that sorts first but starts 30 minutes before now (the join must put it in Prometheus's order).
      { name: 'late_util', labels: { pod: 'b' }, samples: sampleTimes.map((t, i): [number, number] => [t, i % 7]) },
      { name: 'late_util', labels: { pod: 'a' }, samples: sampleTimes.slice(-30).map((t): [number, number] => [t, 5]) },
    ]),
  });
  proxy = await startCountingProxy(prometheus.url);
  direct = new PrometheusClient({ url: prometheus.url, breaker: false });
});

afterAll(async () => {
  await proxy?.close();
  await prometheus?.close();
});

describe('runRangePanel against a real Prometheus', () => {
  it('returns at most 1,000 points per series over 30 days, all equal to a direct query', async () => {
    const runner = createPanelQueryRunner();
    const result = await runner.runRangePanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util', [oneOf('pod', ['a', 'b', 'c'])]),
      startMs: firstSampleSeconds * 1000,
      endMs: nowSeconds * 1000,
      pointsWanted: 1000,
      scrapeIntervalSeconds,
    });
    // 2,592,000 s ÷ 1000 points = 2592 s step; aligned range holds ≤ 1001 steps → downsampled to 1000.
    expect(result.stepSeconds).toBe(2592);
    expect(result.rateWindowSeconds).toBe(2652);
    expect(result.series).toHaveLength(3);
    const reference = await direct.queryRange(result.query, {
      startSeconds: result.startMs / 1000,
      endSeconds: result.endMs / 1000,
      stepSeconds: 2592,
    });
    for (const series of result.series) {
      expect(series.points.length).toBeLessThanOrEqual(1000);
      const expected = reference.result.find((s) => s.metric.pod === series.labels.pod);
      const byTime = new Map(expected?.values.map(([t, v]) => [t * 1000, v]));
      for (const [t, v] of series.points) expect(byTime.get(t)).toBe(v);
      expect(series.points[0]).toEqual(expected?.values.map(([t, v]) => [t * 1000, v])[0]);
      expect(series.points.at(-1)).toEqual(expected?.values.map(([t, v]) => [t * 1000, v]).at(-1));
    }
  });

  it('equals a direct query exactly when no downsampling is needed', async () => {
    const runner = createPanelQueryRunner();
    const result = await runner.runRangePanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util', [eq('pod', 'b')]),
      startMs: (nowSeconds - 7 * 86_400) * 1000 + 12_345,
      endMs: nowSeconds * 1000,
      pointsWanted: 700,
      scrapeIntervalSeconds,
    });
    // 604,787.655 s ÷ 700 = 863.98 → step 864 s
    expect(result.stepSeconds).toBe(864);
    expect(result.downsampled).toBe(false);
    const reference = await direct.queryRange(result.query, {
      startSeconds: result.startMs / 1000,
      endSeconds: result.endMs / 1000,
      stepSeconds: 864,
    });
    expect(result.series[0]?.points).toEqual(reference.result[0]?.values.map(([t, v]) => [t * 1000, v]));
  });

  it('downsamples the one extra point an aligned full range yields, keeping first and last', async () => {
    const runner = createPanelQueryRunner();
    // 10 d = 864,000 s ÷ 1000 = 864 s step; an aligned start and end = start + 1000 steps → 1001 points.
    const startSeconds = Math.ceil((firstSampleSeconds + 86_400) / 864) * 864;
    const result = await runner.runRangePanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util', [eq('pod', 'a')]),
      startMs: startSeconds * 1000,
      endMs: (startSeconds + 864_000) * 1000,
      pointsWanted: 1000,
      scrapeIntervalSeconds,
    });
    const reference = await direct.queryRange(result.query, {
      startSeconds,
      endSeconds: startSeconds + 864_000,
      stepSeconds: 864,
    });
    const expected = reference.result[0]?.values.map(([t, v]) => [t * 1000, v]) ?? [];
    expect(expected).toHaveLength(1001);
    expect(result.downsampled).toBe(true);
    expect(result.series[0]?.points).toHaveLength(1000);
    expect(result.series[0]?.points[0]).toEqual(expected[0]);
    expect(result.series[0]?.points.at(-1)).toEqual(expected.at(-1));
  });

  it('keeps the scrape resolution over 15 minutes', async () => {
    const runner = createPanelQueryRunner();
    const result = await runner.runRangePanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util', [eq('pod', 'c')]),
      startMs: (nowSeconds - 900) * 1000,
      endMs: nowSeconds * 1000,
      pointsWanted: 1000,
      scrapeIntervalSeconds,
    });
    // 900 s ÷ 1000 = 0.9 s < 60 s scrape → step 60 s → the 16 raw samples.
    expect(result.stepSeconds).toBe(60);
    const raw = await direct.query('gpu_util{pod="c"}[15m]', { timeSeconds: nowSeconds });
    const rawPoints = raw.resultType === 'matrix' ? raw.result[0]?.values.map(([t, v]) => [t * 1000, v]) : [];
    // Prometheus 3 leaves the matrix selector's left edge out; 2.x includes it. Compare from the range start.
    expect(result.series[0]?.points).toEqual(rawPoints?.filter(([t]) => (t as number) >= result.startMs));
    expect(result.series[0]?.points).toHaveLength(16);
  });

  it('caps series by mean and reports how many were omitted', async () => {
    const runner = createPanelQueryRunner();
    const result = await runner.runRangePanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util'),
      startMs: (nowSeconds - 3600) * 1000,
      endMs: nowSeconds * 1000,
      pointsWanted: 100,
      scrapeIntervalSeconds,
      maxSeries: 2,
    });
    // means ≈ 10 (a), 20 (b), 30 (c), 1 (weird): b and c stay, in Prometheus' label order.
    expect(result.series.map((s) => s.labels.pod)).toEqual(['b', 'c']);
    expect(result.omittedSeriesCount).toBe(2);
  });

  it('builds rate queries from the step it chose', async () => {
    const runner = createPanelQueryRunner();
    const result = await runner.runRangePanel({
      prometheusUrl: prometheus.url,
      query: ({ rateWindowSeconds }) => sum(rate(selector('requests_total'), rateWindowSeconds)),
      startMs: (nowSeconds - 86_400) * 1000,
      endMs: nowSeconds * 1000,
      pointsWanted: 240,
      scrapeIntervalSeconds,
    });
    // 86,400 ÷ 240 = 360 s step; window max(240, 420) = 420 s; counter grows 120 per 60 s = 2/s.
    expect(result.query).toBe('sum (rate(requests_total[420s]))');
    expect(result.series[0]?.points.length).toBe(241);
    for (const [, v] of result.series[0]?.points ?? []) expect(v).toBeCloseTo(2, 9);
  });

  it('matches a label value full of specials exactly and as a regex literal', async () => {
    const runner = createPanelQueryRunner();
    const exact = await runner.runInstantPanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util', [eq('pod', weird)]),
      timeMs: nowSeconds * 1000,
      scrapeIntervalSeconds,
    });
    expect(exact.series.map((s) => [s.labels.pod, s.value])).toEqual([[weird, 1]]);
    const literal = await runner.runInstantPanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util', [re('pod', weird, { literal: true })]),
      timeMs: nowSeconds * 1000,
      scrapeIntervalSeconds,
    });
    expect(literal.series.map((s) => s.labels.pod)).toEqual([weird]);
  });

  it('caps instant panels by value and aligns the evaluation time to the scrape interval', async () => {
    const runner = createPanelQueryRunner();
    const result = await runner.runInstantPanel({
      prometheusUrl: prometheus.url,
      query: selector('gpu_util', [oneOf('pod', ['a', 'b', 'c'])]),
      timeMs: nowSeconds * 1000 + 59_000,
      scrapeIntervalSeconds,
      maxSeries: 2,
    });
    expect(result.timeMs).toBe(nowSeconds * 1000);
    expect(result.series.map((s) => s.labels.pod)).toEqual(['b', 'c']);
    expect(result.omittedSeriesCount).toBe(1);
  });
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

describe('a refreshing window asks only for its newest steps (extents)', () => {
  const stepSeconds = 60;
  const windowInput = (endMs: number, query = selector('gpu_util', [oneOf('pod', ['a', 'b', 'c'])])) => ({
    prometheusUrl: proxy.url,
    query,
    startMs: endMs - 6 * 3600_000,
    endMs,
    pointsWanted: 360,
    scrapeIntervalSeconds,
  });
  const rangeQueries = (from: number) => proxy.requests.slice(from).filter((r) => r.path === '/api/v1/query_range');
  const settled = (nowMs: number): number => Math.floor((nowMs / 1000 - 300) / stepSeconds) * stepSeconds;

  /** The panel's series equal, point for point, a direct query over its aligned range. */
  async function expectEqualToDirect(result: Awaited<ReturnType<ReturnType<typeof createPanelQueryRunner>['runRangePanel']>>): Promise<void> {
    const reference = await direct.queryRange(result.query, { startSeconds: result.startMs / 1000, endSeconds: result.endMs / 1000, stepSeconds: result.stepSeconds });
    const byLabels = (series: { labels: Record<string, string>; points: [number, number][] }[]) =>
      Object.fromEntries(series.map((s) => [JSON.stringify(s.labels), s.points]));
    expect(result.downsampled).toBe(false);
    expect(byLabels(result.series)).toEqual(byLabels(reference.result.map((s) => ({ labels: s.metric, points: s.values.map(([t, v]): [number, number] => [t * 1000, v]) }))));
    // In Prometheus's order too: charts colour series by position.
    expect(result.series.map((s) => JSON.stringify(s.labels))).toEqual(reference.result.map((s) => JSON.stringify(s.metric)));
  }

  it('asks for the steps after the settled ones only, and answers as a direct query over the whole window', async () => {
    const clock = { nowMs: (nowSeconds - 3600) * 1000 };
    const runner = createPanelQueryRunner({ now: () => clock.nowMs });
    const firstNowMs = clock.nowMs;
    await runner.runRangePanel(windowInput(clock.nowMs));
    const before = proxy.requests.length;
    clock.nowMs += 150_000;
    const refreshed = await runner.runRangePanel(windowInput(clock.nowMs));
    const asked = rangeQueries(before);
    expect(asked).toHaveLength(1);
    expect(Number(asked[0]!.params.get('start'))).toBe(settled(firstNowMs) + stepSeconds);
    expect(Number(asked[0]!.params.get('end'))).toBe(refreshed.endMs / 1000);
    expect(refreshed.series.map((s) => s.points.length)).toEqual([361, 361, 361]);
    await expectEqualToDirect(refreshed);
  });

  it('joins a series that appears in the newest steps, in Prometheus\'s order', async () => {
    // late_util{pod="a"} has samples in the last 30 minutes only, and sorts before pod "b".
    const clock = { nowMs: (nowSeconds - 35 * 60) * 1000 };
    const runner = createPanelQueryRunner({ now: () => clock.nowMs });
    const firstNowMs = clock.nowMs;
    const first = await runner.runRangePanel(windowInput(clock.nowMs, selector('late_util')));
    expect(first.series.map((s) => s.labels.pod)).toEqual(['b']);
    const before = proxy.requests.length;
    clock.nowMs += 8 * 60_000;
    const refreshed = await runner.runRangePanel(windowInput(clock.nowMs, selector('late_util')));
    expect(rangeQueries(before).map((r) => Number(r.params.get('start')))).toEqual([settled(firstNowMs) + stepSeconds]);
    expect(refreshed.series.map((s) => s.labels.pod)).toEqual(['a', 'b']);
    await expectEqualToDirect(refreshed);
  });

  it('asks in full for a query whose steps depend on the range or on later samples (@, negative offset)', async () => {
    for (const text of ['gpu_util{pod="b"} @ end()', 'gpu_util{pod="b"} offset -10m']) {
      const clock = { nowMs: (nowSeconds - 3600) * 1000 };
      const runner = createPanelQueryRunner({ now: () => clock.nowMs });
      await runner.runRangePanel(windowInput(clock.nowMs, adminExploreQuery(text)));
      const before = proxy.requests.length;
      clock.nowMs += 150_000;
      const refreshed = await runner.runRangePanel(windowInput(clock.nowMs, adminExploreQuery(text)));
      expect(rangeQueries(before).map((r) => Number(r.params.get('start')))).toEqual([refreshed.startMs / 1000]);
      await expectEqualToDirect(refreshed);
    }
  });

  it('asks in full past the maximum age and for a window moved back; a settled window needs no query', async () => {
    const clock = { nowMs: (nowSeconds - 3600) * 1000 };
    const runner = createPanelQueryRunner({ cacheTtlMs: 0, extentMaxAgeMs: 60_000, now: () => clock.nowMs });
    await runner.runRangePanel(windowInput(clock.nowMs));

    let before = proxy.requests.length;
    clock.nowMs += 61_000;
    const aged = await runner.runRangePanel(windowInput(clock.nowMs));
    expect(rangeQueries(before).map((r) => Number(r.params.get('start')))).toEqual([aged.startMs / 1000]);

    before = proxy.requests.length;
    const earlier = await runner.runRangePanel(windowInput(clock.nowMs - 3600_000));
    expect(rangeQueries(before).map((r) => Number(r.params.get('start')))).toEqual([earlier.startMs / 1000]);

    // Wholly settled (it ended an hour before the clock): asked again, it comes from the kept steps.
    before = proxy.requests.length;
    const again = await runner.runRangePanel(windowInput(clock.nowMs - 3600_000));
    expect(rangeQueries(before)).toHaveLength(0);
    expect(again.series).toEqual(earlier.series);
    await expectEqualToDirect(again);
  });
});
