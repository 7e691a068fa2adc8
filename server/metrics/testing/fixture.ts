// Test data: two clusters of dcgm-exporter, vLLM and OpenCost series, backfilled into a real
// Prometheus. One cluster's name is full of quotes, backslashes and a newline.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenMetricsSeries } from '@/server/prometheus/testing/prometheus-process';

export const scrapeIntervalSeconds = 15;
export const plainCluster = 'us-test';
export const weirdCluster = 'lab "α" \\ edge\nrow 2';

/** Latency histogram buckets (le, cumulative share of requests) that the fixtures' servers report. */
export const latencyBuckets: [string, number][] = [
  ['0.5', 0.2],
  ['1', 0.5],
  ['2.5', 0.8],
  ['5', 0.9],
  ['10', 1],
  ['+Inf', 1],
];

/** Sample spacing: `sparseSeconds` over `spanSeconds`, then the last hour every `scrapeIntervalSeconds`. */
export interface SampleSpacing {
  spanSeconds: number;
  sparseSeconds: number;
}

const testSpacing: SampleSpacing = { spanSeconds: 30 * 86_400, sparseSeconds: 1800 };

export function sampleTimes(nowSeconds: number, spacing: SampleSpacing = testSpacing): number[] {
  const denseFrom = nowSeconds - 3600;
  const times: number[] = [];
  for (let t = nowSeconds - spacing.spanSeconds; t < denseFrom; t += spacing.sparseSeconds) times.push(t);
  for (let t = denseFrom; t <= nowSeconds; t += scrapeIntervalSeconds) times.push(t);
  return times;
}

interface Device {
  cluster: string;
  host: string;
  gpu: number;
  pods: { namespace: string; pod: string }[];
  /** Activity 0–1 at time t (seconds). */
  util: (t: number) => number;
}

function devices(): Device[] {
  return [
    {
      cluster: plainCluster,
      host: 'node-a',
      gpu: 0,
      pods: [{ namespace: 'ml', pod: 'train-7d9f8c6b5-xk2lp' }],
      util: (t) => 0.6 + 0.3 * Math.sin(t / 3000),
    },
    // Time-sliced: dcgm-exporter repeats the device's reading once per pod.
    {
      cluster: plainCluster,
      host: 'node-a',
      gpu: 1,
      pods: [
        { namespace: 'search', pod: 'embed-5c8d7f9b4-abcde' },
        { namespace: 'search', pod: 'rerank-6f7c9d8b5-qwert' },
      ],
      util: (t) => 0.2 + 0.1 * Math.cos(t / 2000),
    },
    {
      cluster: plainCluster,
      host: 'node-b',
      gpu: 0,
      pods: [{ namespace: 'ml', pod: 'idle-notebook-0-zzzzz' }],
      util: () => 0.02,
    },
    {
      cluster: plainCluster,
      host: 'node-b',
      gpu: 1,
      pods: [{ namespace: 'ml-pipelines', pod: 'chat-adapter-training-1795456800-train-6968591278' }],
      util: () => 0.9,
    },
    {
      cluster: weirdCluster,
      host: 'node "w"',
      gpu: 0,
      pods: [{ namespace: 'ns\\x', pod: 'job-"q"-abcde' }],
      util: (t) => 0.5 + 0.4 * Math.sin(t / 5000),
    },
  ];
}

const memoryTotalMiB = 23028;

export function fixtureSeries(nowSeconds: number, spacing?: SampleSpacing): OpenMetricsSeries[] {
  const times = sampleTimes(nowSeconds, spacing);
  const series: OpenMetricsSeries[] = [];
  for (const d of devices()) {
    const uuid = `GPU-${d.host.replace(/\W/g, '')}-${d.gpu}`;
    const base = { cluster: d.cluster, gpu: String(d.gpu), UUID: uuid, modelName: 'NVIDIA A10G', Hostname: d.host };
    const owners =
      d.pods.length === 0
        ? [base]
        : d.pods.map((p) => ({ ...base, namespace: p.namespace, pod: p.pod, container: 'main' }));
    for (const labels of owners) {
      const gauge = (name: string, value: (t: number) => number): void => {
        series.push({ name, labels, samples: times.map((t): [number, number] => [t, value(t)]) });
      };
      gauge('DCGM_FI_PROF_GR_ENGINE_ACTIVE', (t) => round4(d.util(t)));
      gauge('DCGM_FI_DEV_GPU_UTIL', (t) => Math.round(d.util(t) * 100));
      gauge('DCGM_FI_DEV_FB_USED', (t) => Math.round(2000 + 15000 * d.util(t)));
      gauge('DCGM_FI_DEV_FB_FREE', (t) => memoryTotalMiB - Math.round(2000 + 15000 * d.util(t)));
      gauge('DCGM_FI_DEV_POWER_USAGE', (t) => round4(22 + 278 * d.util(t)));
      gauge('DCGM_FI_DEV_GPU_TEMP', (t) => Math.round(32 + 48 * d.util(t)));
    }
  }
  // vLLM latency histogram per cluster: 4 req/s (whole counts every 15 s), a fixed share in each bucket.
  for (const cluster of [plainCluster, weirdCluster]) {
    const rps = cluster === plainCluster ? 4 : 1;
    for (const [le, share] of latencyBuckets) {
      series.push({
        name: 'vllm:e2e_request_latency_seconds_bucket',
        labels: { cluster, le, model_name: 'llama' },
        samples: times.map((t): [number, number] => [t, Math.round((t - times[0]!) * rps * share)]),
      });
    }
    series.push({
      name: 'vllm:request_success_total',
      labels: { cluster, model_name: 'llama', finished_reason: 'stop' },
      samples: times.map((t): [number, number] => [t, Math.round((t - times[0]!) * rps)]),
    });
    if (cluster === weirdCluster) {
      series.push({
        name: 'http_requests_total',
        labels: { cluster, code: '200' },
        samples: times.map((t): [number, number] => [t, (t - times[0]!) * 2]),
      });
    }
    series.push({
      name: 'node_total_hourly_cost',
      labels: { cluster, node: 'node-a' },
      samples: times.map((t): [number, number] => [t, 5.672]),
    });
  }
  return series;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** A kubeconfig whose contexts are the two clusters (the app's source of cluster names). */
export async function writeKubeconfig(): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'burnrate-metrics-kube-'));
  const path = join(dir, 'kubeconfig');
  const contexts = [plainCluster, weirdCluster]
    .map((name) => `  - name: ${JSON.stringify(name)}\n    context: { cluster: c, user: u }`)
    .join('\n');
  await writeFile(path, `apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts:\n${contexts}\n`);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
