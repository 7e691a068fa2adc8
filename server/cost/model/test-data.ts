// Builders for the model's tests: a node-hour and pod-hours with every field, overridable.
import Decimal from 'decimal.js';
import type { NodeHour, NodeHourCost, PodHour } from '../types';

export const GIB = 1024 ** 3;
export const HOUR = new Date('2026-11-02T10:00:00Z');

export function nodeHour(overrides: Partial<NodeHour> = {}): NodeHour {
  return {
    cluster: 'prod',
    node: 'node-1',
    providerId: 'aws:///us-east-1a/i-0abc',
    instanceType: 'm5.xlarge',
    hourStart: HOUR,
    hoursPresent: 1,
    cpuCores: 4,
    memoryBytes: 16 * GIB,
    gpuDevices: 0,
    gpuModel: null,
    gpuTimeSliceReplicas: 1,
    gpuActivityByDevice: [],
    ...overrides,
  };
}

export function podHour(pod: string, overrides: Partial<PodHour> = {}): PodHour {
  return {
    cluster: 'prod',
    namespace: 'serving',
    pod,
    node: 'node-1',
    workloadKind: 'Deployment',
    workloadName: pod.replace(/-[^-]+$/, ''),
    team: 'ml',
    labels: {},
    hoursPresent: 1,
    cpuRequestCores: 0,
    cpuUsageCores: 0,
    memoryRequestBytes: 0,
    memoryUsageBytes: 0,
    gpu: null,
    gpuDeviceIndexes: [],
    gpuActivity: null,
    ...overrides,
  };
}

/** A node cost made of its parts (total = Σ parts), as the tests state them. */
export function nodeCost(parts: { cpu?: string; memory?: string; gpu?: string }): NodeHourCost {
  const cpu = new Decimal(parts.cpu ?? '0');
  const memory = new Decimal(parts.memory ?? '0');
  const gpu = new Decimal(parts.gpu ?? '0');
  return { total: cpu.plus(memory).plus(gpu), cpu, memory, gpu, currency: 'USD', source: 'bill' };
}

/** Decimal → its plain text, for exact comparisons in `expect`. */
export const text = (value: Decimal): string => value.toFixed();
