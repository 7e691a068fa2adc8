import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '@/server/prometheus/client';
import { adminExploreQuery } from '@/server/prometheus/query-builder';
import { nodeUnitPrices } from '@/demo/sim/exporters/opencost';
import { clusters, instanceTypes } from '@/demo/topology';
import { startDemoHistory, type DemoHistory } from '../testing/demo-history';
import { prometheusCostInputs, type PrometheusInputs } from './prometheus-inputs';

// Against a real Prometheus holding 3 hours of the demo's history (port offset 800).

const hourMs = 3_600_000;
const cluster = 'us-east-prod';

describe('cost inputs from the demo Prometheus', () => {
  let history: DemoHistory;
  let inputs: PrometheusInputs;
  let client: PrometheusClient;

  beforeAll(async () => {
    history = await startDemoHistory({ hours: 3, portOffset: 800 });
    client = new PrometheusClient({ url: history.prometheusUrl, guard: false });
    inputs = await prometheusCostInputs({
      prometheusUrl: history.prometheusUrl,
      clusterLabel: 'cluster',
      cluster,
      fromMs: history.fromMs,
      toMs: history.toMs,
      scrapeIntervalSeconds: 15,
      client,
    });
  }, 600_000);
  afterAll(async () => {
    await history?.close();
  });

  /** Raw samples of `selector` in (hourEnd − 1 h, hourEnd], read by this test, not by the code under test. */
  async function rawSeries(selector: string, hourEndMs: number): Promise<Record<string, string>[]> {
    const answer = await client.query(adminExploreQuery(`${selector}[1h]`), { timeSeconds: hourEndMs / 1000 });
    if (answer.resultType !== 'matrix') throw new Error(`expected a matrix, got ${answer.resultType}`);
    return answer.result.filter((s) => s.values.some(([, v]) => v === 1)).map((s) => s.metric);
  }

  it('asks one query per figure for all hours, and gives every hour', () => {
    expect(inputs.queryCount).toBe(16);
    expect(inputs.hours.map((h) => h.hourStart.getTime())).toEqual([0, 1, 2].map((i) => history.fromMs + i * hourMs));
  });

  it('has one PodHour per pod kube_pod_info names on a node and that was Pending or Running in the hour', async () => {
    const hour = inputs.hours[1]!;
    const hourEndMs = hour.hourStart.getTime() + hourMs;
    const info = await rawSeries(`kube_pod_info{cluster="${cluster}",node!=""}`, hourEndMs);
    const holding = await rawSeries(`kube_pod_status_phase{cluster="${cluster}",phase=~"Pending|Running"}`, hourEndMs);
    const held = new Set(holding.map((l) => `${l.namespace}/${l.pod}`));
    const expected = new Set(info.map((l) => `${l.namespace}/${l.pod}`).filter((k) => held.has(k)));
    expect(expected.size).toBeGreaterThan(150);
    expect(new Set(hour.pods.map((p) => `${p.namespace}/${p.pod}`))).toEqual(expected);
    expect(hour.pods).toHaveLength(expected.size);
  });

  it('has every node of the cluster with its capacity, instance id and GPU shape', () => {
    const spec = clusters.find((c) => c.name === cluster)!;
    const hour = inputs.hours[2]!;
    expect(hour.nodes.map((n) => n.node).sort()).toEqual(spec.nodes.map((n) => n.name).sort());
    for (const node of spec.nodes) {
      const got = hour.nodes.find((n) => n.node === node.name)!;
      const type = instanceTypes[node.instanceType];
      expect(got.providerId).toBe(node.providerID);
      expect(got.instanceType).toBe(type.name);
      expect(got.cpuCores).toBe(type.vcpu);
      expect(got.memoryBytes).toBe(type.memoryGiB * 1024 ** 3);
      expect(got.gpuDevices).toBe(type.gpuCount);
      expect(got.hoursPresent).toBe(1);
      const replicas = node.gpuSharing?.mode === 'time-slicing' ? node.gpuSharing.replicasPerGpu : 1;
      expect(got.gpuTimeSliceReplicas).toBe(replicas);
      if (type.gpuCount > 0) expect(got.gpuActivityByDevice).toHaveLength(type.gpuCount);
      const openCost = hour.openCostByNode.get(node.name)!;
      // The demo's exposition writes values to 3 decimal places.
      const total = Math.round(nodeUnitPrices(node.instanceType).totalUsdPerHour * 1000) / 1000;
      expect(openCost.totalPerHour!.toNumber()).toBe(total);
      expect(openCost.cpuPerVcpuHour!.greaterThan(0)).toBe(true);
    }
  });

  it('resolves owners, teams, requests and GPU holdings', () => {
    const pods = inputs.hours[2]!.pods;
    const chat = pods.find((p) => p.namespace === 'llm-serving' && p.pod.startsWith('chat-llm-'));
    expect(chat).toMatchObject({ workloadKind: 'Deployment', workloadName: 'chat-llm', team: 'assistant' });
    expect(chat!.gpu).toEqual({ kind: 'whole', devices: 1 });
    expect(chat!.gpuDeviceIndexes).toHaveLength(1);
    expect(chat!.gpuActivity).toBeGreaterThan(0);
    expect(chat!.cpuRequestCores).toBeGreaterThan(0);
    expect(chat!.memoryUsageBytes).toBeGreaterThan(0);
    expect(chat!.cpuUsageCores).toBeGreaterThan(0);
    const kinds = new Set(pods.map((p) => p.gpu?.kind ?? 'none'));
    expect(kinds).toEqual(new Set(['none', 'whole', 'mig', 'time-sliced']));
    const mig = pods.find((p) => p.gpu?.kind === 'mig')!;
    expect(mig.gpu).toMatchObject({ kind: 'mig', instances: 1 });
    expect(['1g.10gb', '3g.40gb']).toContain((mig.gpu as { profile: string }).profile);
    expect(pods.filter((p) => p.workloadKind === 'DaemonSet').length).toBeGreaterThan(50);
    expect(pods.every((p) => p.hoursPresent > 0 && p.hoursPresent <= 1)).toBe(true);
  });
});
