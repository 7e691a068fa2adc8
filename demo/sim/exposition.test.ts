import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clusters } from '../topology.ts';
import { renderTextFormat } from './exposition.ts';
import { exporterNames } from './samples.ts';
import { ClusterSimulator } from './simulator.ts';

// Lint findings that are the upstream exporters' own naming, kept on purpose so queries written
// for the real exporters work here.
const upstreamQuirks = [
  /^DCGM_FI_\w+ label names should be written in 'snake_case' not 'camelCase'$/, // UUID, modelName, Hostname
  /^DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter metrics should have "_total" suffix$/,
  /^vllm:\w+ metric names should not contain ':'$/,
  /^(activator|revision)_request_count counter metrics should have "_total" suffix$/,
  /^(activator|revision)_request_count non-histogram and non-summary metrics should not have "_count" suffix$/,
  /^(argo_workflows_count|argo_workflows_pods_count|node_gpu_count) non-histogram and non-summary metrics should not have "_count" suffix$/,
];

function promtoolCheckMetrics(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('exporter output in the Prometheus text format 0.0.4', () => {
  const simulator = new ClusterSimulator(clusters[0]!, { seed: 3, scenario: () => ({ name: 'normal', sinceMs: 0 }) });
  const t = Date.UTC(2026, 10, 24, 15, 0);
  simulator.advance(t - 60_000, simulator.nominalState(t - 60_000));
  const samples = simulator.advance(t, simulator.nominalState(t));

  it.each(exporterNames)(
    '%s parses and lints clean under promtool check metrics, upstream names aside',
    async (exporter) => {
      const text = renderTextFormat(samples, exporter);
      expect(text.length).toBeGreaterThan(0);
      const { output } = await promtoolCheckMetrics(text);
      const problems = output
        .split('\n')
        .filter((l) => l.trim() !== '')
        .filter((l) => !upstreamQuirks.some((q) => q.test(l)));
      expect(problems).toEqual([]);
    },
  );

  it('writes HELP and TYPE once per family and histogram buckets ending at +Inf', () => {
    const text = renderTextFormat(samples, 'vllm');
    expect(text.match(/^# TYPE vllm:e2e_request_latency_seconds histogram$/gm)).toHaveLength(1);
    const pod = /pod="(chat-llm-[^"]+)"/.exec(text)![1];
    const buckets = text
      .split('\n')
      .filter((l) => l.startsWith('vllm:e2e_request_latency_seconds_bucket') && l.includes(`pod="${pod}"`));
    expect(buckets.at(-1)).toContain('le="+Inf"');
    const counts = buckets.map((l) => Number(l.split(' ').at(-1)));
    counts.slice(1).forEach((c, i) => expect(c).toBeGreaterThanOrEqual(counts[i]!));
    const total = text
      .split('\n')
      .find((l) => l.startsWith('vllm:e2e_request_latency_seconds_count') && l.includes(`pod="${pod}"`));
    expect(Number(total!.split(' ').at(-1))).toBe(counts.at(-1));
  });
});
