// Shared setup of the metrics tests: a real Prometheus loaded with the file's series, the app's
// settings (PROMETHEUS_URL, KUBECONFIG) pointing at it for the file, and a viewer's tRPC caller.
import { afterAll, beforeAll } from 'vitest';
import { PrometheusClient } from '@/server/prometheus/client';
import { startCountingProxy, type CountingProxy } from '@/server/prometheus/testing/counting-proxy';
import {
  openMetricsText,
  startPrometheus,
  type OpenMetricsSeries,
  type PrometheusProcess,
} from '@/server/prometheus/testing/prometheus-process';
import { metricsRouter } from '@/server/routers/metrics';
import { createCallerFactory } from '@/server/trpc/init';
import { writeKubeconfig } from './fixture';

export interface MetricsTestEnv {
  readonly prometheus: PrometheusProcess;
  /** A client straight to Prometheus (no guard): the reference the app's answers are checked against. */
  readonly direct: PrometheusClient;
  /** The request-counting proxy the app talks through, when asked for. */
  readonly proxy: CountingProxy;
}

/** Starts Prometheus with `series()` before the file's tests and points the app at it (through a counting proxy if asked); undone after. */
export function prometheusPerFile(
  series: () => OpenMetricsSeries[],
  options: { countingProxy?: boolean } = {},
): MetricsTestEnv {
  const saved = { PROMETHEUS_URL: process.env.PROMETHEUS_URL, KUBECONFIG: process.env.KUBECONFIG };
  let prometheus: PrometheusProcess | undefined;
  let proxy: CountingProxy | undefined;
  let direct: PrometheusClient | undefined;
  let kube: { path: string; remove: () => Promise<void> } | undefined;
  beforeAll(async () => {
    prometheus = await startPrometheus({ openMetrics: openMetricsText(series()) });
    if (options.countingProxy) proxy = await startCountingProxy(prometheus.url);
    direct = new PrometheusClient({ url: prometheus.url, guard: false });
    kube = await writeKubeconfig();
    process.env.PROMETHEUS_URL = proxy?.url ?? prometheus.url;
    process.env.KUBECONFIG = kube.path;
  });
  afterAll(async () => {
    process.env.PROMETHEUS_URL = saved.PROMETHEUS_URL;
    process.env.KUBECONFIG = saved.KUBECONFIG;
    await proxy?.close();
    await prometheus?.close();
    await kube?.remove();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (use it inside a test)`);
    return value;
  };
  return {
    get prometheus() {
      return ready(prometheus, 'Prometheus');
    },
    get direct() {
      return ready(direct, 'Prometheus');
    },
    get proxy() {
      return ready(proxy, 'the counting proxy');
    },
  };
}

/** The metrics router as a signed-in viewer calls it. */
export const viewerMetricsCaller = createCallerFactory(metricsRouter)({
  requestId: 'test',
  user: { id: 'v', name: 'viewer', role: 'viewer', provider: 'demo', groups: [] },
  signal: new AbortController().signal,
});
