import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { PodHour } from '../types';
import { allocateNodeHour } from './allocate';
import { sumMoney } from './money';
import { rollupCosts, UNASSIGNED } from './rollup';
import { shareCosts, type CostRow } from './shared';
import { GIB, nodeCost, nodeHour, podHour, text } from './test-data';

// Two hours of one node: 4 cores (cpu part 0.40 → 0.10 per core-hour), 16 GiB (memory 0.16 → 0.01 per GiB-hour),
// 1 GPU (gpu part 2.00 per device-hour).
function hour(at: string, pods: PodHour[]): CostRow[] {
  const node = nodeHour({ hourStart: new Date(at), gpuDevices: 1 });
  const a = allocateNodeHour(node, nodeCost({ cpu: '0.40', memory: '0.16', gpu: '2.00' }), pods);
  return shareCosts([a], [], { systemNamespaces: [], shared: 'row', idle: 'row' });
}
const chat = (overrides: Partial<PodHour>): PodHour =>
  podHour('chat-7d9f-x', {
    workloadName: 'chat',
    labels: { app: 'chat' },
    cpuRequestCores: 1,
    cpuUsageCores: 0.25,
    memoryRequestBytes: 4 * GIB,
    memoryUsageBytes: 4 * GIB,
    gpu: { kind: 'whole', devices: 1 },
    gpuDeviceIndexes: [0],
    gpuActivity: 0.5,
    ...overrides,
  });
const etl = podHour('etl-1', { namespace: 'data', team: null, cpuRequestCores: 2, cpuUsageCores: 2 });
const rows = [...hour('2026-11-02T10:00:00Z', [chat({}), etl]), ...hour('2026-11-02T11:00:00Z', [chat({})])];

describe('rollupCosts', () => {
  it('sums pod-hours by team over hours, with idle as its own group', () => {
    // chat per hour: cpu 1 × 0.10 + memory 4 × 0.01 + GPU 1 × 2.00 = 2.14; two hours = 4.28.
    // etl: cpu 2 × 0.10 = 0.20 (no team). Idle: hour 1 0.40 − 0.30 + 0.16 − 0.04 = 0.22; hour 2 0.30 + 0.12 = 0.42.
    const groups = rollupCosts(rows, 'team');
    expect(groups.map((g) => [g.key, text(g.total), g.podHours])).toEqual([
      ['ml', '4.28', 2],
      ['__idle__', '0.64', 0],
      [UNASSIGNED, '0.2', 1],
    ]);
    // Σ groups = the two node-hours' cost: 2 × (0.40 + 0.16 + 2.00) = 5.12.
    expect(text(sumMoney(groups.map((g) => g.total)))).toBe('5.12');
  });

  it('gives efficiency as used ÷ paid per resource', () => {
    const [ml] = rollupCosts(rows, 'team');
    // cpu: used 0.25 of 1 paid core → 0.25; memory: 4 of 4 GiB → 1; GPU: 0.5 busy of 1 held → 0.5.
    expect(ml?.efficiency).toEqual({ cpu: 0.25, memory: 1, gpu: 0.5 });
    expect([text(ml!.cpu), text(ml!.cpuUsed), text(ml!.gpuReserved), text(ml!.gpuUsed)]).toEqual([
      '0.2',
      '0.05',
      '4',
      '2',
    ]);
  });

  it('groups by workload, pod, namespace, cluster and any label', () => {
    expect(rollupCosts(rows, 'workload').map((g) => g.key)).toEqual([
      'serving/Deployment/chat',
      '__idle__',
      'data/Deployment/etl',
    ]);
    expect(rollupCosts(rows, 'pod')[0]?.key).toBe('serving/chat-7d9f-x');
    expect(rollupCosts(rows, 'namespace').map((g) => g.key)).toEqual(['serving', '__idle__', 'data']);
    expect(rollupCosts(rows, 'cluster').map((g) => [g.key, text(g.total)])).toEqual([
      ['prod', '4.48'],
      ['__idle__', '0.64'],
    ]);
    expect(rollupCosts(rows, { label: 'app' }).map((g) => [g.key, text(g.total)])).toEqual([
      ['chat', '4.28'],
      ['__idle__', '0.64'],
      [UNASSIGNED, '0.2'],
    ]);
  });

  it('has no efficiency where nothing was paid', () => {
    const fee: CostRow = {
      kind: 'shared',
      cluster: 'prod',
      node: null,
      name: 'EKS control plane',
      hourStart: null,
      allocation: null,
      cost: new Decimal('0.1'),
      sharedShare: new Decimal(0),
      idleShare: new Decimal(0),
    };
    expect(rollupCosts([fee], 'team')[0]?.efficiency).toEqual({ cpu: null, memory: null, gpu: null });
  });
});
