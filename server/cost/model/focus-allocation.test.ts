import { describe, expect, it } from 'vitest';
import { allocateNodeHour } from './allocate';
import { ALLOCATED_METHOD_ID, focusAllocationRows, type FocusLine } from './focus-allocation';
import { GIB, nodeCost, nodeHour, podHour } from './test-data';

// The bill line of a savings-plan node-hour: nothing billed (the plan was paid up front), 0.60 effective, 0.96 list.
const origin: FocusLine = {
  BillingCurrency: 'USD',
  ChargePeriodStart: '2026-11-02T10:00:00Z',
  ResourceId: 'i-0abc',
  ServiceName: 'Amazon Elastic Compute Cloud',
  BilledCost: '0',
  EffectiveCost: '0.60',
  ListCost: '0.96',
  ListUnitPrice: '0.96',
  PricingQuantity: '1',
  Tags: '{"team":"platform"}',
};
// Node 4 cores / 16 GiB, cost 0.60 = cpu 0.40 (0.10 per core-hour) + memory 0.20 (0.0125 per GiB-hour).
// chat: 2 cores + 8 GiB = 0.20 + 0.10 = 0.30; batch: 1 core = 0.10; idle 0.60 − 0.40 = 0.20 (cpu 0.10, memory 0.10).
const allocation = allocateNodeHour(nodeHour(), nodeCost({ cpu: '0.40', memory: '0.20' }), [
  podHour('chat-0', { cpuRequestCores: 2, memoryRequestBytes: 8 * GIB, labels: { app: 'chat', team: 'ml' } }),
  podHour('batch-0', { namespace: 'batch', team: null, cpuRequestCores: 1 }),
]);
const rows = focusAllocationRows(origin, allocation);

describe('focusAllocationRows', () => {
  it('splits the summable columns by each pod’s share, adding up to the origin exactly', () => {
    // Shares 0.30 : 0.10 : 0.20 of 0.60 → EffectiveCost 0.3, 0.1, 0.2; ListCost 0.96 × the same = 0.48, 0.16, 0.32;
    // PricingQuantity 1 → 0.5, 0.1666666667, 0.3333333333 (Σ = 1 exactly).
    expect(rows.map((r) => [r.EffectiveCost, r.ListCost, r.BilledCost, r.PricingQuantity])).toEqual([
      ['0.3', '0.48', '0', '0.5'],
      ['0.1', '0.16', '0', '0.1666666667'],
      ['0.2', '0.32', '0', '0.3333333333'],
    ]);
  });

  it('copies dimensions and unit prices, and fills the Allocated* columns', () => {
    expect(rows.every((r) => r.ResourceId === 'i-0abc' && r.ListUnitPrice === '0.96' && r.Tags === origin.Tags)).toBe(
      true,
    );
    expect(rows.map((r) => [r.AllocatedMethodId, r.AllocatedResourceId, r.AllocatedResourceName])).toEqual([
      [ALLOCATED_METHOD_ID, 'serving/chat-0', 'chat-0'],
      [ALLOCATED_METHOD_ID, 'batch/batch-0', 'batch-0'],
      // The unallocated (idle) portion has no AllocatedResourceId, as the spec requires.
      [ALLOCATED_METHOD_ID, null, null],
    ]);
    // AllocatedTags: the pod's labels and Burnrate's keys, minus `team`, which the origin's Tags already hold.
    expect(JSON.parse(rows[0]!.AllocatedTags!)).toEqual({
      app: 'chat',
      'burnrate.io/cluster': 'prod',
      'burnrate.io/node': 'node-1',
      'burnrate.io/namespace': 'serving',
      'burnrate.io/workload': 'Deployment/chat',
      'burnrate.io/team': 'ml',
    });
    expect(rows[2]!.AllocatedTags).toBeNull();
  });

  it('describes the method per resource; the ratios of all rows add up to 1', () => {
    const chat = JSON.parse(rows[0]!.AllocatedMethodDetails!);
    // chat cpu 0.20 / 0.60 = 1/3 for 2 vCPU-hours; memory 0.10 / 0.60 = 1/6 for 8 GiB-hours.
    expect(chat.Elements[0]).toEqual({ AllocatedRatio: 1 / 3, UsageUnit: 'vCPU-Hours', UsageQuantity: 2 });
    expect(chat.Elements[1]).toEqual({ AllocatedRatio: 1 / 6, UsageUnit: 'GiB-Hours', UsageQuantity: 8 });
    const all = rows.flatMap((r) => JSON.parse(r.AllocatedMethodDetails!).Elements as { AllocatedRatio: number }[]);
    expect(all.reduce((sum, e) => sum + e.AllocatedRatio, 0)).toBeCloseTo(1, 12);
  });

  it('refuses an origin whose Tags are not JSON', () => {
    expect(() => focusAllocationRows({ ...origin, Tags: 'team=platform' }, allocation)).toThrow(
      /Tags is not a JSON object/,
    );
  });
});
