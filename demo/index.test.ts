import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoPlatform, type DemoPlatform } from './index.ts';
import { slowStepMs } from './prometheus/backfill.ts';
import {
  eventually,
  freePort,
  query,
  queryRange,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type RunningProcess,
  type WebhookReceiver,
} from './prometheus/test-support.ts';
import { catalog } from './sim/catalog.ts';
import { clusters } from './topology.ts';

// One demo platform with 7.2 hours of history (the last 6 at the fine 30 s step), scraped by a real
// Prometheus every 2 s, alerting through a real Alertmanager to a webhook receiver run here.

const historyDays = 0.3;
const stepSeconds = 120;
const slowStepSeconds = slowStepMs / 1000;
const onlyUsEast = /^(vllm:|http_|activator_|autoscaler_|revision_)/;
const onlyEuWest = /^kube_job_/;

describe('demo platform with real Prometheus and Alertmanager', () => {
  let home: string;
  let platform: DemoPlatform;
  let prometheus: RunningProcess;
  let alertmanager: RunningProcess;
  let receiver: WebhookReceiver;
  let seamSeconds: number;

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'burnrate-demo-'));
    receiver = await startWebhookReceiver();
    const [promPort, amPort, kubeA, kubeB] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    platform = await startDemoPlatform({
      home,
      seed: 7,
      scenario: 'normal',
      appUrl: receiver.url,
      fresh: true,
      historyDays,
      log: () => {},
      ports: { kubeApi: { 'us-east-prod': kubeA, 'eu-west-batch': kubeB }, exporters: 0, control: 0 },
      alertmanagerAddress: `127.0.0.1:${amPort}`,
      backfillStepSeconds: stepSeconds,
      scrapeIntervalSeconds: 2,
      alertRules: { forOverride: '0s' },
    });
    seamSeconds = platform.backfilledUntilMs / 1000;
    alertmanager = await startAlertmanager(
      platform.alertmanagerConfigPath,
      path.join(home, 'alertmanager-data'),
      amPort,
    );
    prometheus = await startPrometheus(platform.prometheusConfigPath, platform.prometheusDataDir, promPort);
    await eventually(
      async () => {
        const up = await query(prometheus.url, 'count(up{job!="burnrate"} == 1)');
        return up[0]?.value?.[1] === String(2 * 9) ? true : undefined;
      },
      30_000,
      'every exporter of both clusters scraped',
    );
  }, 900_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await platform?.stop();
    await receiver?.close();
    await rm(home, { recursive: true, force: true });
  });

  const families = Object.entries(catalog)
    .filter(([name]) => !name.startsWith('revision_request'))
    .map(([name, meta]) => (meta.type === 'histogram' ? `${name}_bucket` : name));

  function expectedClusters(family: string): string[] {
    if (onlyUsEast.test(family)) return ['us-east-prod'];
    if (onlyEuWest.test(family)) return ['eu-west-batch'];
    return ['eu-west-batch', 'us-east-prod'];
  }

  async function clustersWith(promql: string, atSeconds: number): Promise<string[]> {
    return (await query(prometheus.url, `count by (cluster) (${promql})`, atSeconds))
      .map((r) => r.metric.cluster ?? '')
      .sort();
  }

  it('has every metric family for its clusters across the backfilled day', async () => {
    for (const family of families) {
      const clusters = await clustersWith(
        `count_over_time({__name__="${family}"}[${Math.floor((historyDays * 24 - 1) * 60)}m])`,
        seamSeconds,
      );
      expect(clusters, family).toEqual(expectedClusters(family));
    }
  });

  it('has history fine enough for the rate windows of 1 h and 6 h charts (60 s) over the last hours', async () => {
    // 30 s backfill over the last 6 h: two samples in every 60 s window (older history is at 120 s).
    for (const hoursAgo of [1, 3, 5.5]) {
      expect(
        await clustersWith('rate(vllm:request_success_total[1m])', seamSeconds - hoursAgo * 3600),
        `${hoursAgo} h ago`,
      ).toEqual(['us-east-prod']);
    }
  });

  it('has every metric family live now, scraped from the exporters', async () => {
    // A target's first scrape can be up to one interval away right after start: poll, bounded.
    // Both clusters always have pods (system DaemonSets on every node), so pod families too.
    for (const family of families) {
      const expected = expectedClusters(family);
      await expect
        .poll(() => clustersWith(`last_over_time({__name__="${family}"}[20s])`, Date.now() / 1000), {
          message: family,
          timeout: 45_000,
          interval: 2_000,
        })
        .toEqual(expect.arrayContaining(expected));
    }
  });

  it('joins history and live data with no gap at the seam', async () => {
    // Every window of one backfill step (plus slack) from an hour before the seam to now holds samples:
    // backfilled ones before the seam, scraped ones after it. Series of objects (nodes, prices) are
    // backfilled every 4 minutes.
    const end = Math.floor(Date.now() / 1000);
    const start = end - 3600;
    const expectedPoints = Math.floor((end - start) / stepSeconds) + 1;
    for (const [family, window] of [
      ['DCGM_FI_DEV_POWER_USAGE', stepSeconds],
      ['kube_node_info', slowStepSeconds],
      ['argo_workflows_count', stepSeconds],
      ['node_total_hourly_cost', slowStepSeconds],
    ] as const) {
      const promql = `sum by (cluster) (count_over_time(${family}[${window + 10}s]))`;
      const series = await queryRange(prometheus.url, promql, start, end, stepSeconds);
      expect(series.map((s) => s.metric.cluster).sort(), promql).toEqual(['eu-west-batch', 'us-east-prod']);
      for (const s of series) expect(s.values?.length, `${promql} ${s.metric.cluster}`).toBe(expectedPoints);
    }
    // Raw samples of one series around the seam: one per (slow) step before it, one per scrape after
    // it, and never a hole longer than the backfill's slow step.
    const raw = await eventually(
      async () => {
        const at = Date.now() / 1000;
        const result = await query(
          prometheus.url,
          `kube_node_info{cluster="us-east-prod"}[${Math.ceil(at - seamSeconds) + 900}s]`,
          at,
        );
        const scraped = result.map((r) => (r.values ?? []).filter(([t]) => t > seamSeconds).length);
        const nodes = clusters.find((c) => c.name === 'us-east-prod')!.nodes.length;
        return result.length === nodes && scraped.every((n) => n >= 3) ? result : undefined;
      },
      30_000,
      'three scrapes after the seam',
    );
    for (const r of raw) {
      const times = (r.values ?? []).map(([t]) => t);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...gaps), r.metric.node).toBeLessThanOrEqual(slowStepSeconds);
    }
  });

  it('keeps counters running across the seam: no resets, energy never goes down', async () => {
    const at = Date.now() / 1000;
    for (const counter of [
      'container_cpu_usage_seconds_total',
      'vllm:request_success_total',
      'kepler_container_joules_total',
      'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    ]) {
      const resets = await query(prometheus.url, `sum(resets(${counter}[2h]))`, at);
      expect(resets[0]?.value?.[1], counter).toBe('0');
    }
    const energy = await queryRange(
      prometheus.url,
      'sum by (cluster) (max by (cluster, UUID) (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION))',
      seamSeconds - 1800,
      at,
      10,
    );
    expect(energy).toHaveLength(2);
    for (const s of energy) {
      const values = (s.values ?? []).map(([, v]) => Number(v));
      expect(values.length).toBeGreaterThan(180);
      values
        .slice(1)
        .forEach((v, i) => expect(v, `${s.metric.cluster} at point ${i + 1}`).toBeGreaterThanOrEqual(values[i]!));
    }
  });

  it('in the spike scenario, fires a chat-llm alert that Alertmanager posts to the webhook', async () => {
    const res = await fetch(`${platform.controlUrl}/scenario`, {
      method: 'POST',
      body: JSON.stringify({ name: 'spike' }),
    });
    expect(res.status).toBe(200);
    const alert = await eventually(
      async () => {
        for (const post of receiver.posts as { alerts: { status: string; labels: Record<string, string> }[] }[]) {
          const found = post.alerts.find(
            (a) =>
              a.status === 'firing' &&
              a.labels.workload === 'chat-llm' &&
              (a.labels.alertname === 'QueueBacklog' || a.labels.alertname === 'LatencyP95OverSLO'),
          );
          if (found) return found;
        }
        return undefined;
      },
      60_000,
      'a chat-llm alert at the webhook',
    );
    expect(alert.labels).toMatchObject({ cluster: 'us-east-prod', namespace: 'llm-serving', team: 'assistant' });
    expect(['warning', 'critical']).toContain(alert.labels.severity);
  }, 90_000);

  it('scaled from 2 to 6 with kubectl during the spike, chat-llm shows 6 replicas in kube-state-metrics and a lower p95 within 60 s', async () => {
    const chat = clusters.find((c) => c.name === 'us-east-prod')!.serving.find((w) => w.name === 'chat-llm')!;
    // Deployment pods only (chat-llm-<hash>-<suffix>), not the Knative chat-llm-serverless ones.
    const p95 =
      'histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{cluster="us-east-prod", namespace="llm-serving", pod=~"chat-llm-[a-z0-9]+-[a-z0-9]{5}"}[10s])))';
    const p95Seconds = async (): Promise<number | undefined> => {
      const value = Number((await query(prometheus.url, p95))[0]?.value?.[1]);
      return Number.isFinite(value) ? value : undefined;
    };
    const replicas = async (): Promise<string | undefined> =>
      (
        await query(
          prometheus.url,
          'kube_deployment_spec_replicas{cluster="us-east-prod", namespace="llm-serving", deployment="chat-llm"}',
        )
      )[0]?.value?.[1];
    expect(await replicas()).toBe('2');
    const before = await eventually(
      async () => {
        const v = await p95Seconds();
        return v !== undefined && v > chat.sloP95Seconds ? v : undefined;
      },
      30_000,
      'chat-llm p95 over its SLO on 2 replicas under the spike',
    );

    const kubectl = await promisify(execFile)(
      '/usr/bin/kubectl',
      [
        '--context',
        'us-east-prod',
        '--user',
        'demo-operator',
        'scale',
        'deploy/chat-llm',
        '-n',
        'llm-serving',
        '--replicas=6',
      ],
      {
        env: { ...process.env, KUBECONFIG: platform.kubeconfigPath, HOME: home },
        timeout: 30_000,
      },
    );
    expect(kubectl.stdout).toMatch(/deployment\.apps\/chat-llm scaled/);
    const scaledAtMs = Date.now();

    await eventually(
      async () => ((await replicas()) === '6' ? true : undefined),
      15_000,
      'kube_deployment_spec_replicas 6',
    );
    // New pods need their startup (model load) before they take traffic; then queueing collapses.
    const after = await eventually(
      async () => {
        const v = await p95Seconds();
        return v !== undefined && v < before * 0.6 ? v : undefined;
      },
      60_000 - (Date.now() - scaledAtMs),
      `chat-llm p95 below 60% of ${before.toFixed(2)} s`,
    );
    expect(after).toBeLessThan(before * 0.6);
    expect(Date.now() - scaledAtMs).toBeLessThan(60_000);
    const ready = await query(
      prometheus.url,
      'kube_deployment_status_replicas_ready{cluster="us-east-prod", deployment="chat-llm"}',
    );
    expect(Number(ready[0]?.value?.[1])).toBeGreaterThan(2);
  }, 120_000);
});
