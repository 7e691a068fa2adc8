import { describe, expect, it } from 'vitest';
import { clusters } from '../topology.ts';
import { knativeDesiredReplicas, replicasForLoad } from './autoscaler.ts';
import { gpuPowerWatts, gpuTemperatureCelsius } from './exporters/dcgm.ts';
import { shareAtOrBelow, workloadLoad } from './latency.ts';
import { hashUniform } from './noise.ts';
import { diurnalFactor, offeredRps } from './traffic.ts';

const usEast = clusters[0]!;
const chat = usEast.serving.find((w) => w.name === 'chat-llm')!;
const serverless = usEast.serving.find((w) => w.name === 'chat-llm-serverless')!;

describe('traffic', () => {
  it('is lowest at 04:00 and highest at 16:00 local time', () => {
    // 0.2 + 0.8 × (0.5 − 0.5 cos 0) = 0.2; at 16:00 the cosine is cos π = −1: 0.2 + 0.8 × 1 = 1.
    expect(diurnalFactor(4)).toBeCloseTo(0.2, 10);
    expect(diurnalFactor(16)).toBeCloseTo(1, 10);
    // 10:00 is a quarter turn: 0.2 + 0.8 × 0.5 = 0.6.
    expect(diurnalFactor(10)).toBeCloseTo(0.6, 10);
  });

  it('gives the same answer for the same minute and seed, whoever asks', () => {
    const input = { seed: 5, cluster: usEast.name, region: usEast.region, workload: chat, scenario: 'normal' as const };
    const t = Date.UTC(2026, 10, 24, 20, 30, 5);
    expect(offeredRps({ ...input, tMs: t })).toBe(offeredRps({ ...input, tMs: t + 50_000 }));
    expect(hashUniform(5, 'a', 1)).toBe(hashUniform(5, 'a', 1));
    expect(hashUniform(5, 'a', 1)).not.toBe(hashUniform(6, 'a', 1));
  });

  it('quadruples chat-llm traffic in the spike scenario, at least to 2 × its peak', () => {
    const base = {
      seed: 5,
      cluster: usEast.name,
      region: usEast.region,
      workload: chat,
      tMs: Date.UTC(2026, 10, 24, 21),
    };
    const normal = offeredRps({ ...base, scenario: 'normal' });
    const spike = offeredRps({ ...base, scenario: 'spike' });
    expect(spike).toBeCloseTo(4 * Math.max(normal, 0.5 * chat.peakRps), 10);
  });
});

describe('latency', () => {
  it('queues as utilisation grows: chat-llm at 9 req/s on 2 replicas', () => {
    // ρ = 9 ÷ (2 × 3.2) = 1.40625; median = 1.8 × (1 + 0.25 × 1.40625²) = 1.8 × 1.494385 = 2.68989 s.
    const load = workloadLoad(chat, 9, 2);
    expect(load.utilisation).toBeCloseTo(1.40625, 10);
    expect(load.p50Seconds).toBeCloseTo(2.68989, 4);
    expect(load.p95Seconds).toBeCloseTo(2.68989 * 1.6, 4);
    // On 6 replicas ρ = 9 ÷ 19.2 = 0.46875: median 1.8 × (1 + 0.25 × 0.219727) = 1.89888 s.
    expect(workloadLoad(chat, 9, 6).p50Seconds).toBeCloseTo(1.89888, 4);
  });

  it('adds a cold start when a scaled-to-zero service gets a request', () => {
    // 35 s startup + 0.2 s activation on top of the 1.8 s × (1 + 0.25 × (1 ÷ 3.2)²) = 1.84395 s median.
    expect(workloadLoad(serverless, 1, 0).p50Seconds).toBeCloseTo(1.84395 + 35.2, 4);
  });

  it('puts half the requests under the median and 95% under p95', () => {
    expect(shareAtOrBelow(2, 2)).toBeCloseTo(0.5, 6);
    expect(shareAtOrBelow(2 * 1.6, 2)).toBeCloseTo(0.95, 3);
    expect(shareAtOrBelow(Infinity, 2)).toBe(1);
  });
});

describe('GPU power and temperature', () => {
  it('runs from idle to max watts with load', () => {
    // A10G: 22 W idle, 300 W max. At 50%: 22 + 278 × 0.5^1.2 = 22 + 278 × 0.435275 = 143.006 W.
    expect(gpuPowerWatts(22, 300, 0)).toBe(22);
    expect(gpuPowerWatts(22, 300, 1)).toBe(300);
    expect(gpuPowerWatts(22, 300, 0.5)).toBeCloseTo(143.006, 2);
  });

  it('stays under the 85 °C alert when healthy and goes over it in gpu-hot', () => {
    expect(gpuTemperatureCelsius(1, false)).toBe(80);
    // 32 + 48 × 0.5 + 25 = 81 is still under the alert; 32 + 48 × 0.8 + 25 = 95.4 is capped at 93.
    expect(gpuTemperatureCelsius(0.5, true)).toBe(81);
    expect(gpuTemperatureCelsius(0.8, true)).toBe(93);
  });
});

describe('Knative autoscaler', () => {
  it('asks for ceil(rps ÷ (0.7 × rpsPerReplica)) replicas within its bounds', () => {
    // 3 req/s ÷ (0.7 × 3.2 = 2.24) = 1.34 → 2 replicas; 20 req/s would be 9, capped at maxScale 3.
    expect(replicasForLoad(serverless, 3)).toBe(2);
    expect(replicasForLoad(serverless, 20)).toBe(3);
    expect(replicasForLoad(serverless, 0)).toBe(0);
  });

  it('keeps one replica through a minute of idleness, then scales to zero', () => {
    const t = Date.UTC(2026, 10, 24, 12, 10);
    const rps =
      (busyUntil: number) =>
      (at: number): number =>
        at < busyUntil ? 1 : 0;
    // Busy until 12:10: at 12:10 the previous minute was busy, so one replica stays.
    expect(knativeDesiredReplicas(serverless, t, rps(t))).toBe(1);
    // Idle since 12:09: at 12:10 both minutes are idle.
    expect(knativeDesiredReplicas(serverless, t, rps(t - 60_000))).toBe(0);
  });
});
