import { describe, expect, it } from 'vitest';
import type { MatrixSeries } from './api-schemas';
import type { PrometheusClient, RangeQueryResult } from './client';
import { createExtentFetcher, stepsAreIndependent } from './extents';

// The fetcher's bookkeeping, with a stand-in for the client that records what it is asked and can
// answer with warnings or take time (panel-query.test.ts runs the same code against a real Prometheus).

const step = 60;
const signal = new AbortController().signal;

/** One series whose value at every step is the step's time, as a deterministic Prometheus would answer. */
function standIn(clock: { nowMs: number }, options: { warnings?: string[]; takesMs?: number } = {}) {
  const asked: { start: number; end: number }[] = [];
  const client = {
    url: 'http://stand-in',
    async queryRange(_query: string, range: { startSeconds: number; endSeconds: number; stepSeconds: number }): Promise<RangeQueryResult> {
      asked.push({ start: range.startSeconds, end: range.endSeconds });
      clock.nowMs += options.takesMs ?? 0;
      const values: MatrixSeries['values'] = [];
      for (let t = range.startSeconds; t <= range.endSeconds; t += range.stepSeconds) values.push([t, t]);
      return { resultType: 'matrix', result: [{ metric: { pod: 'a' }, values }], warnings: options.warnings ?? [] };
    },
  };
  return { client: client as unknown as PrometheusClient, asked };
}

describe('kept steps', () => {
  const t0 = 1_800_000_000;

  it('keeps nothing from an answer with warnings (a partial answer would keep its gaps)', async () => {
    const clock = { nowMs: t0 * 1000 };
    const fetcher = createExtentFetcher({ now: () => clock.nowMs });
    const { client, asked } = standIn(clock, { warnings: ['partial response: store down'] });
    const first = await fetcher.queryRange(client, 'q', { startSeconds: t0 - 3600, endSeconds: t0, stepSeconds: step }, 300, signal);
    expect(first.warnings).toEqual(['partial response: store down']);
    clock.nowMs += 60_000;
    await fetcher.queryRange(client, 'q', { startSeconds: t0 - 3600 + step, endSeconds: t0 + step, stepSeconds: step }, 300, signal);
    expect(asked.map((a) => a.start)).toEqual([t0 - 3600, t0 - 3600 + step]);
    expect(fetcher.size).toBe(0);
  });

  it('counts a step as settled from when Prometheus was asked, not from when it answered', async () => {
    const clock = { nowMs: t0 * 1000 };
    const fetcher = createExtentFetcher({ now: () => clock.nowMs });
    const { client, asked } = standIn(clock, { takesMs: 90_000 });
    await fetcher.queryRange(client, 'q', { startSeconds: t0 - 3600, endSeconds: t0, stepSeconds: step }, 300, signal);
    await fetcher.queryRange(client, 'q', { startSeconds: t0 - 3600 + 2 * step, endSeconds: t0 + 2 * step, stepSeconds: step }, 300, signal);
    // Settled at the first ask: t0 − 300 s; the tail starts one step later.
    expect(asked[1]).toEqual({ start: t0 - 300 + step, end: t0 + 2 * step });
  });

  it('answers a window inside the kept steps without asking, and keeps the wider steps', async () => {
    const clock = { nowMs: t0 * 1000 };
    const fetcher = createExtentFetcher({ now: () => clock.nowMs });
    const { client, asked } = standIn(clock);
    await fetcher.queryRange(client, 'q', { startSeconds: t0 - 3600, endSeconds: t0, stepSeconds: step }, 300, signal);
    const inner = await fetcher.queryRange(client, 'q', { startSeconds: t0 - 1800, endSeconds: t0 - 900, stepSeconds: step }, 300, signal);
    expect(inner.result[0]?.values.map(([t]) => t)).toEqual(Array.from({ length: 16 }, (_, i) => t0 - 1800 + i * step));
    const wide = await fetcher.queryRange(client, 'q', { startSeconds: t0 - 3600, endSeconds: t0 - 600, stepSeconds: step }, 300, signal);
    expect(wide.result[0]?.values).toHaveLength(51);
    expect(asked).toHaveLength(1);
  });

  it('treats @ modifiers and negative offsets as depending on the range or on later samples', () => {
    expect(stepsAreIndependent('sum(rate(x[5m]))')).toBe(true);
    expect(stepsAreIndependent('x offset 1h')).toBe(true);
    expect(stepsAreIndependent('x @ end()')).toBe(false);
    expect(stepsAreIndependent('x @ 1700000000')).toBe(false);
    expect(stepsAreIndependent('x offset -10m')).toBe(false);
    expect(stepsAreIndependent('x OFFSET - 1h')).toBe(false);
  });
});
