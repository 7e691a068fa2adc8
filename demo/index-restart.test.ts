import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoPlatform, type DemoPlatformOptions } from './index.ts';
import {
  eventually,
  freePort,
  query,
  queryRange,
  startPrometheus,
  type RunningProcess,
} from './prometheus/test-support.ts';

// A second start backfills only the gap since the first one stopped, and Prometheus, restarted on
// the same data dir, shows one continuous history: no hole, no counter reset.

const stepSeconds = 120;

describe('demo platform restarted on the same home', () => {
  let home: string;
  let prometheus: RunningProcess | undefined;
  let firstSeamSeconds: number;
  let secondBackfillMinutes: number;
  let promPort: number;

  async function startProm(configPath: string, dataDir: string): Promise<RunningProcess> {
    const p = await startPrometheus(configPath, dataDir, promPort);
    await eventually(
      async () => {
        const up = await query(p.url, 'count(up{job!="burnrate"} == 1)');
        return up[0]?.value?.[1] === '18' ? true : undefined;
      },
      30_000,
      'every exporter scraped',
    );
    return p;
  }

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'burnrate-restart-'));
    const [kubeA, kubeB, amPort] = await Promise.all([freePort(), freePort(), freePort()]);
    promPort = await freePort();
    const logs: string[] = [];
    const opts: DemoPlatformOptions = {
      home,
      seed: 9,
      scenario: 'normal',
      appUrl: 'http://127.0.0.1:9',
      fresh: true,
      historyDays: 0.25,
      log: (m) => logs.push(m),
      ports: { kubeApi: { 'us-east-prod': kubeA, 'eu-west-batch': kubeB }, exporters: 0, control: 0 },
      alertmanagerAddress: `127.0.0.1:${amPort}`,
      backfillStepSeconds: stepSeconds,
      scrapeIntervalSeconds: 2,
    };
    const first = await startDemoPlatform(opts);
    firstSeamSeconds = first.backfilledUntilMs / 1000;
    prometheus = await startProm(first.prometheusConfigPath, first.prometheusDataDir);
    await new Promise((r) => setTimeout(r, 6000));
    await prometheus.stop();
    await first.stop();
    await new Promise((r) => setTimeout(r, 3000));
    logs.length = 0;
    const second = await startDemoPlatform({ ...opts, fresh: false, ports: { ...opts.ports, exporters: 0 } });
    secondBackfillMinutes = Number(/backfilling ([\d.]+) min/.exec(logs.join('\n'))?.[1]);
    prometheus = await startProm(second.prometheusConfigPath, second.prometheusDataDir);
    afterAllStops.push(() => second.stop());
  });

  const afterAllStops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await prometheus?.stop();
    for (const stop of afterAllStops) await stop();
    await rm(home, { recursive: true, force: true });
  });

  it('backfills only the gap since the first run, not the whole history again', () => {
    // The first run lived about 10 s after its 6 h of history; the gap is that plus the 3 s pause.
    expect(secondBackfillMinutes).toBeGreaterThan(0);
    expect(secondBackfillMinutes).toBeLessThan(5);
  });

  it('has no hole from the first history through both runs', async () => {
    const end = Math.floor(Date.now() / 1000);
    const start = Math.floor(firstSeamSeconds) - 3600;
    const expectedPoints = Math.floor((end - start) / stepSeconds) + 1;
    const series = await queryRange(
      prometheus!.url,
      `sum by (cluster) (count_over_time(DCGM_FI_DEV_POWER_USAGE[${stepSeconds + 10}s]))`,
      start,
      end,
      stepSeconds,
    );
    expect(series).toHaveLength(2);
    for (const s of series) expect(s.values?.length, s.metric.cluster).toBe(expectedPoints);
  });

  it('keeps every counter monotonic across both seams', async () => {
    const at = Date.now() / 1000;
    for (const counter of [
      'container_cpu_usage_seconds_total',
      'vllm:request_success_total',
      'http_requests_total',
      'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    ]) {
      const resets = await query(prometheus!.url, `sum(resets(${counter}[2h]))`, at);
      expect(resets[0]?.value?.[1], counter).toBe('0');
    }
  });
});
