// A GPU panel through the app (tRPC, discovery, query builder, cache, downsampling) against the same
// PromQL sent straight to Prometheus, on a warm process but a cache miss (each call a new range);
// and the bytes a browser downloads for a 7-day panel against Prometheus's raw JSON. The timing
// goals are the pages' now (page-load.bench.ts): these rows are for information.
import { openMetricsText, startPrometheus } from '../server/prometheus/testing/prometheus-process';
import { fixtureSeries } from '../server/metrics/testing/fixture';
import type { BenchRow } from './types';
import { percentile, startBenchApp, timeInterleaved } from './lib/app-server';

const CALLS = 200;
const HEAVY_CALLS = 60;
/** The bench data's resolution: 7 days at one sample a minute (what the app takes as its scrape interval). */
const resolutionSeconds = 60;
const weekMs = 7 * 86_400_000;

interface PanelAnswer {
  status: string;
  startMs: number;
  endMs: number;
  stepSeconds: number;
  queries: { promql: string }[];
}

function panelUrl(appUrl: string, panel: string, fromMs: number, toMs: number, pointsWanted: number): string {
  const input = { json: { panel, cluster: 'all', range: { from: String(fromMs), to: String(toMs) }, pointsWanted } };
  return `${appUrl}/api/trpc/metrics.panel?input=${encodeURIComponent(JSON.stringify(input))}`;
}

async function fetchText(url: string, init?: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${url.slice(0, 120)}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return text;
}

function panelAnswer(name: string, text: string): { answer: PanelAnswer; bytes: number } {
  const answer = (JSON.parse(text) as { result: { data: { json: PanelAnswer } } }).result.data.json;
  if (answer.status !== 'ok') throw new Error(`${name}: ${text.slice(0, 300)}`);
  return { answer, bytes: Buffer.byteLength(text) };
}

async function panel(
  appUrl: string,
  name: string,
  fromMs: number,
  toMs: number,
  pointsWanted: number,
): Promise<{ answer: PanelAnswer; bytes: number }> {
  return panelAnswer(name, await fetchText(panelUrl(appUrl, name, fromMs, toMs, pointsWanted)));
}

/** `fetch` negotiates gzip as browsers and Grafana do; `identity` asks for the answer uncompressed. */
function queryRange(
  prometheusUrl: string,
  promql: string,
  startMs: number,
  endMs: number,
  stepSeconds: number,
  encoding?: 'identity',
): Promise<string> {
  const body = new URLSearchParams({
    query: promql,
    start: String(startMs / 1000),
    end: String(endMs / 1000),
    step: String(stepSeconds),
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    ...(encoding ? { 'accept-encoding': encoding } : {}),
  };
  return fetchText(`${prometheusUrl}/api/v1/query_range`, { method: 'POST', body, headers });
}

/** The measurements, against an app whose PROMETHEUS_URL is `prometheusUrl`. */
export async function measurePanelQuery(appUrl: string, prometheusUrl: string, nowMs: number): Promise<BenchRow[]> {
  const stepMs = 60_000;
  const windowMs = 6 * 3_600_000;
  // Warm: discovery, connections, JIT. Then each call asks for a range one step earlier: a miss for
  // the exact-range cache and for the kept steps (server/prometheus/extents.ts serves windows that
  // move forward, as a refreshing dashboard's do).
  for (let i = 0; i < 10; i += 1)
    await panel(appUrl, 'gpu.power', nowMs - windowMs - (1000 + i) * stepMs, nowMs - (1000 + i) * stepMs, 360);
  const probe = (await panel(appUrl, 'gpu.power', nowMs - windowMs, nowMs, 360)).answer;
  const promql = probe.queries[0]!.promql;
  let ours = 0;
  let direct = 0;
  let plain = 0;
  // Both sides are timed to the last byte of the answer; ours are checked (status ok) afterwards.
  const oursAnswers: string[] = [];
  const endOf = (calls: number): number =>
    Math.floor((nowMs - calls * stepMs) / (probe.stepSeconds * 1000)) * probe.stepSeconds * 1000;
  const [oursMs, directMs, plainMs] = await timeInterleaved(
    [
      async () => {
        ours += 1;
        oursAnswers.push(
          await fetchText(panelUrl(appUrl, 'gpu.power', nowMs - windowMs - ours * stepMs, nowMs - ours * stepMs, 360)),
        );
      },
      async () => {
        direct += 1;
        await queryRange(prometheusUrl, promql, endOf(direct) - windowMs, endOf(direct), probe.stepSeconds);
      },
      async () => {
        // Ranges of their own (further back): no answer Prometheus computed for the others.
        plain += 1;
        await queryRange(
          prometheusUrl,
          promql,
          endOf(plain + 2 * CALLS) - windowMs,
          endOf(plain + 2 * CALLS),
          probe.stepSeconds,
          'identity',
        );
      },
    ],
    CALLS,
  );
  for (const text of oursAnswers) panelAnswer('gpu.power', text);
  const p50Ours = percentile(oursMs!, 50);
  const p50Direct = percentile(directMs!, 50);
  const p50Plain = percentile(plainMs!, 50);

  // A heavy panel: the 7-day per-GPU heatmap (the fixture's 5 GPUs × 1,000 points), each call one step earlier.
  const heavyProbe = (await panel(appUrl, 'gpu.heatmap', nowMs - weekMs, nowMs, 1000)).answer;
  const heavyStepMs = heavyProbe.stepSeconds * 1000;
  const heavyEnd = (calls: number): number => Math.floor(nowMs / heavyStepMs - calls) * heavyStepMs;
  let heavyOurs = 0;
  let heavyDirect = 0;
  const [heavyOursMs, heavyDirectMs] = await timeInterleaved(
    [
      async () => {
        heavyOurs += 1;
        await fetchText(panelUrl(appUrl, 'gpu.heatmap', heavyEnd(heavyOurs) - weekMs, heavyEnd(heavyOurs), 1000));
      },
      async () => {
        heavyDirect += 1;
        await queryRange(
          prometheusUrl,
          heavyProbe.queries[0]!.promql,
          heavyEnd(heavyDirect) - weekMs,
          heavyEnd(heavyDirect),
          heavyProbe.stepSeconds,
        );
      },
    ],
    HEAVY_CALLS,
  );
  const p50HeavyOurs = percentile(heavyOursMs!, 50);
  const p50HeavyDirect = percentile(heavyDirectMs!, 50);

  const week = await panel(appUrl, 'gpu.heatmap', nowMs - weekMs, nowMs, 1000);
  const heatmapPromql = week.answer.queries[0]!.promql;
  const rawFull = Buffer.byteLength(
    await queryRange(prometheusUrl, heatmapPromql, week.answer.startMs, week.answer.endMs, resolutionSeconds),
  );
  const rawSameStep = Buffer.byteLength(
    await queryRange(prometheusUrl, heatmapPromql, week.answer.startMs, week.answer.endMs, week.answer.stepSeconds),
  );
  return [
    {
      name: `GPU power panel via the /api/trpc route vs same PromQL to Prometheus (fetch, gzip negotiated), 6 h, cache miss, p50 of ${CALLS}`,
      ours: p50Ours,
      reference: p50Direct,
      unit: 'ms',
      ratio: p50Ours / p50Direct,
      goal: 'info',
      pass: true,
    },
    {
      name: 'the same, against a direct request asking for the answer uncompressed (the fastest client)',
      ours: p50Ours,
      reference: p50Plain,
      unit: 'ms',
      ratio: p50Ours / p50Plain,
      goal: 'info',
      pass: true,
    },
    {
      name: `heavy panel: 7-day per-GPU heatmap (5 GPUs × 1,000 points) via tRPC vs same PromQL and step to Prometheus (gzip negotiated), cache miss, p50 of ${HEAVY_CALLS}`,
      ours: p50HeavyOurs,
      reference: p50HeavyDirect,
      unit: 'ms',
      ratio: p50HeavyOurs / p50HeavyDirect,
      goal: 'info',
      pass: true,
    },
    {
      name: `bytes to the browser, 7-day per-GPU panel vs Prometheus raw JSON at data resolution (${resolutionSeconds} s)`,
      ours: week.bytes,
      reference: rawFull,
      unit: 'bytes',
      ratio: week.bytes / rawFull,
      goal: '≤ 0.25',
      pass: week.bytes / rawFull <= 0.25,
    },
    {
      name: `bytes to the browser vs Prometheus raw JSON at our step (${week.answer.stepSeconds} s): encoding only`,
      ours: week.bytes,
      reference: rawSameStep,
      unit: 'bytes',
      ratio: week.bytes / rawSameStep,
      goal: 'info',
      pass: true,
    },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const nowSeconds = Math.floor(Date.now() / 60_000) * 60;
  const prometheus = await startPrometheus({
    openMetrics: openMetricsText(
      fixtureSeries(nowSeconds, { spanSeconds: 7 * 86_400 + 3600, sparseSeconds: resolutionSeconds }),
    ),
  });
  try {
    const app = await startBenchApp(3192, {
      PROMETHEUS_URL: prometheus.url,
      PROMETHEUS_SCRAPE_INTERVAL_SECONDS: String(resolutionSeconds),
      KUBECONFIG: '',
    });
    try {
      return await measurePanelQuery(app.url, prometheus.url, nowSeconds * 1000);
    } finally {
      await app.stop();
    }
  } finally {
    await prometheus.close();
  }
}
