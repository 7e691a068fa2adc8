import { describe, expect, it } from 'vitest';
import type { OpenMetricsSeries } from '@/server/prometheus/testing/prometheus-process';
import { plainCluster, sampleTimes, scrapeIntervalSeconds } from './testing/fixture';
import { prometheusPerFile, viewerMetricsCaller as caller } from './testing/prometheus-env';
import type { NowPanelData, NowPanelResponse, RangePanelResponse } from './types';

// The "now" tiles against a real Prometheus: traffic that jumped from 1 to 10 req/s ten minutes
// ago and pipelines that stopped running three minutes ago. The last point of a long range still
// shows the old figures; the tiles must show the new ones, whatever range the page has.
const nowSeconds = Math.floor(Date.now() / 1000 / scrapeIntervalSeconds) * scrapeIntervalSeconds;
const jumpSeconds = nowSeconds - 600;
const stoppedSeconds = nowSeconds - 180;

/** Requests so far: 1 a second until the jump, 10 a second after it. */
function requestsAt(t: number, start: number): number {
  return t <= jumpSeconds ? t - start : jumpSeconds - start + (t - jumpSeconds) * 10;
}

function series(): OpenMetricsSeries[] {
  const times = sampleTimes(nowSeconds, { spanSeconds: 15 * 86_400, sparseSeconds: 900 });
  const start = times[0]!;
  return [
    {
      name: 'vllm:request_success_total',
      labels: { cluster: plainCluster, model_name: 'llama', finished_reason: 'stop' },
      samples: times.map((t): [number, number] => [t, requestsAt(t, start)]),
    },
    {
      name: 'argo_workflows_count',
      labels: { cluster: plainCluster, status: 'Running' },
      samples: times.map((t): [number, number] => [t, t < stoppedSeconds ? 2 : 0]),
    },
  ];
}

const env = prometheusPerFile(series);

function ok(response: NowPanelResponse): NowPanelData {
  if (response.status !== 'ok') throw new Error(`now answered ${response.status}: ${JSON.stringify(response)}`);
  return response;
}

function total(response: NowPanelData, queryId = 'total'): number | null {
  return response.values.find((v) => v.queryId === queryId)?.value ?? null;
}

function lastPoint(response: RangePanelResponse): number | null {
  if (response.status !== 'ok') throw new Error(response.status);
  return response.series.find((s) => s.queryId === 'total')?.v.at(-1) ?? null;
}

describe('now tiles: instant values at now, not the last point of the range', () => {
  it('requests/s now is the current rate, while a 14-day range ends on the old one', async () => {
    const now = ok(await caller.now({ panel: 'overview.requests', cluster: plainCluster }));
    // Instant rate over 4 scrapes (60 s), all after the jump: 10 req/s.
    expect(total(now)).toBeCloseTo(10, 6);
    const byHand = await env.direct.query(`sum(rate(vllm:request_success_total{cluster="${plainCluster}"}[60s]))`, {
      timeSeconds: now.timeMs / 1000,
    });
    expect(byHand.resultType === 'vector' ? byHand.result[0]?.value[1] : null).toBeCloseTo(total(now)!, 6);
    expect(now.timeMs).toBeGreaterThan(Date.now() - 2 * scrapeIntervalSeconds * 1000);
    // What the tile used to show: the 14-day chart's last step averages hours of 1 req/s.
    const twoWeeks = await caller.panel({
      panel: 'overview.requests',
      cluster: plainCluster,
      range: { from: 'now-14d', to: 'now' },
      pointsWanted: 120,
    });
    expect(lastPoint(twoWeeks)).toBeLessThan(5);
  });

  it('running pipelines now is 0 once the runs ended, though the range ends on 2', async () => {
    const now = ok(await caller.now({ panel: 'overview.pipelines', cluster: plainCluster }));
    expect(total(now)).toBe(0);
    const twoWeeks = await caller.panel({
      panel: 'overview.pipelines',
      cluster: plainCluster,
      range: { from: 'now-14d', to: 'now' },
      pointsWanted: 120,
    });
    expect(lastPoint(twoWeeks)).toBe(2);
  });

  it('gives one value per cluster for the per-cluster table when the view spans all clusters', async () => {
    const now = ok(await caller.now({ panel: 'overview.requests', cluster: 'all' }));
    const byCluster = now.values.filter((v) => v.queryId === 'byCluster');
    expect(byCluster.map((v) => [v.name, v.value])).toEqual([[plainCluster, 10]]);
  });

  it('says which exporter is missing instead of a figure', async () => {
    const now = await caller.now({ panel: 'overview.energy', cluster: plainCluster });
    expect(now).toMatchObject({ status: 'missing', needed: expect.arrayContaining(['kepler_container_joules_total']) });
  });
});
