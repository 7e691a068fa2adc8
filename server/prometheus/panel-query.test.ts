import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from './client';
import { createPanelQueryRunner } from './panel-query';
import { eq, oneOf, rate, re, selector, sum } from './query-builder';
import { openMetricsText, startPrometheus, type PrometheusProcess } from './testing/prometheus-process';

const scrapeIntervalSeconds = 60;
const nowSeconds = Math.floor(Date.now() / 1000 / 60) * 60;
const thirtyDaysSeconds = 30 * 86_400;
const firstSampleSeconds = nowSeconds - thirtyDaysSeconds;
const sampleTimes = Array.from({ length: thirtyDaysSeconds / 60 + 1 }, (_, i) => firstSampleSeconds + i * 60);
const weird = 'gpu "0" \\ a.b\nx';

let prometheus: PrometheusProcess;
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
      {
        name: 'gpu_util',
        labels: { pod: weird },
        samples: sampleTimes.slice(-30).map((t): [number, number] => [t, 1]),
      },
      {
        name: 'requests_total',
        labels: { pod: 'a' },
        samples: sampleTimes.map((t, i): [number, number] => [t, i * 120]),
      },
    ]),
  });
  direct = new PrometheusClient({ url: prometheus.url, guard: false });
});

afterAll(async () => {
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
