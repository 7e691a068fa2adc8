import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { allocateNodeHour } from './allocate';
import { allocationTotals, reconcile } from './reconcile';
import { shareCosts, type ClusterFee } from './shared';
import { nodeCost, nodeHour, podHour, text } from './test-data';

// One node-hour of 1.00 (cpu only, 4 cores → 0.25 per core-hour): chat 2 cores → 0.50, kube-proxy 0.4 → 0.10,
// idle 0.40; and a control plane fee of 0.10.
const allocation = allocateNodeHour(nodeHour(), nodeCost({ cpu: '1.00' }), [
  podHour('chat-0', { cpuRequestCores: 2 }),
  podHour('kube-proxy-x', { namespace: 'kube-system', cpuRequestCores: 0.4 }),
]);
const fees: ClusterFee[] = [{ cluster: 'prod', name: 'EKS control plane', cost: new Decimal('0.10') }];

describe('reconcile', () => {
  it('counts allocated, idle and shared the same way whether they were spread or kept as rows', () => {
    for (const mode of ['row', 'spread'] as const) {
      const rows = shareCosts([allocation], fees, { systemNamespaces: ['kube-system'], shared: mode, idle: mode });
      const totals = allocationTotals(rows);
      // allocated 0.50; idle 0.40; shared 0.10 + 0.10 = 0.20.
      expect([text(totals.allocated), text(totals.idle), text(totals.shared)]).toEqual(['0.5', '0.4', '0.2']);
    }
  });

  it('shows the gap in money and percent, and what it is made of', () => {
    // Billed 1.45 for the day: the node 1.00, the fee 0.10, a volume no node matches 0.25, a node-hour
    // without metrics 0.08 — and 0.02 nobody can explain. gap = 1.45 − (0.50 + 0.40 + 0.20) = 0.35;
    // 0.35 / 1.45 × 100 = 24.1379 %; unexplained = 0.35 − 0.25 − 0.08 = 0.02.
    const totals = allocationTotals(
      shareCosts([allocation], fees, { systemNamespaces: ['kube-system'], shared: 'row', idle: 'row' }),
    );
    const r = reconcile({
      day: '2026-11-02',
      cluster: 'prod',
      currency: 'USD',
      billed: new Decimal('1.45'),
      ...totals,
      unmatchedBillLines: [{ resourceId: 'vol-0abc', effectiveCost: new Decimal('0.25') }],
      nodeHoursWithoutMetrics: [
        { node: 'node-9', hourStart: new Date('2026-11-02T03:00:00Z'), effectiveCost: new Decimal('0.08') },
      ],
    });
    expect([text(r.gap), r.gapPercent && text(r.gapPercent), text(r.gapParts.unexplained)]).toEqual([
      '0.35',
      '24.1379',
      '0.02',
    ]);
    expect([r.gapParts.unmatchedBillLines.count, text(r.gapParts.unmatchedBillLines.cost)]).toEqual([1, '0.25']);
    expect(text(r.gapParts.nodeHoursWithoutMetrics.cost)).toBe('0.08');
  });

  it('shows a negative gap when more was allocated than billed, and no percent without a bill', () => {
    const zero = new Decimal(0);
    const r = reconcile({
      day: '2026-11-02',
      cluster: 'prod',
      currency: 'USD',
      billed: zero,
      allocated: new Decimal('0.3'),
      idle: zero,
      shared: zero,
      unmatchedBillLines: [],
      nodeHoursWithoutMetrics: [],
    });
    expect([text(r.gap), r.gapPercent]).toEqual(['-0.3', null]);
  });
});
