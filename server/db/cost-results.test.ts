import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHour, NodeHourAllocation, PodHour } from '@/server/cost/types';
import { selectRows } from './client';
import { costRunsOf, latestImportByDay, replaceCostHours, type CostRun } from './cost-results';
import { createTestDatabase, testDrivers, type TestDatabase } from './testing';

const hourMs = 3_600_000;
const day = Date.UTC(2026, 10, 2);
const d = (text: string): Decimal => new Decimal(text);

function node(hour: number): NodeHour {
  return {
    cluster: 'c1',
    node: 'n1',
    providerId: 'aws:///us-east-1a/i-0abc',
    instanceType: 'g5.xlarge',
    hourStart: new Date(day + hour * hourMs),
    hoursPresent: 1,
    cpuCores: 4,
    memoryBytes: 16 * 1024 ** 3,
    gpuDevices: 1,
    gpuModel: 'NVIDIA A10G',
    gpuTimeSliceReplicas: 1,
    gpuActivityByDevice: [0.5],
  };
}

function pod(name: string, team: string | null): PodHour {
  return {
    cluster: 'c1',
    namespace: 'ns\tx',
    pod: name,
    node: 'n1',
    workloadKind: 'Deployment',
    workloadName: 'web',
    team,
    labels: {},
    hoursPresent: 0.5,
    cpuRequestCores: 1,
    cpuUsageCores: 1.5,
    memoryRequestBytes: 2 ** 30,
    memoryUsageBytes: 2 ** 29,
    gpu: null,
    gpuDeviceIndexes: [],
    gpuActivity: null,
  };
}

function allocation(hour: number): NodeHourAllocation {
  const charge = (p: PodHour, cpu: string) => ({
    pod: p,
    cpu: d(cpu),
    memory: d('0.01'),
    gpuReserved: d('0'),
    gpuUsed: d('0'),
    cpuUsed: d(cpu),
    memoryUsed: d('0.005'),
    chargedCpuCoreHours: 0.75,
    chargedMemoryByteHours: 2 ** 29,
    chargedGpuDeviceHours: 0,
  });
  return {
    node: node(hour),
    cost: { total: d('1.006'), cpu: d('0.2'), memory: d('0.1'), gpu: d('0.706'), currency: 'USD', source: 'bill' },
    pods: [charge(pod('web-1', 'search'), '0.0123456789'), charge(pod('web-2', null), '0.05')],
    idle: { cpu: d('0.1376543211'), memory: d('0.08'), gpuReserved: d('0.706'), gpuUsed: d('0.353') },
    scaledDown: false,
  };
}

function run(hoursComputed: number): CostRun {
  return {
    cluster: 'c1',
    day: '2026-11-02',
    hoursComputed,
    billImportIds: [2, 5],
    latestImportId: 5,
    nodeHours: hoursComputed,
    podHours: 2 * hoursComputed,
    hoursWithoutMetrics: 0,
    durationMs: 12.7,
  };
}

const drivers = await testDrivers();

describe.each(drivers)('cost results on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('writes pod rows, node-hours with idle, shared costs and the day record, exactly', async () => {
    await replaceCostHours(database, {
      cluster: 'c1',
      fromMs: day,
      toMs: day + 2 * hourMs,
      allocations: [allocation(0), allocation(1)],
      shared: [{ hourStart: new Date(day), item: 'EKS', cost: '0.1', currency: 'USD' }],
      run: run(2),
    });
    const pods = await selectRows<{ team: string; namespace: string; cpu: string; n: number }>(
      database.db,
      sql`select team, namespace, sum(cpu_cost)::text as cpu, count(*)::int as n from cost_allocations group by team, namespace order by team`,
    );
    expect(pods).toEqual([
      { team: '', namespace: 'ns\tx', cpu: '0.10', n: 2 },
      { team: 'search', namespace: 'ns\tx', cpu: '0.0246913578', n: 2 },
    ]);
    const nodes = await selectRows<{ total: string; idle: string }>(
      database.db,
      sql`select sum(total_cost)::text as total, sum(idle_cpu_cost + idle_memory_cost + idle_gpu_reserved_cost)::text as idle from cost_node_hours`,
    );
    expect(nodes).toEqual([{ total: '2.012', idle: '1.8473086422' }]);
    const runs = await costRunsOf(database.db, 'c1', '2026-11-01', '2026-11-03');
    expect(runs.get('2026-11-02')).toEqual({ ...run(2), durationMs: 13 });
  });

  it('replaces only the hours asked: a second write of hour 1 leaves hour 0 as it was', async () => {
    await replaceCostHours(database, {
      cluster: 'c1',
      fromMs: day + hourMs,
      toMs: day + 2 * hourMs,
      allocations: [{ ...allocation(1), pods: allocation(1).pods.slice(0, 1) }],
      shared: [],
      run: run(2),
    });
    const perHour = await selectRows<{ hour: string; n: number }>(
      database.db,
      sql`select to_char(hour at time zone 'UTC', 'HH24') as hour, count(*)::int as n from cost_allocations group by 1 order by 1`,
    );
    expect(perHour).toEqual([
      { hour: '00', n: 2 },
      { hour: '01', n: 1 },
    ]);
    const shared = await selectRows<{ n: number }>(database.db, sql`select count(*)::int as n from cost_shared_hours`);
    expect(shared).toEqual([{ n: 1 }]);
  });

  it('finds no import for days no bill covers', async () => {
    expect(await latestImportByDay(database.db, '2026-11-01', '2026-11-03')).toEqual(new Map());
  });
});
