import { describe, expect, it } from 'vitest';
import { createPanelQueryRunner } from '@/server/prometheus/panel-query';
import { LastGood } from './last-good';
import { defaultPanelDeps, rangePanel } from './run-panel';
import { fixtureSeries, plainCluster, scrapeIntervalSeconds, weirdCluster } from './testing/fixture';
import { prometheusPerFile, viewerMetricsCaller as caller } from './testing/prometheus-env';
import type { RangePanelData, RangePanelResponse } from './types';

const nowSeconds = Math.floor(Date.now() / 1000 / scrapeIntervalSeconds) * scrapeIntervalSeconds;

const env = prometheusPerFile(() => fixtureSeries(nowSeconds), { countingProxy: true });

function ok(response: RangePanelResponse): RangePanelData {
  if (response.status !== 'ok') throw new Error(`panel answered ${response.status}: ${JSON.stringify(response)}`);
  return response;
}

/** Hand-written PromQL over the same aligned range and step as the panel. */
async function directSeries(promql: string, panel: RangePanelData): Promise<(number | null)[]> {
  const result = await env.direct.queryRange(promql, {
    startSeconds: panel.startMs / 1000,
    endSeconds: panel.endMs / 1000,
    stepSeconds: panel.stepSeconds,
  });
  expect(result.result).toHaveLength(1);
  return result.result[0]!.values.map(([, v]) => v);
}

function expectClose(actual: (number | null)[], expected: (number | null)[]): void {
  expect(actual).toHaveLength(expected.length);
  // The router rounds to 7 significant digits (payload size): equal to one part in a million.
  actual.forEach((value, i) =>
    expect(Math.abs(value! - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * 1e-6),
  );
}

const lastHour = { from: `${(nowSeconds - 3600) * 1000}`, to: `${nowSeconds * 1000}` };
const sel = `cluster="${plainCluster}"`;

describe('metrics router figures equal a direct PromQL query', () => {
  it('GPU activity: mean over devices, each time-sliced device counted once', async () => {
    const panel = ok(
      await caller.panel({ panel: 'gpu.utilisation', cluster: plainCluster, range: lastHour, pointsWanted: 200 }),
    );
    const expected = await directSeries(`avg(max by (cluster, UUID) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{${sel}}))`, panel);
    expectClose(panel.series[0]!.v, expected);
    expect(panel.source.metrics).toEqual(['DCGM_FI_PROF_GR_ENGINE_ACTIVE']);
  });

  it('GPU memory used and capacity', async () => {
    const panel = ok(
      await caller.panel({ panel: 'gpu.memory', cluster: plainCluster, range: lastHour, pointsWanted: 200 }),
    );
    const used = await directSeries(`sum(max by (cluster, UUID) (DCGM_FI_DEV_FB_USED{${sel}}))`, panel);
    expectClose(panel.series.find((s) => s.queryId === 'used')!.v, used);
    // 4 devices × 23,028 MiB = 92,112 MiB at every step.
    expect(new Set(panel.series.find((s) => s.queryId === 'total')!.v)).toEqual(new Set([92_112]));
  });

  it('GPU power', async () => {
    const panel = ok(
      await caller.panel({ panel: 'gpu.power', cluster: plainCluster, range: lastHour, pointsWanted: 200 }),
    );
    expectClose(
      panel.series[0]!.v,
      await directSeries(`sum(max by (cluster, UUID) (DCGM_FI_DEV_POWER_USAGE{${sel}}))`, panel),
    );
  });

  it('p95 latency', async () => {
    const panel = ok(
      await caller.panel({ panel: 'overview.latencyP95', cluster: plainCluster, range: lastHour, pointsWanted: 200 }),
    );
    const window = Math.max(4 * scrapeIntervalSeconds, panel.stepSeconds + scrapeIntervalSeconds);
    const expected = await directSeries(
      `histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{${sel}}[${window}s])))`,
      panel,
    );
    expectClose(panel.series[0]!.v, expected);
    // 90 % of requests fall by le=5 and all by le=10: p95 = 5 + 5 × (0.95 − 0.9) ÷ (1 − 0.9) = 7.5 s.
    expect(panel.series[0]!.v.at(-1)).toBeCloseTo(7.5, 6);
  });

  it('requests per second: every counter found, summed per cluster even where one is missing', async () => {
    const panel = ok(
      await caller.panel({ panel: 'overview.requests', cluster: 'all', range: lastHour, pointsWanted: 60 }),
    );
    // vLLM 4 req/s in one cluster; vLLM 1 req/s + HTTP 2 req/s in the other: 4 + 3 = 7 req/s.
    expect(panel.series.find((s) => s.queryId === 'total')!.v.at(-1)).toBeCloseTo(7, 6);
    const byCluster = new Map(panel.series.filter((s) => s.queryId === 'byCluster').map((s) => [s.name, s.v.at(-1)]));
    expect(byCluster.get(plainCluster)).toBeCloseTo(4, 6);
    expect(byCluster.get(weirdCluster)).toBeCloseTo(3, 6);
  });

  it('idle while allocated: a count where devices idle, 0 (not a gap) where none do', async () => {
    const idle = (cluster: string) =>
      `max by (cluster, UUID) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{cluster=${JSON.stringify(cluster)}, pod!=""})`;
    for (const cluster of [plainCluster, weirdCluster]) {
      const panel = ok(await caller.panel({ panel: 'gpu.idleAllocated', cluster, range: lastHour, pointsWanted: 60 }));
      const expected = await directSeries(`count(${idle(cluster)} < 0.1) or count(${idle(cluster)}) * 0`, panel);
      expectClose(panel.series[0]!.v, expected);
      expect(panel.series[0]!.v.every((v) => v !== null)).toBe(true);
    }
    // The idle notebook in one cluster; the other cluster's GPU never drops under 10 %.
    const plain = ok(
      await caller.panel({ panel: 'gpu.idleAllocated', cluster: plainCluster, range: lastHour, pointsWanted: 60 }),
    );
    expect(plain.series[0]!.v.at(-1)).toBe(1);
    const weird = ok(
      await caller.panel({ panel: 'gpu.idleAllocated', cluster: weirdCluster, range: lastHour, pointsWanted: 60 }),
    );
    expect(weird.series[0]!.v.at(-1)).toBe(0);
  });

  it('allocated against used: 4 GPUs, all with pods, busy = Σ activity', async () => {
    const panel = ok(
      await caller.panel({ panel: 'gpu.allocation', cluster: plainCluster, range: lastHour, pointsWanted: 60 }),
    );
    expect(panel.series.find((s) => s.queryId === 'total')!.v.at(-1)).toBe(4);
    expect(panel.series.find((s) => s.queryId === 'allocated')!.v.at(-1)).toBe(4);
    const busy = await directSeries(`sum(max by (cluster, UUID) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{${sel}}))`, panel);
    expectClose(panel.series.find((s) => s.queryId === 'busy')!.v, busy);
  });
});

describe('resolution', () => {
  it('a 30-day range returns at most 1,000 points per series', async () => {
    const panel = ok(
      await caller.panel({
        panel: 'gpu.heatmap',
        cluster: 'all',
        range: { from: 'now-30d', to: 'now' },
        pointsWanted: 1000,
      }),
    );
    expect(panel.series.length).toBe(5);
    for (const s of panel.series) expect(s.t.length).toBeLessThanOrEqual(1000);
    expect(panel.stepSeconds).toBe(2592);
  });

  it('a 15-minute range keeps the scrape resolution', async () => {
    const range = { from: `${(nowSeconds - 900) * 1000}`, to: `${nowSeconds * 1000}` };
    const panel = ok(await caller.panel({ panel: 'gpu.power', cluster: plainCluster, range, pointsWanted: 600 }));
    expect(panel.stepSeconds).toBe(scrapeIntervalSeconds);
    // 900 s ÷ 15 s = 60 intervals → 61 points, both ends included.
    expect(panel.series[0]!.t).toHaveLength(61);
  });
});

describe('coalescing', () => {
  it('100 concurrent identical panel requests reach Prometheus as one query', async () => {
    await caller.panel({ panel: 'gpu.power', cluster: plainCluster, range: lastHour, pointsWanted: 50 });
    const range = { from: `${(nowSeconds - 1800) * 1000}`, to: `${(nowSeconds - 60) * 1000}` };
    const before = env.proxy.total('/api/v1/query_range');
    env.proxy.hold();
    const calls = Array.from({ length: 100 }, () =>
      caller.panel({ panel: 'gpu.power', cluster: plainCluster, range, pointsWanted: 77 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    env.proxy.release();
    const answers = await Promise.all(calls);
    expect(answers.every((a) => a.status === 'ok')).toBe(true);
    expect(env.proxy.total('/api/v1/query_range') - before).toBe(1);
  });
});

describe('label values with quotes, backslashes and newlines', () => {
  it('round-trip from a cluster name through PromQL and back', async () => {
    const panel = ok(
      await caller.panel({ panel: 'overview.gpuUtil', cluster: weirdCluster, range: lastHour, pointsWanted: 100 }),
    );
    const expected = await directSeries(
      `avg(max by (cluster, UUID) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{cluster="lab \\"α\\" \\\\ edge\\nrow 2"}))`,
      panel,
    );
    expectClose(panel.series[0]!.v, expected);
    const devices = await caller.gpuDevices({ cluster: weirdCluster, range: lastHour });
    if (devices.status !== 'ok') throw new Error(devices.status);
    expect(devices.rows.map((r) => [r.cluster, r.node, r.pods])).toEqual([
      [weirdCluster, 'node "w"', ['ns\\x/job-"q"-abcde']],
    ]);
  });
});

describe('bad input', () => {
  it.each([
    [{ from: 'now', to: 'now-1h' }, /end of the time range must be after its start/, 'range.to'],
    [{ from: 'now-401d', to: 'now' }, /more than 400 days/, 'range.from'],
    [{ from: 'yesterday-ish', to: 'now' }, /"yesterday-ish" is not a time/, 'range.from'],
    [{ from: 'now-1h', to: '2026-13-45' }, /"2026-13-45" is not a time/, 'range.to'],
  ])('rejects the range %j with a 400 naming the field', async (range, message, field) => {
    const refused = {
      code: 'BAD_REQUEST',
      message: expect.stringMatching(message),
      cause: expect.objectContaining({ where: field }),
    };
    await expect(
      caller.panel({ panel: 'gpu.power', cluster: plainCluster, range, pointsWanted: 100 }),
    ).rejects.toMatchObject(refused);
    await expect(caller.gpuDevices({ cluster: plainCluster, range })).rejects.toMatchObject(refused);
  });

  it('rejects an unknown cluster and names the known ones', async () => {
    await expect(
      caller.panel({ panel: 'gpu.power', cluster: 'nope', range: lastHour, pointsWanted: 100 }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining(`Unknown cluster "nope". Known clusters: ${plainCluster}`),
    });
  });
});

describe('waste ranking', () => {
  it('ranks the idle notebook first and splits the shared GPU between its two pods', async () => {
    const table = await caller.gpuWorkloads({ cluster: plainCluster, range: lastHour });
    if (table.status !== 'ok') throw new Error(table.status);
    expect(table.rows[0]).toMatchObject({ namespace: 'ml', workload: 'idle-notebook-0', shared: false });
    expect(table.rows[0]!.avgUtilRatio).toBeCloseTo(0.02, 3);
    // An Argo step pod counts for its pipeline, not its run.
    expect(table.rows.find((r) => r.namespace === 'ml-pipelines')?.workload).toBe('chat-adapter-training');
    const embed = table.rows.find((r) => r.workload === 'embed')!;
    expect(embed.shared).toBe(true);
    expect(embed.avgGpusHeld).toBeCloseTo(0.5, 3);
  });
});

describe('Prometheus down', () => {
  it('serves the last good answer stale since the first failure, fails fast once the breaker opens, and recovers', async () => {
    // A 1 ms cache TTL so that every call asks Prometheus (the app's is 5 s).
    const deps = { ...defaultPanelDeps(), runner: createPanelQueryRunner({ cacheTtlMs: 1 }) };
    const lastGood = new LastGood<unknown>();
    const input = {
      panel: 'gpu.power',
      cluster: plainCluster,
      range: { from: 'now-1h', to: 'now' },
      pointsWanted: 120,
    };
    const good = ok(await rangePanel(input, undefined, deps, lastGood));
    await env.prometheus.stop();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const stale = ok(await rangePanel(input, undefined, deps, lastGood));
    expect(stale.series[0]!.v).toEqual(good.series[0]!.v);
    expect(stale.stale?.error).toMatch(/Cannot reach Prometheus/);
    // Three failed attempts (a call and two retries), two more here: the breaker opens and refuses.
    const never = await rangePanel({ ...input, pointsWanted: 50 }, undefined, deps, lastGood);
    expect(never).toMatchObject({
      status: 'unavailable',
      error: expect.stringMatching(/calls are paused until a probe succeeds/),
    });
    const refused = ok(await rangePanel(input, undefined, deps, lastGood));
    expect(refused.stale).toMatchObject({
      sinceMs: stale.stale!.sinceMs,
      error: expect.stringMatching(/calls are paused/),
    });

    await env.prometheus.restart();
    // The app's breaker lets a probe through 3 s after it opened (server/metrics/config.ts).
    let fresh = ok(await rangePanel(input, undefined, deps, lastGood));
    for (let i = 0; i < 60 && fresh.stale !== null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      fresh = ok(await rangePanel(input, undefined, deps, lastGood));
    }
    expect(fresh.stale).toBeNull();
  });
});
