import { describe, expect, it } from 'vitest';
import { downsample, topSeries, type Point } from './downsample';

function wave(count: number, stepMs = 15_000): Point[] {
  return Array.from({ length: count }, (_, i) => [i * stepMs, Math.sin(i / 50) * 10 + (i % 7)]);
}

describe('downsample (LTTB)', () => {
  it('returns a series within the cap unchanged', () => {
    const points = wave(1000);
    expect(downsample(points, 1000)).toEqual(points);
  });

  it('caps at maxPoints, keeps first and last, returns only real samples in time order', () => {
    const points = wave(10_001);
    const result = downsample(points, 1000);
    expect(result).toHaveLength(1000);
    expect(result[0]).toEqual(points[0]);
    expect(result[result.length - 1]).toEqual(points[points.length - 1]);
    const original = new Map(points.map(([t, v]) => [t, v]));
    for (const [t, v] of result) expect(original.get(t)).toBe(v);
    for (let i = 1; i < result.length; i++) expect(result[i]![0]).toBeGreaterThan(result[i - 1]![0]);
  });

  it('keeps a one-sample spike that bucket averaging would flatten', () => {
    const points: Point[] = Array.from({ length: 5000 }, (_, i) => [i * 1000, 1]);
    points[2345] = [2_345_000, 500];
    const result = downsample(points, 100);
    expect(result).toContainEqual([2_345_000, 500]);
  });

  it('keeps a NaN stretch as one gap point between downsampled runs', () => {
    const points: Point[] = wave(3000).map(([t, v], i) => [t, i >= 1000 && i < 1100 ? Number.NaN : v]);
    const result = downsample(points, 500);
    expect(result.length).toBeLessThanOrEqual(500);
    const gaps = result.filter(([, v]) => Number.isNaN(v));
    // The run of 100 NaN samples collapses to its first one, at index 1000 → 15,000,000 ms.
    expect(gaps).toEqual([[15_000_000, Number.NaN]]);
    expect(result[0]).toEqual(points[0]);
    expect(result[result.length - 1]).toEqual(points[2999]);
  });

  it('marks missing scrapes with a NaN point midway when a gap threshold is given', () => {
    const before = wave(2000);
    const after = wave(2000).map(([t, v]): Point => [t + 100_000_000, v]);
    const result = downsample([...before, ...after], 200, { gapThresholdMs: 30_000 });
    const gaps = result.filter(([, v]) => Number.isNaN(v));
    // last before = 1999 × 15,000 = 29,985,000; first after = 100,000,000 → midpoint 64,992,500
    expect(gaps).toEqual([[64_992_500, Number.NaN]]);
    expect(result.length).toBeLessThanOrEqual(200);
  });

  it('falls back to the finite points when there are more gaps than the budget allows', () => {
    const points: Point[] = wave(2000).map(([t, v], i) => [t, i % 3 === 0 ? Number.NaN : v]);
    const result = downsample(points, 100);
    expect(result).toHaveLength(100);
    expect(result.every(([, v]) => Number.isFinite(v))).toBe(true);
  });
});

describe('topSeries', () => {
  const series = [
    {
      name: 'low',
      points: [
        [0, 1],
        [1, 1],
      ] as Point[],
    },
    {
      name: 'spiky',
      points: [
        [0, 0],
        [1, 100],
      ] as Point[],
    },
    {
      name: 'steady',
      points: [
        [0, 60],
        [1, 60],
      ] as Point[],
    },
    { name: 'empty', points: [[0, Number.NaN]] as Point[] },
  ];

  it('keeps the n highest by mean, in input order, and counts the rest', () => {
    // means: low 1, spiky 50, steady 60, empty none
    const result = topSeries(series, 2);
    expect(result.series.map((s) => s.name)).toEqual(['spiky', 'steady']);
    expect(result.omittedCount).toBe(2);
  });

  it('ranks by max or last when asked, and never drops when under the cap', () => {
    expect(topSeries(series, 1, 'max').series.map((s) => s.name)).toEqual(['spiky']);
    expect(topSeries(series, 1, 'last').series.map((s) => s.name)).toEqual(['spiky']);
    expect(topSeries(series, 10)).toEqual({ series, omittedCount: 0 });
  });
});
