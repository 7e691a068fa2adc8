import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { allocateNodeHour } from './allocate';
import { sumMoney } from './money';
import { DEFAULT_SYSTEM_NAMESPACES, rowTotal, shareCosts, type ClusterFee, type CostRow } from './shared';
import { nodeCost, nodeHour, podHour, text } from './test-data';

// Node 4 cores, cpu part 0.80 → 0.20 per core-hour; memory part 0 to keep the figures short.
// chat: 1.5 cores → 0.30; batch: 0.5 → 0.10; kube-proxy (kube-system): 0.2 → 0.04; idle 0.80 − 0.44 = 0.36.
const allocation = allocateNodeHour(nodeHour(), nodeCost({ cpu: '0.80' }), [
  podHour('chat-0', { cpuRequestCores: 1.5 }),
  podHour('batch-0', { cpuRequestCores: 0.5, namespace: 'batch' }),
  podHour('kube-proxy-x', { cpuRequestCores: 0.2, namespace: 'kube-system' }),
]);
// The EKS control plane: $0.10 per cluster-hour.
const fees: ClusterFee[] = [{ cluster: 'prod', name: 'EKS control plane', cost: new Decimal('0.10') }];
const summary = (rows: CostRow[]): string[][] =>
  rows.map((r) => [r.kind, r.name, text(r.cost), text(r.sharedShare), text(r.idleShare)]);
const grandTotal = (rows: CostRow[]): string => text(sumMoney(rows.map(rowTotal)));

describe('shareCosts', () => {
  it('keeps shared costs and idle as their own rows', () => {
    const rows = shareCosts([allocation], fees, {
      systemNamespaces: DEFAULT_SYSTEM_NAMESPACES,
      shared: 'row',
      idle: 'row',
    });
    expect(summary(rows)).toEqual([
      ['workload', 'chat-0', '0.3', '0', '0'],
      ['workload', 'batch-0', '0.1', '0', '0'],
      ['shared', 'kube-proxy-x', '0.04', '0', '0'],
      ['idle', '__idle__', '0.36', '0', '0'],
      ['shared', 'EKS control plane', '0.1', '0', '0'],
    ]);
    // 0.30 + 0.10 + 0.04 + 0.36 + 0.10 = 0.90 = the node's 0.80 + the fee's 0.10.
    expect(grandTotal(rows)).toBe('0.9');
  });

  it('spreads shared costs and idle over the workloads by their cost, preserving the total exactly', () => {
    const rows = shareCosts([allocation], fees, {
      systemNamespaces: DEFAULT_SYSTEM_NAMESPACES,
      shared: 'spread',
      idle: 'spread',
    });
    // Weights chat 0.30 : batch 0.10 = 3 : 1. Shared 0.04 + 0.10 = 0.14 → 0.105 and 0.035;
    // idle 0.36 → 0.27 and 0.09. chat 0.30 + 0.105 + 0.27 = 0.675; batch 0.10 + 0.035 + 0.09 = 0.225.
    expect(summary(rows)).toEqual([
      ['workload', 'chat-0', '0.3', '0.105', '0.27'],
      ['workload', 'batch-0', '0.1', '0.035', '0.09'],
    ]);
    expect(grandTotal(rows)).toBe('0.9');
  });

  it('spreads one mode and keeps the other: idle spread, shared as a row', () => {
    const rows = shareCosts([allocation], fees, {
      systemNamespaces: DEFAULT_SYSTEM_NAMESPACES,
      shared: 'row',
      idle: 'spread',
    });
    expect(rows.map((r) => r.kind)).toEqual(['workload', 'workload', 'shared', 'shared']);
    expect(grandTotal(rows)).toBe('0.9');
  });

  it('keeps the exact total when the shares do not divide evenly', () => {
    // Three workloads of 0.20 each; idle 0.80 − 0.60 = 0.20 → 0.20/3 = 0.0666666667 each (rounded), Σ 0.2000000001;
    // the remainder −0.0000000001 goes to the first, so the parts add up to 0.20 exactly.
    const even = allocateNodeHour(nodeHour(), nodeCost({ cpu: '0.80' }), [
      podHour('a-0', { cpuRequestCores: 1 }),
      podHour('b-0', { cpuRequestCores: 1 }),
      podHour('c-0', { cpuRequestCores: 1 }),
    ]);
    const rows = shareCosts([even], [], { systemNamespaces: [], shared: 'spread', idle: 'spread' });
    expect(rows.map((r) => text(r.idleShare))).toEqual(['0.0666666666', '0.0666666667', '0.0666666667']);
    expect(grandTotal(rows)).toBe('0.8');
  });

  it('keeps shared costs as a row in a cluster whose workloads cost nothing', () => {
    const rows = shareCosts([], fees, {
      systemNamespaces: DEFAULT_SYSTEM_NAMESPACES,
      shared: 'spread',
      idle: 'spread',
    });
    expect(summary(rows)).toEqual([['shared', 'EKS control plane', '0.1', '0', '0']]);
  });
});
