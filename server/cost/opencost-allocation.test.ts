import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/server/db/testing';
import { DomainError } from '@/server/errors';
import { DEFAULT_SYSTEM_NAMESPACES } from './model/shared';
import { allocationResponseJson, parseAggregate, parseAllocationWindow } from './opencost-allocation';
import { costSummary } from './queries';
import { fixtureDayMs, hourMs, writeCostFixture } from './testing/cost-fixture';

const nowMs = Date.UTC(2026, 10, 18, 15, 30);

describe('OpenCost allocation API parameters', () => {
  it('reads durations, words and pairs of times', () => {
    expect(parseAllocationWindow('7d', nowMs)).toEqual({ fromMs: nowMs - 7 * 86_400_000, toMs: nowMs });
    expect(parseAllocationWindow('today', nowMs)).toEqual({ fromMs: Date.UTC(2026, 10, 18), toMs: nowMs });
    expect(parseAllocationWindow('lastmonth', nowMs)).toEqual({
      fromMs: Date.UTC(2026, 9, 1),
      toMs: Date.UTC(2026, 10, 1),
    });
    expect(parseAllocationWindow('2026-11-01T00:00:00Z,2026-11-02T00:00:00Z', nowMs)).toEqual({
      fromMs: Date.UTC(2026, 10, 1),
      toMs: Date.UTC(2026, 10, 2),
    });
    expect(parseAllocationWindow('1793491200,1793577600', nowMs)).toEqual({
      fromMs: 1793491200_000,
      toMs: 1793577600_000,
    });
  });

  it('answers 400 naming the parameter for a bad window or aggregate', () => {
    for (const bad of [null, 'fortnight', '2026-11-02T00:00:00Z,2026-11-01T00:00:00Z', 'a,b']) {
      const error = (() => {
        try {
          parseAllocationWindow(bad, nowMs);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'BAD_INPUT', where: 'window' });
    }
    expect(() => parseAggregate('label:app')).toThrow(/aggregate: one of/);
    expect(parseAggregate('controller')).toBe('workload');
    expect(parseAggregate('label:team')).toBe('team');
  });
});

describe('OpenCost allocation API shape', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    await writeCostFixture(database);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('answers {code, data: [set]} keyed by name, costs as exact numbers', async () => {
    const window = { fromMs: fixtureDayMs, toMs: fixtureDayMs + 24 * hourMs, clusters: null };
    const options = { systemNamespaces: DEFAULT_SYSTEM_NAMESPACES, idle: 'row', shared: 'row' } as const;
    const text = allocationResponseJson(await costSummary(database.db, { ...window, by: 'workload' }, options));
    // 0.10 + 0.10 cpu over two hours: the decimal text itself, not a float's expansion.
    expect(text).toContain('"cpuCost":0.2,');
    const body = JSON.parse(text) as { code: number; data: Record<string, Record<string, unknown>>[] };
    expect(body.code).toBe(200);
    expect(Object.keys(body.data[0]!)).toEqual([
      'c1/llm/Deployment/chat',
      '__shared__',
      'c1/web/Deployment/web',
      '__idle__',
    ]);
    expect(body.data[0]!['c1/llm/Deployment/chat']).toMatchObject({
      name: 'c1/llm/Deployment/chat',
      properties: { cluster: 'c1', namespace: 'llm', controller: 'chat', controllerKind: 'Deployment' },
      window: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' },
      start: '2026-11-02T00:00:00.000Z',
      minutes: 1440,
      cpuCost: 0.2,
      ramCost: 0.1,
      gpuCost: 1,
      sharedCost: 0,
      totalCost: 1.3,
      gpuEfficiency: 0.5,
    });
    expect(body.data[0]!.__idle__).toMatchObject({ totalCost: 0.2 });
  });
});
