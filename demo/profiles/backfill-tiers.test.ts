import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterSimulator } from '../sim/simulator.ts';
import { clusters } from '../topology.ts';
import { backfillTiers } from './backfill-tiers.ts';
import { demoProfile } from './index.ts';
import { largeClusters } from './large.ts';

const run = promisify(execFile);
const minuteMs = 60_000;
const hourMs = 60 * minuteMs;

describe('tiered history with promtool', () => {
  let dir: string;
  let lastMs: number;
  const nowMs = Date.UTC(2026, 10, 20, 6, 0);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'burnrate-tiers-'));
    const spec = clusters[0]!;
    const sim = new ClusterSimulator(spec, { seed: 4, scenario: () => ({ name: 'normal', sinceMs: 0 }) });
    lastMs = await backfillTiers({
      tiers: [
        // Old: GPU holders only, and only their requests and the GPUs' utilisation.
        {
          fromAgoMs: 3 * hourMs,
          stepMs: 30 * minuteMs,
          keep: (f) => f === 'kube_pod_container_resource_requests' || f === 'DCGM_FI_DEV_GPU_UTIL',
          pods: (p) => p.gpuRequest > 0,
        },
        { fromAgoMs: 10 * minuteMs, stepMs: minuteMs, keep: () => true },
      ],
      clusters: [{ simulator: sim, stateAt: (t) => sim.nominalState(t) }],
      fromMs: nowMs - 3 * hourMs,
      nowMs,
      toMs: nowMs,
      liveFilter: (f) => f !== 'kube_pod_status_ready',
      dataDir: path.join(dir, 'data'),
      workDir: path.join(dir, 'work'),
      exportersAddress: '127.0.0.1:9450',
    });
    await mkdir(path.join(dir, 'data', 'wal'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function samples(match: string, fromMs: number, toMs: number): Promise<string[]> {
    const { stdout } = await run(
      'promtool',
      [
        'tsdb',
        'dump',
        `--match=${match}`,
        '--min-time',
        String(fromMs),
        '--max-time',
        String(toMs),
        path.join(dir, 'data'),
      ],
      { maxBuffer: 64 << 20 },
    );
    return stdout.split('\n').filter((l) => l.trim() !== '');
  }

  it('writes old history at its own step, with only the families and pods of its tier', async () => {
    const old = [nowMs - 3 * hourMs, nowMs - 11 * minuteMs] as const;
    const gpuRequests = await samples(
      '{__name__="kube_pod_container_resource_requests", resource="nvidia_com_gpu"}',
      ...old,
    );
    const times = [...new Set(gpuRequests.map((l) => Number(l.split(' ').at(-1))))].sort((a, b) => a - b);
    expect(times[1]! - times[0]!).toBe(30 * minuteMs);
    expect(
      await samples(
        '{__name__="kube_pod_container_resource_requests", resource="cpu", pod=~".*(gateway|search-api).*"}',
        ...old,
      ),
    ).toEqual([]);
    expect(await samples('{__name__="container_cpu_usage_seconds_total"}', ...old)).toEqual([]);
  });

  it('writes the last minutes with every family and pod at the fine step, up to now', async () => {
    const recent = [nowMs - 10 * minuteMs, nowMs] as const;
    expect((await samples('{__name__="container_cpu_usage_seconds_total"}', ...recent)).length).toBeGreaterThan(0);
    const cpu = await samples('{__name__="kube_pod_container_resource_requests", resource="cpu"}', ...recent);
    expect(cpu.some((l) => /pod="[^"]*(gateway|search-api)/.test(l))).toBe(true);
    expect(lastMs).toBe(nowMs);
  });
});

describe('the large profile', () => {
  it('has one cluster of 1,000 nodes and at least 30,000 pods by its spec', () => {
    const [large, ...others] = largeClusters();
    expect(others).toEqual([]);
    expect(large!.nodes).toHaveLength(1000);
    const perNode = large!.daemonSets.filter((d) => !d.gpuNodesOnly).length;
    const perGpuNode = large!.daemonSets.filter((d) => d.gpuNodesOnly).length;
    const gpuNodes = large!.nodes.filter((n) => !n.instanceType.startsWith('m6i')).length;
    const replicas = [...large!.services, ...large!.serving].reduce((n, w) => n + w.replicas, 0);
    expect(replicas + perNode * 1000 + perGpuNode * gpuNodes).toBeGreaterThanOrEqual(30_000);
    expect(new Set(large!.nodes.map((n) => n.name)).size).toBe(1000);
  });

  it('keeps the default profile as the topology has it', () => {
    expect(demoProfile('default').clusters).toBe(clusters);
    expect(demoProfile('default').historyTiers).toBeUndefined();
  });
});
