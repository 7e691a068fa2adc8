import { describe, expect, it } from 'vitest';
import type { NodeHourAllocation } from '../types';
import { allocateNodeHour } from './allocate';
import { GIB, nodeCost, nodeHour, podHour, text } from './test-data';

const podTexts = (a: NodeHourAllocation, field: 'cpu' | 'memory' | 'gpuReserved' | 'gpuUsed'): string[] =>
  a.pods.map((p) => text(p[field]));

describe('allocateNodeHour', () => {
  it('charges two pods max(request, usage), one under and one over its requests', () => {
    // Node 4 cores / 16 GiB for the hour: cpu part 0.20 → 0.05 per core-hour; memory 0.10 → 0.00625 per GiB-hour.
    const node = nodeHour();
    const under = podHour('api-a', {
      cpuRequestCores: 1,
      cpuUsageCores: 0.5,
      memoryRequestBytes: 2 * GIB,
      memoryUsageBytes: 4 * GIB,
    });
    const over = podHour('api-b', {
      hoursPresent: 0.5,
      cpuRequestCores: 0.5,
      cpuUsageCores: 1.5,
      memoryRequestBytes: 4 * GIB,
      memoryUsageBytes: 1 * GIB,
    });
    const a = allocateNodeHour(node, nodeCost({ cpu: '0.20', memory: '0.10' }), [under, over]);
    // api-a: cpu max(1, 0.5) = 1 core × 1 h × 0.05 = 0.05; memory max(2, 4) = 4 GiB × 0.00625 = 0.025.
    // api-b: cpu max(0.5, 1.5) = 1.5 × 0.5 h × 0.05 = 0.0375; memory max(4, 1) = 4 GiB × 0.5 h × 0.00625 = 0.0125.
    expect(podTexts(a, 'cpu')).toEqual(['0.05', '0.0375']);
    expect(podTexts(a, 'memory')).toEqual(['0.025', '0.0125']);
    // Used share: api-a cpu 0.05 × 0.5/1 = 0.025, memory all used; api-b cpu all used, memory 0.0125 × 1/4 = 0.003125.
    expect(a.pods.map((p) => [text(p.cpuUsed), text(p.memoryUsed)])).toEqual([
      ['0.025', '0.025'],
      ['0.0375', '0.003125'],
    ]);
    expect(a.pods.map((p) => [p.chargedCpuCoreHours, p.chargedMemoryByteHours])).toEqual([
      [1, 4 * GIB],
      [0.75, 2 * GIB],
    ]);
    // Idle: cpu 0.20 − 0.0875 = 0.1125; memory 0.10 − 0.0375 = 0.0625.
    expect([text(a.idle.cpu), text(a.idle.memory)]).toEqual(['0.1125', '0.0625']);
    expect(a.scaledDown).toBe(false);
  });

  it('charges 2 of 8 GPUs by reservation, and by use from DCGM activity', () => {
    // 8 devices, gpu part 32.00 → 4.00 per device-hour.
    const node = nodeHour({ gpuDevices: 8, gpuModel: 'NVIDIA A100-SXM4-80GB', gpuActivityByDevice: [0.9, 0.6, 0.5] });
    const trainer = podHour('train-0', {
      gpu: { kind: 'whole', devices: 2 },
      gpuDeviceIndexes: [0, 1],
      gpuActivity: 1.5,
    });
    const notebook = podHour('notebook-0', { gpu: { kind: 'whole', devices: 1 }, gpuDeviceIndexes: [2] });
    const a = allocateNodeHour(node, nodeCost({ gpu: '32.00' }), [trainer, notebook]);
    // Reserved: 2 × 4.00 = 8.00 and 1 × 4.00 = 4.00; idle 32 − 12 = 20.
    expect(podTexts(a, 'gpuReserved')).toEqual(['8', '4']);
    expect(text(a.idle.gpuReserved)).toBe('20');
    // Used: the trainer's own 1.5 busy devices × 4.00 = 6.00; the notebook has no own figure and is
    // alone on device 2 (activity 0.5) → 0.5 × 4.00 = 2.00. Idle by use 32 − 8 = 24.
    expect(podTexts(a, 'gpuUsed')).toEqual(['6', '2']);
    expect(text(a.idle.gpuUsed)).toBe('24');
    expect(a.pods.map((p) => p.chargedGpuDeviceHours)).toEqual([2, 1]);
  });

  it('charges a MIG-partitioned GPU by the compute slices of each profile', () => {
    // One A100 for 4.20 an hour: a slice (1/7) is 0.60.
    const node = nodeHour({ gpuDevices: 1, gpuModel: 'NVIDIA A100-SXM4-80GB' });
    const big = podHour('llm-0', { gpu: { kind: 'mig', profile: '3g.40gb', instances: 1 } });
    const small = podHour('embed-0', { gpu: { kind: 'mig', profile: 'mig-1g.10gb', instances: 2 } });
    const a = allocateNodeHour(node, nodeCost({ gpu: '4.20' }), [big, small]);
    // 3/7 × 4.20 = 1.80; 2 × 1/7 × 4.20 = 1.20; idle 2/7 × 4.20 = 1.20.
    expect(podTexts(a, 'gpuReserved')).toEqual(['1.8', '1.2']);
    expect(text(a.idle.gpuReserved)).toBe('1.2');
    expect(() =>
      allocateNodeHour(node, nodeCost({ gpu: '4.20' }), [
        podHour('x', { gpu: { kind: 'mig', profile: '9g.90gb', instances: 1 } }),
      ]),
    ).toThrow(/MIG profile "9g.90gb" must start with Ng/);
  });

  it('charges a time-sliced GPU shared by three pods per replica, and splits its activity among them', () => {
    // One device sliced into 4 replicas, 2.00 an hour → 0.50 per replica-hour.
    const node = nodeHour({ gpuDevices: 1, gpuTimeSliceReplicas: 4, gpuActivityByDevice: [0.6] });
    const slice = { kind: 'time-sliced', replicas: 1 } as const;
    const pods = [
      podHour('chat-a', { gpu: slice, gpuDeviceIndexes: [0] }),
      podHour('chat-b', { gpu: slice, gpuDeviceIndexes: [0] }),
      podHour('chat-c', { gpu: slice, gpuDeviceIndexes: [0], hoursPresent: 0.5 }),
    ];
    const a = allocateNodeHour(node, nodeCost({ gpu: '2.00' }), pods);
    // Reserved: 0.50, 0.50 and 0.50 × 0.5 h = 0.25; idle 2.00 − 1.25 = 0.75.
    expect(podTexts(a, 'gpuReserved')).toEqual(['0.5', '0.5', '0.25']);
    expect(text(a.idle.gpuReserved)).toBe('0.75');
    // Used: the device was 60 % busy, split by replica-hours 1 : 1 : 0.5 → 0.24, 0.24, 0.12 device-hours
    // × 2.00 = 0.48, 0.48, 0.24; idle by use 2.00 − 1.20 = 0.80.
    expect(podTexts(a, 'gpuUsed')).toEqual(['0.48', '0.48', '0.24']);
    expect(text(a.idle.gpuUsed)).toBe('0.8');
  });

  it('scales pods down to the node cost when their charges exceed it: idle 0, never negative', () => {
    // 2 cores, cpu part 0.10 → 0.05 per core-hour. Charges: max(1.5, 0.5) = 1.5 → 0.075 and max(0.25, 1) = 1
    // → 0.05; Σ 0.125 > 0.10, so scaled by 0.10/0.125: 0.06 and 0.04.
    const node = nodeHour({ cpuCores: 2 });
    const pods = [
      podHour('batch-a', { cpuRequestCores: 1.5, cpuUsageCores: 0.5 }),
      podHour('batch-b', { cpuRequestCores: 0.25, cpuUsageCores: 1 }),
    ];
    const a = allocateNodeHour(node, nodeCost({ cpu: '0.10', memory: '0.05' }), pods);
    expect(podTexts(a, 'cpu')).toEqual(['0.06', '0.04']);
    expect(text(a.idle.cpu)).toBe('0');
    expect(a.scaledDown).toBe(true);
    // Used keeps its share of the scaled charge: batch-a 0.06 × 0.5/1.5 = 0.02.
    expect(text(a.pods[0]!.cpuUsed)).toBe('0.02');
  });

  it('leaves the whole node idle when no pod ran on it', () => {
    const a = allocateNodeHour(nodeHour(), nodeCost({ cpu: '0.20', memory: '0.10' }), []);
    expect([text(a.idle.cpu), text(a.idle.memory), text(a.idle.gpuReserved)]).toEqual(['0.2', '0.1', '0']);
  });

  it('refuses a negative or non-finite quantity, naming the pod and the field', () => {
    const bad = podHour('api-a', { cpuUsageCores: -1 });
    expect(() => allocateNodeHour(nodeHour(), nodeCost({ cpu: '1' }), [bad])).toThrow(
      'pod serving/api-a: cpuUsageCores must be a finite number ≥ 0, got -1',
    );
    const nan = podHour('api-a', { memoryUsageBytes: Number.NaN });
    expect(() => allocateNodeHour(nodeHour(), nodeCost({ cpu: '1' }), [nan])).toThrow(/memoryUsageBytes/);
  });
});
