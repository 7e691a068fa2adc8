import { describe, expect, it } from 'vitest';
import { clusters, instanceTypes } from '../topology.ts';
import type { Sample } from './samples.ts';
import { ClusterSimulator } from './simulator.ts';

// The simulation's energy against published figures. ML.ENERGY measured an 8B model on one H100
// under vLLM at about 0.46 J per generated token at batch 8 and 0.07 J at batch 512; idle GPUs draw
// their board's idle power. Both are read here from the exporters' own series, as Prometheus would.

const spec = clusters.find((c) => c.name === 'us-east-prod')!;
const chat = spec.serving.find((w) => w.name === 'chat-llm')!;

function value(samples: Sample[], name: string, match: RegExp): number {
  return samples.filter((s) => s.name === name && match.test(s.labelText)).reduce((sum, s) => sum + s.value, 0);
}

/** J per generated token of chat-llm over [fromMs, toMs]: device energy counters over vLLM's token counter. */
function joulesPerToken(fromMs: number, toMs: number): { joulesPerToken: number; batch: number } {
  const sim = new ClusterSimulator(spec, { seed: 7, scenario: () => ({ name: 'normal', sinceMs: 0 }) });
  const chatPod = /(?:^|,)pod="chat-llm-[a-z0-9]+-[a-z0-9]+"/;
  let first: { mJ: number; tokens: number } | undefined;
  let last = { mJ: 0, tokens: 0 };
  let running = 0;
  let instants = 0;
  for (let t = fromMs; t <= toMs; t += 15_000) {
    const samples = sim.advance(t, sim.nominalState(t));
    // One energy series per device (the pod label names its tenant), each the device's counter.
    last = {
      mJ: value(samples, 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', chatPod),
      tokens: value(samples, 'vllm:generation_tokens_total', chatPod),
    };
    first ??= last;
    running += value(samples, 'vllm:num_requests_running', chatPod);
    instants++;
  }
  const pods = chat.replicas;
  return {
    joulesPerToken: (last.mJ - first!.mJ) / 1000 / (last.tokens - first!.tokens),
    batch: running / instants / pods,
  };
}

describe('GPU energy of the simulation', () => {
  it('spends 0.07-0.5 J per generated token for the 8B chat model on H100s at the daily high (batch ≥ 8)', () => {
    // 16:00-16:30 in New York on a Wednesday: chat-llm's busiest half hour.
    const { joulesPerToken: jPerToken, batch } = joulesPerToken(
      Date.UTC(2026, 11, 2, 21, 0),
      Date.UTC(2026, 11, 2, 21, 30),
    );
    expect(batch).toBeGreaterThanOrEqual(8);
    expect(jPerToken).toBeGreaterThan(0.07);
    expect(jPerToken).toBeLessThan(0.5);
  });

  it('spends more per token at night, when a small batch leaves the idle floor to few tokens', () => {
    const night = joulesPerToken(Date.UTC(2026, 11, 2, 9, 0), Date.UTC(2026, 11, 2, 9, 30));
    const day = joulesPerToken(Date.UTC(2026, 11, 2, 21, 0), Date.UTC(2026, 11, 2, 21, 30));
    expect(night.batch).toBeLessThan(day.batch);
    expect(night.joulesPerToken).toBeGreaterThan(day.joulesPerToken);
  });

  it('has idle GPUs draw their idle power', () => {
    const sim = new ClusterSimulator(spec, { seed: 7, scenario: () => ({ name: 'normal', sinceMs: 0 }) });
    const t = Date.UTC(2026, 11, 2, 21, 0);
    const samples = sim.advance(t, sim.nominalState(t));
    const idle = samples.filter(
      (s) =>
        s.name === 'DCGM_FI_DEV_POWER_USAGE' && !/(?:^|,)pod=/.test(s.labelText) && !s.labelText.includes('GPU_I_ID'),
    );
    expect(idle.length).toBeGreaterThan(0);
    for (const s of idle) {
      const model = /modelName="([^"]*)"/.exec(s.labelText)?.[1];
      const type = Object.values(instanceTypes).find((x) => x.gpuModel === model)!;
      expect(s.value).toBeGreaterThan(type.gpuIdleWatts * 0.94);
      expect(s.value).toBeLessThan(type.gpuIdleWatts * 1.06);
    }
  });
});
