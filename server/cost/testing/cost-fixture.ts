// Test helper: two hours of one cluster's allocation written with the job's own writer, its serving
// usage, and a FOCUS bill for the day, with figures small enough to check by hand (see the tests).
// Not imported by app code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import { fixtureCells, csvText } from '@/server/billing/import-test-data';
import { importFocusFile } from '@/server/billing/import';
import type { Database } from '@/server/db/client';
import { replaceCostHours } from '@/server/db/cost-results';
import { replaceServingHours } from '@/server/db/cost-serving';
import type { NodeHourAllocation, PodHour, PodHourAllocation } from '../types';

export const hourMs = 3_600_000;
/** 2026-11-02, UTC: the two hours allocated are 00:00 and 01:00. */
export const fixtureDayMs = Date.UTC(2026, 10, 2);
const d = (text: string): Decimal => new Decimal(text);

function pod(namespace: string, name: string, team: string | null, kind: string, workload: string): PodHour {
  return {
    cluster: 'c1',
    namespace,
    pod: name,
    node: 'n1',
    workloadKind: kind,
    workloadName: workload,
    team,
    labels: {},
    hoursPresent: 1,
    cpuRequestCores: 1,
    cpuUsageCores: 0.5,
    memoryRequestBytes: 2 ** 30,
    memoryUsageBytes: 2 ** 29,
    gpu: null,
    gpuDeviceIndexes: [],
    gpuActivity: null,
  };
}

type Charges = [cpu: string, memory: string, gpuReserved: string, gpuUsed: string, cpuUsed: string, memoryUsed: string];

function charge(p: PodHour, [cpu, memory, gpuReserved, gpuUsed, cpuUsed, memoryUsed]: Charges): PodHourAllocation {
  return {
    pod: p,
    cpu: d(cpu),
    memory: d(memory),
    gpuReserved: d(gpuReserved),
    gpuUsed: d(gpuUsed),
    cpuUsed: d(cpuUsed),
    memoryUsed: d(memoryUsed),
    chargedCpuCoreHours: 1,
    chargedMemoryByteHours: 2 ** 30,
    chargedGpuDeviceHours: 0,
  };
}

/**
 * Each hour, node n1 (i-node1) costs 1.00 from the bill: chat-0 0.65 (0.10 + 0.05 + GPU 0.50), web-0
 * 0.15, kube-proxy (kube-system: shared) 0.10, idle 0.10. The cluster's EKS fee is 0.10 an hour.
 */
function allocation(hour: number): NodeHourAllocation {
  return {
    node: {
      cluster: 'c1',
      node: 'n1',
      providerId: 'aws:///us-east-1a/i-node1',
      instanceType: 'g5.xlarge',
      hourStart: new Date(fixtureDayMs + hour * hourMs),
      hoursPresent: 1,
      cpuCores: 4,
      memoryBytes: 16 * 2 ** 30,
      gpuDevices: 1,
      gpuModel: 'NVIDIA A10G',
      gpuTimeSliceReplicas: 1,
      gpuActivityByDevice: [0.5],
    },
    cost: { total: d('1.00'), cpu: d('0.30'), memory: d('0.20'), gpu: d('0.50'), currency: 'USD', source: 'bill' },
    pods: [
      charge(pod('llm', 'chat-0', 'assistant', 'Deployment', 'chat'), ['0.10', '0.05', '0.50', '0.25', '0.05', '0.05']),
      charge(pod('web', 'web-0', 'search', 'Deployment', 'web'), ['0.10', '0.05', '0', '0', '0.02', '0.01']),
      charge(pod('kube-system', 'kp-0', null, 'DaemonSet', 'kube-proxy'), ['0.05', '0.05', '0', '0', '0.01', '0.01']),
    ],
    idle: { cpu: d('0.05'), memory: d('0.05'), gpuReserved: d('0'), gpuUsed: d('0.25') },
    scaledDown: false,
  };
}

export async function writeCostFixture(database: Database): Promise<void> {
  await replaceCostHours(database, {
    cluster: 'c1',
    fromMs: fixtureDayMs,
    toMs: fixtureDayMs + 2 * hourMs,
    allocations: [allocation(0), allocation(1)],
    shared: [0, 1].map((h) => ({
      hourStart: new Date(fixtureDayMs + h * hourMs),
      item: 'Amazon Elastic Kubernetes Service',
      cost: '0.10',
      currency: 'USD',
    })),
    run: {
      cluster: 'c1',
      day: '2026-11-02',
      hoursComputed: 2,
      billImportIds: [],
      latestImportId: null,
      nodeHours: 2,
      podHours: 6,
      hoursWithoutMetrics: 0,
      durationMs: 5,
    },
  });
  // chat-0 served 2,000 requests, 1,000,000 prompt and 200,000 generated tokens over the two hours.
  const serving = (hour: number, prompt: number) => ({
    namespace: 'llm',
    pod: 'chat-0',
    hourStartMs: fixtureDayMs + hour * hourMs,
    server: 'vllm' as const,
    requests: 1000,
    promptTokens: prompt,
    generatedTokens: 100_000,
  });
  await replaceServingHours(database, 'c1', fixtureDayMs, fixtureDayMs + 2 * hourMs, [
    serving(0, 400_000),
    serving(1, 600_000),
  ]);
  await importFixtureBill(database);
}

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function line(resourceId: string | null, service: string, type: string, fromMs: number, toMs: number, cost: string) {
  return {
    ...fixtureCells(0),
    BillingPeriodStart: '2026-11-01 00:00:00',
    BillingPeriodEnd: '2026-12-01 00:00:00',
    ChargePeriodStart: time(fromMs),
    ChargePeriodEnd: time(toMs),
    ChargeCategory: 'Usage',
    ServiceName: service,
    ResourceId: resourceId ?? 'NULL',
    ResourceType: type,
    BilledCost: cost,
    EffectiveCost: cost,
    ListCost: cost,
    ContractedCost: cost,
    Tags: JSON.stringify({ 'eks:cluster-name': 'c1' }),
  };
}

/**
 * The day's bill: i-node1 1.00 an hour for three hours (the third not allocated yet), the EKS fee 2.40
 * for the day (0.10 an hour), and i-ghost 0.50 in hour 0, an instance of the cluster no node matches.
 */
async function importFixtureBill(database: Database): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-cost-fixture-'));
  const at = (h: number): number => fixtureDayMs + h * hourMs;
  const rows = [
    ...[0, 1, 2].map((h) => line('i-node1', 'Amazon EC2', 'Virtual Machine', at(h), at(h + 1), '1.00')),
    line(null, 'Amazon Elastic Kubernetes Service', 'Cluster', at(0), at(24), '2.40'),
    line('i-ghost', 'Amazon EC2', 'Virtual Machine', at(0), at(1), '0.50'),
  ];
  const file = path.join(dir, 'bill.csv');
  writeFileSync(file, csvText(rows));
  try {
    await importFocusFile(database, { path: file }, { actor: 'test' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
