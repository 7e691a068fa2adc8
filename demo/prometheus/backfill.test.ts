import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters } from '../topology.ts';
import { ClusterSimulator } from '../sim/simulator.ts';
import { backfill, type BackfillResult } from './backfill.ts';

const run = promisify(execFile);

describe('backfill into TSDB blocks with promtool', () => {
  let dir: string;
  let result: BackfillResult;
  const t0 = Date.UTC(2026, 10, 20, 0, 0);
  const hourMs = 3_600_000;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'burnrate-backfill-'));
    const sims = clusters.map(
      (spec) => new ClusterSimulator(spec, { seed: 4, scenario: () => ({ name: 'normal', sinceMs: 0 }) }),
    );
    result = await backfill({
      clusters: sims.map((s) => ({ simulator: s, stateAt: (t) => s.nominalState(t) })),
      fromMs: t0,
      toMs: t0 + 3 * hourMs + 30_000,
      stepMs: 120_000,
      chunkMs: hourMs,
      stretches: [
        { fromMs: t0, stepMs: 240_000 },
        { fromMs: t0 + hourMs, stepMs: 120_000 },
      ],
      dataDir: path.join(dir, 'data'),
      workDir: path.join(dir, 'work'),
      exportersAddress: '127.0.0.1:9450',
    });
    // promtool tsdb dump opens the directory as Prometheus would, WAL included.
    await mkdir(path.join(dir, 'data', 'wal'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function timestamps(match: string): Promise<number[]> {
    const { stdout } = await run('promtool', ['tsdb', 'dump', `--match=${match}`, path.join(dir, 'data')], {
      maxBuffer: 64 << 20,
    });
    return stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => Number(l.split(' ').at(-1)));
  }

  it('writes one series at the coarse step, then the fine step, then the end instant', async () => {
    const times = await timestamps(
      '{__name__="container_memory_working_set_bytes", cluster="us-east-prod", container="kube-proxy", node="ip-10-1-4-14.us-east-1.compute.internal"}',
    );
    // First hour at 240 s: 3600 ÷ 240 = 15 samples; next two hours at 120 s: 2 × 30 = 60; then
    // 03:00:00 (the last chunk's first instant) and 03:00:30 (the end): 15 + 60 + 2 = 77.
    expect(times).toHaveLength(77);
    expect(times[0]).toBe(t0);
    expect(times[14]! - times[13]!).toBe(240_000);
    expect(times[16]! - times[15]!).toBe(120_000);
    expect(times.at(-1)).toBe(t0 + 3 * hourMs + 30_000);
    expect(result.lastMs).toBe(t0 + 3 * hourMs + 30_000);
  });

  it('writes series of cluster objects every 4 minutes whatever the step, and at the end instant', async () => {
    const times = await timestamps(
      '{__name__="kube_node_info", cluster="us-east-prod", node="ip-10-1-4-14.us-east-1.compute.internal"}',
    );
    // 00:00-03:00 every 240 s: 45 samples; then 03:00:00 and the end 03:00:30: 47, never 5 min apart.
    expect(times).toHaveLength(47);
    expect(Math.max(...times.slice(1).map((t, i) => t - times[i]!))).toBe(240_000);
    expect(times.at(-1)).toBe(t0 + 3 * hourMs + 30_000);
  });

  it('leaves no input files behind, only blocks', async () => {
    expect(await readdir(path.join(dir, 'work'))).toEqual([]);
    expect((await readdir(path.join(dir, 'data'))).filter((f) => f !== 'wal').length).toBeGreaterThanOrEqual(1);
  });

  it('carries the cluster, job and instance labels Prometheus will give the scraped series', async () => {
    const { stdout } = await run('promtool', [
      'tsdb',
      'dump',
      '--match={__name__="vllm:request_success_total"}',
      '--min-time',
      String(t0 + hourMs),
      '--max-time',
      String(t0 + hourMs),
      path.join(dir, 'data'),
    ]);
    const first = stdout.split('\n')[0]!;
    expect(first).toContain('cluster="us-east-prod"');
    expect(first).toContain('job="vllm"');
    expect(first).toContain('instance="127.0.0.1:9450"');
  });
});
