import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { costTrend } from './cost-trend';
import { DEFAULT_SYSTEM_NAMESPACES, type SharedCostOptions } from './model/shared';
import { costSummary } from './queries';
import { reconcileDays } from './reconcile-query';
import { fixtureDayMs, hourMs, writeCostFixture } from './testing/cost-fixture';
import { servingUnitCostsOf } from './unit-cost-query';

const rows: SharedCostOptions = { systemNamespaces: DEFAULT_SYSTEM_NAMESPACES, idle: 'row', shared: 'row' };
const spread: SharedCostOptions = { ...rows, idle: 'spread', shared: 'spread' };
// The whole fixture day: the two hours allocated lie in it.
const window = { fromMs: fixtureDayMs, toMs: fixtureDayMs + 24 * hourMs, clusters: null };

const drivers = await testDrivers();

describe.each(drivers)('the cost read side on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await writeCostFixture(database);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('sums by team with idle and shared as rows: 1.30 + 0.30 + shared 0.40 + idle 0.20 = 2.20', async () => {
    const summary = await costSummary(database.db, { ...window, by: 'team' }, rows);
    expect(summary.groups.map((g) => [g.key, g.kind, g.cost])).toEqual([
      ['assistant', 'workload', '1.3'],
      // kube-proxy 2 × 0.10 and the EKS fee 2 × 0.10.
      ['__shared__', 'shared', '0.4'],
      ['search', 'workload', '0.3'],
      ['__idle__', 'idle', '0.2'],
    ]);
    expect(summary.totals).toEqual({ cost: '2.2', allocated: '1.6', idle: '0.2', shared: '0.4', nodeCost: '2' });
    expect(summary.groups[0]).toMatchObject({ sources: ['bill'], estimate: false, podHours: 2 });
    // GPU used 0.25 of 0.50 paid an hour.
    expect(summary.groups[0]!.efficiency.gpu).toBe(0.5);
  });

  it('spreads idle and shared over workloads by their cost: assistant 1.30 + 0.325 + 0.1625', async () => {
    const summary = await costSummary(database.db, { ...window, by: 'team' }, spread);
    expect(summary.groups.map((g) => [g.key, g.cost, g.sharedShare, g.idleShare])).toEqual([
      ['assistant', '1.7875', '0.325', '0.1625'],
      ['search', '0.4125', '0.075', '0.0375'],
    ]);
    expect(summary.totals.cost).toBe('2.2');
  });

  it('gives efficiency used ÷ paid = 0.80 ÷ 2.00 and the waste per 730-hour month: 1.20 × 730 ÷ 2 = 438', async () => {
    const summary = await costSummary(database.db, { ...window, by: 'cluster' }, rows);
    expect(summary.efficiency).toEqual({ used: '0.8', paid: '2', ratio: 0.4, wasteMonthly: '438', coveredHours: 2 });
    expect(summary.sources).toEqual([{ source: 'bill', nodeHours: 2, cost: '2' }]);
    expect(summary.coverage).toMatchObject({ daysComplete: 0, daysInProgress: 1, daysInWindow: 1 });
  });

  it('keys workloads and pods by cluster and namespace', async () => {
    const summary = await costSummary(database.db, { ...window, by: 'workload' }, rows);
    expect(summary.groups[0]).toMatchObject({
      key: 'c1/llm/Deployment/chat',
      keys: { cluster: 'c1', namespace: 'llm', workloadKind: 'Deployment', workloadName: 'chat' },
    });
    const none = await costSummary(database.db, { ...window, clusters: ['other'], by: 'pod' }, rows);
    expect(none.groups).toEqual([]);
  });

  it('draws the trend per hour for a day, the top groups by name and the rest as other', async () => {
    const trend = await costTrend(database.db, { ...window, by: 'namespace' }, rows, ['llm']);
    expect(trend.bucket).toBe('hour');
    expect(trend.points).toEqual(
      [0, 1].map((h) => ({
        bucketMs: fixtureDayMs + h * hourMs,
        costs: { llm: '0.65', __other__: '0.15', __shared__: '0.2', __idle__: '0.1' },
      })),
    );
    expect(trend.series.map((s) => s.key)).toEqual(['llm', '__other__', '__shared__', '__idle__']);
  });

  it('gives cost per 1k requests and per 1M tokens, with and without the idle share', async () => {
    const [chat, ...others] = await servingUnitCostsOf(database.db, window, rows);
    expect(others).toEqual([]);
    // 1.30 × 1000 ÷ 2000 = 0.65; 1.30 × 1e6 ÷ 1.2e6 = 1.08333…; idle share 0.20 × 1.30 ÷ 1.60 = 0.1625.
    expect(chat).toMatchObject({
      key: 'c1/llm/Deployment/chat',
      servers: ['vllm'],
      requests: 2000,
      promptTokens: 1_000_000,
      generatedTokens: 200_000,
      cost: '1.3',
      idleShare: '0.1625',
      withoutIdle: { per1kRequests: '0.65', per1MTokens: '1.0833333333', per1MGeneratedTokens: '6.5' },
      withIdle: { per1kRequests: '0.73125', per1MTokens: '1.21875' },
    });
  });

  it('reconciles the day against the bill: 2.70 billed, 2.20 allocated, the gap the unmatched instance', async () => {
    const [day, ...others] = await reconcileDays(database.db, window, rows);
    expect(others).toEqual([]);
    expect(day).toEqual({
      day: '2026-11-02',
      cluster: 'c1',
      currency: 'USD',
      // i-node1 2 × 1.00 (hour 2 is not allocated yet) + EKS 2 × 0.10 + i-ghost 0.50.
      billed: '2.7',
      allocated: '1.6',
      idle: '0.2',
      shared: '0.4',
      gap: '0.5',
      gapPercent: '18.5185',
      unmatchedLines: { count: 1, cost: '0.5' },
      unexplained: '0',
      hoursComputed: 2,
      hoursWithoutMetrics: 0,
    });
  });
});
