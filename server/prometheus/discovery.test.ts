import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PrometheusClient } from './client';
import { createExporterDiscovery } from './discovery';
import {
  pickGpuEnergySource,
  pickGpuUtilSource,
  pickLatencySource,
  pickNodePriceSource,
  pickRequestSource,
  pickWorkloadEnergySource,
} from './source-pickers';
import { startCountingProxy, type CountingProxy } from './testing/counting-proxy';
import {
  openMetricsText,
  startPrometheus,
  type OpenMetricsSeries,
  type PrometheusProcess,
} from './testing/prometheus-process';

const nowSeconds = Math.floor(Date.now() / 1000);
const recent: [number, number][] = Array.from({ length: 10 }, (_, i) => [nowSeconds - 600 + i * 60, 1]);
const old: [number, number][] = [[nowSeconds - 3 * 86_400, 1]];

function series(name: string, labels: Record<string, string>, samples = recent): OpenMetricsSeries {
  return { name, labels, samples };
}

// east: a modern stack, relabelled exporters; west: older exporters, plain labels.
const eastDcgm = {
  cluster: 'east',
  gpu: '0',
  UUID: 'GPU-1',
  modelName: 'NVIDIA H100',
  Hostname: 'node-1',
  exported_namespace: 'ml',
  exported_pod: 'llm-0',
  exported_container: 'vllm',
  namespace: 'gpu-operator',
};
const westDcgm = {
  cluster: 'west',
  gpu: '0',
  hostname: 'node-9',
  namespace: 'ml',
  pod: 'trainer-0',
  container: 'main',
};

let prometheus: PrometheusProcess;
let proxy: CountingProxy;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetrics: openMetricsText([
      series('DCGM_FI_PROF_GR_ENGINE_ACTIVE', eastDcgm),
      series('DCGM_FI_DEV_GPU_UTIL', eastDcgm),
      series('DCGM_FI_DEV_GPU_UTIL', westDcgm),
      series('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', eastDcgm),
      series('DCGM_FI_DEV_POWER_USAGE', westDcgm),
      series('DCGM_FI_DEV_FB_USED', eastDcgm),
      series('kepler_container_cpu_joules_total', { cluster: 'east', container_namespace: 'ml', pod_name: 'llm-0' }),
      series('kepler_container_dram_joules_total', { cluster: 'east', container_namespace: 'ml', pod_name: 'llm-0' }),
      series('kepler_container_gpu_joules_total', { cluster: 'east', container_namespace: 'ml', pod_name: 'llm-0' }),
      series('kepler_container_joules_total', { cluster: 'west', container_namespace: 'ml', pod_name: 'trainer-0' }),
      series('vllm:request_success_total', { cluster: 'east', namespace: 'ml', pod: 'llm-0', model_name: 'llama' }),
      series('vllm:e2e_request_latency_seconds_bucket', { cluster: 'east', namespace: 'ml', pod: 'llm-0', le: '1' }),
      series('http_server_request_duration_seconds_count', { cluster: 'east', namespace: 'web' }),
      series('http_requests_total', { cluster: 'west', namespace: 'web' }),
      series('kn_serving_invocation_duration_seconds_count', { cluster: 'east', k8s_namespace_name: 'ml' }),
      series('revision_app_request_count', { cluster: 'west', namespace_name: 'ml' }),
      series('revision_app_request_latencies_bucket', { cluster: 'west', namespace_name: 'ml', le: '100' }),
      series('kube_pod_info', { cluster: 'east', namespace: 'ml', pod: 'llm-0', node: 'node-1' }),
      series('kube_deployment_spec_replicas', { cluster: 'east', namespace: 'ml', deployment: 'llm' }),
      series('container_cpu_usage_seconds_total', {
        cluster: 'west',
        namespace: 'ml',
        pod: 'trainer-0',
        container: 'main',
      }),
      series('node_total_hourly_cost', { cluster: 'east', node: 'node-1' }),
      // Seen three days ago only: outside the lookback, so not present now.
      series('DCGM_FI_PROF_SM_ACTIVE', westDcgm, old),
    ]),
  });
  proxy = await startCountingProxy(prometheus.url);
});

afterAll(async () => {
  await proxy?.close();
  await prometheus?.close();
});

describe('exporter discovery against a real Prometheus', () => {
  it('finds a modern, relabelled stack with exact names and label variants', async () => {
    const discover = createExporterDiscovery();
    const east = await discover({ prometheusUrl: prometheus.url, cluster: 'east' });
    expect(east.dcgm.metrics).toEqual([
      'DCGM_FI_DEV_FB_USED',
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    ]);
    expect(east.dcgm.labels).toEqual({
      namespace: 'exported_namespace',
      pod: 'exported_pod',
      container: 'exported_container',
      hostname: 'Hostname',
    });
    expect(east.kepler).toMatchObject({
      variant: 'per-component',
      labels: { namespace: 'container_namespace', pod: 'pod_name' },
    });
    expect(east.http).toMatchObject({ otel: true, legacy: false });
    expect(east.knative).toMatchObject({
      variant: 'otel-1.19+',
      metrics: ['kn_serving_invocation_duration_seconds_count'],
    });
    expect(east.kubeStateMetrics.metrics).toEqual(['kube_deployment_spec_replicas', 'kube_pod_info']);
    expect(east.cadvisor.present).toBe(false);
    expect(east.openCost.metrics).toEqual(['node_total_hourly_cost']);

    expect(pickGpuUtilSource(east)).toMatchObject({
      kind: 'available',
      metric: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      unit: 'ratio',
    });
    expect(pickGpuEnergySource(east)).toMatchObject({
      metric: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
      unit: 'millijoules',
    });
    expect(pickWorkloadEnergySource(east)).toMatchObject({
      unit: 'joules',
      components: ['kepler_container_cpu_joules_total', 'kepler_container_dram_joules_total'],
    });
    expect(pickRequestSource(east)).toMatchObject({ metric: 'vllm:request_success_total', unit: 'requests' });
    expect(pickLatencySource(east)).toMatchObject({
      metric: 'vllm:e2e_request_latency_seconds_bucket',
      unit: 'seconds',
    });
    expect(pickNodePriceSource(east)).toMatchObject({ kind: 'available', unit: 'usd-per-hour' });
  });

  it('falls back to older exporters and plain labels in another cluster of the same Prometheus', async () => {
    const discover = createExporterDiscovery();
    const west = await discover({ prometheusUrl: prometheus.url, cluster: 'west' });
    expect(west.dcgm.metrics).toEqual(['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_POWER_USAGE']);
    expect(west.dcgm.labels).toEqual({
      namespace: 'namespace',
      pod: 'pod',
      container: 'container',
      hostname: 'hostname',
    });
    expect(west.kepler.variant).toBe('total');
    expect(west.knative.variant).toBe('before-1.19');
    expect(west.http).toMatchObject({ otel: false, legacy: true });

    expect(pickGpuUtilSource(west)).toMatchObject({ metric: 'DCGM_FI_DEV_GPU_UTIL', unit: 'percent' });
    expect(pickGpuEnergySource(west)).toMatchObject({ metric: 'DCGM_FI_DEV_POWER_USAGE', unit: 'watts' });
    expect(pickWorkloadEnergySource(west)).toMatchObject({ metric: 'kepler_container_joules_total' });
    expect(pickRequestSource(west)).toMatchObject({ metric: 'http_requests_total' });
    expect(pickLatencySource(west)).toMatchObject({
      metric: 'revision_app_request_latencies_bucket',
      unit: 'milliseconds',
    });
    expect(pickNodePriceSource(west).kind).toBe('missing');
  });

  it('explains what to deploy when a cluster has no exporters', async () => {
    const discover = createExporterDiscovery();
    const empty = await discover({ prometheusUrl: prometheus.url, cluster: 'nowhere' });
    expect(empty.dcgm.present).toBe(false);
    const gpu = pickGpuUtilSource(empty);
    expect(gpu).toMatchObject({ kind: 'missing', needed: expect.arrayContaining(['DCGM_FI_DEV_GPU_UTIL']) });
    expect(gpu.kind === 'missing' && gpu.howTo).toContain('dcgm-exporter');
    expect(pickWorkloadEnergySource(empty).kind).toBe('missing');
  });

  it('sees every cluster without a cluster filter, caches the answer for the TTL, then refreshes it behind the page', async () => {
    const clock = { nowMs: Date.now() };
    const client = new PrometheusClient({ url: proxy.url, guard: false });
    const discover = createExporterDiscovery({ ttlMs: 60_000, now: () => clock.nowMs, clientFor: () => client });
    const all = await discover({ prometheusUrl: proxy.url });
    expect(all.http).toMatchObject({ otel: true, legacy: true });
    const requests = proxy.total();
    expect(await discover({ prometheusUrl: proxy.url })).toBe(all);
    expect(proxy.total()).toBe(requests);
    clock.nowMs += 60_001;
    // Past the TTL the caller gets the previous answer at once (no Prometheus round trip in its path)…
    expect(await discover({ prometheusUrl: proxy.url })).toBe(all);
    // …while one refresh asks Prometheus again, and the next caller gets its answer.
    await vi.waitFor(() => expect(proxy.total()).toBeGreaterThan(requests));
    await vi.waitFor(async () => expect(await discover({ prometheusUrl: proxy.url })).not.toBe(all));
    expect((await discover({ prometheusUrl: proxy.url })).discoveredAtMs).toBe(clock.nowMs);
  });
});
