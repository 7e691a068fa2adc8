import { describe, expect, it } from 'vitest';
import { stepsIn, workloadUsage } from './workload-usage';

const ns = (workload: string): Record<string, string> => ({ cluster: 'c1', namespace: 'ml', workload });

describe('workloadUsage', () => {
  it('integrates held and busy GPUs per step into GPU-hours', () => {
    // 4 steps of 15 min (0.25 h). "train" holds 2 GPUs at every step, busy 0.5 + 0.5 + 1 + 0 = 2 GPU-steps.
    // gpuHours = 2 × 4 × 0.25 = 2; busy = 2 × 0.25 = 0.5; idle = 1.5; util = 0.5 / 2 = 0.25; mean held = 8 / 4 = 2.
    const t = [0, 900_000, 1_800_000, 2_700_000];
    const held = [{ labels: ns('train'), points: t.map((ms): [number, number] => [ms, 2]) }];
    const busy = [
      {
        labels: ns('train'),
        points: [
          [0, 0.5],
          [900_000, 0.5],
          [1_800_000, 1],
          [2_700_000, 0],
        ] as [number, number][],
      },
    ];
    const [row] = workloadUsage(held, busy, ['cluster', 'namespace', 'workload'], 900, 4);
    expect(row).toMatchObject({ gpuHours: 2, idleGpuHours: 1.5, avgUtilRatio: 0.25, avgGpusHeld: 2, shared: false });
  });

  it('averages held GPUs over the whole range and flags time-sliced shares', () => {
    // "embed" holds a quarter of a shared GPU for 2 of 4 steps: mean held = 0.5 / 4 = 0.125 GPUs;
    // gpuHours = 0.5 × 0.25 h = 0.125; no busy series → idle = 0.125, util 0.
    const held = [
      {
        labels: ns('embed'),
        points: [
          [0, 0.25],
          [900_000, 0.25],
        ] as [number, number][],
      },
    ];
    const [row] = workloadUsage(held, [], ['cluster', 'namespace', 'workload'], 900, 4);
    expect(row).toMatchObject({
      avgGpusHeld: 0.125,
      gpuHours: 0.125,
      idleGpuHours: 0.125,
      avgUtilRatio: 0,
      shared: true,
    });
  });

  it('never reports busy above held (rounding in the split of shared devices)', () => {
    const held = [{ labels: ns('x'), points: [[0, 1]] as [number, number][] }];
    const busy = [{ labels: ns('x'), points: [[0, 1.0000001]] as [number, number][] }];
    const [row] = workloadUsage(held, busy, ['workload'], 3600, 1);
    expect(row?.idleGpuHours).toBe(0);
    expect(row?.avgUtilRatio).toBe(1);
  });
});

describe('stepsIn', () => {
  it('counts both ends: 0 to 1 h at 15 min is 5 steps', () => {
    expect(stepsIn(0, 3_600_000, 900)).toBe(5);
  });
});
