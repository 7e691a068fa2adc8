import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFocusExports } from '@/demo/billing/focus-export';
import { nodeHourlyRates } from '@/demo/billing/focus-compute-lines';
import { clusters, instanceTypes } from '@/demo/topology';
import { importFocusFile } from '@/server/billing/import';
import { createTestDatabase, testDrivers, type TestDatabase } from '@/server/db/testing';
import { billCostInputs, instanceIdOf, spreadOverHours } from './bill-inputs';

const hourMs = 3_600_000;
const spec = clusters.find((c) => c.name === 'us-east-prod')!;
const instanceIds = spec.nodes.map((n) => instanceIdOf(n.providerID)!);

describe('spreading a bill line over hours', () => {
  it('gives each hour of a daily line a 24th, and the hours sum to the line exactly', () => {
    const day = Date.UTC(2026, 10, 5);
    const line = {
      importId: 1,
      resourceId: 'vol-1',
      resourceType: 'Volume',
      serviceName: 'EBS',
      startMs: day,
      endMs: day + 24 * hourMs,
      effectiveCost: '1.00',
      currency: 'USD',
    };
    const hours = spreadOverHours(line, day - 5 * hourMs, day + 30 * hourMs);
    expect(hours.map(([h]) => h)).toEqual(Array.from({ length: 24 }, (_, i) => day + i * hourMs));
    // 1.00 ÷ 24 = 0.041666…: 0.0416666667 or 0.0416666666 by cumulative rounding, summing to 1.00.
    expect(hours[0]![1].toFixed()).toBe('0.0416666667');
    expect(hours.reduce((s, [, c]) => s.plus(c), new Decimal(0)).toFixed()).toBe('1');
    expect(spreadOverHours(line, day + 6 * hourMs, day + 8 * hourMs).map(([h]) => h)).toEqual([
      day + 6 * hourMs,
      day + 7 * hourMs,
    ]);
  });

  it('takes the instance id from the end of the providerID', () => {
    expect(instanceIdOf('aws:///us-east-1a/i-0abc123')).toBe('i-0abc123');
    expect(instanceIdOf(null)).toBeNull();
    expect(instanceIdOf('')).toBeNull();
  });
});

const drivers = await testDrivers();

describe.each(drivers)('node costs from the demo bill on %s', (driver) => {
  let database: TestDatabase;
  let dir: string;
  let files: string[];
  const toMs = Math.floor(Date.now() / hourMs) * hourMs;
  const fromMs = toMs - 6 * hourMs;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    dir = mkdtempSync(path.join(os.tmpdir(), 'burnrate-cost-bill-'));
    files = await writeFocusExports({ dir, fromMs, toMs, seed: 3, clusters });
    for (const file of files) await importFocusFile(database, { path: file }, { actor: 'test' });
  }, 300_000);
  afterAll(async () => {
    await database?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prices every node-hour at its instance's EffectiveCost in the bill (savings plan, on demand, spot)", async () => {
    const bill = await billCostInputs(database.db, { cluster: spec.name, instanceIds, fromMs, toMs });
    const pricings = new Set<string>();
    for (const node of spec.nodes) {
      const hours = bill.nodeHours.get(instanceIdOf(node.providerID)!)!;
      expect([...hours.keys()].sort()).toEqual(Array.from({ length: 6 }, (_, i) => fromMs + i * hourMs));
      for (const { cost, currency } of hours.values()) {
        expect(cost.toFixed()).toBe(nodeHourlyRates(node).effectiveUsd.toFixed());
        expect(currency).toBe('USD');
      }
      pricings.add(node.pricing);
    }
    expect(pricings).toEqual(new Set(['savings-plan', 'on-demand', 'spot']));
    const savingsPlanNode = spec.nodes.find((n) => n.pricing === 'savings-plan')!;
    expect(bill.nodeHours.get(instanceIdOf(savingsPlanNode.providerID)!)!.get(fromMs)!.cost.toFixed()).toBe(
      String(instanceTypes[savingsPlanNode.instanceType].savingsPlanUsdPerHour),
    );
    // The EKS control plane is the cluster's, no node's: $0.10 an hour.
    const shared = bill.sharedHours.get(fromMs)!;
    expect(shared.find((s) => s.item === 'Amazon Elastic Kubernetes Service')?.cost.toFixed()).toBe('0.1');
    expect(bill.unmatchedLines).toEqual([]);
  });

  it('takes a newer import of the same lines as the bill, and names the imports used', async () => {
    const node = spec.nodes.find((n) => n.pricing === 'on-demand')!;
    const id = instanceIdOf(node.providerID)!;
    const file = files.at(-1)!;
    const rate = nodeHourlyRates(node).effectiveUsd.toFixed();
    // The same export again with this node's EffectiveCost doubled: a corrected bill.
    const doubled = new Decimal(rate).times(2).toFixed();
    const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    for (const row of parsed.data) {
      if (row.ResourceId === id) row.EffectiveCost = new Decimal(row.EffectiveCost!).times(2).toFixed();
    }
    const corrected = Papa.unparse(parsed.data, { columns: parsed.meta.fields });
    const correctedFile = path.join(dir, 'corrected.csv');
    writeFileSync(correctedFile, corrected);
    const result = await importFocusFile(database, { path: correctedFile }, { actor: 'test' });
    expect(result.status).toBe('imported');
    const bill = await billCostInputs(database.db, { cluster: spec.name, instanceIds, fromMs, toMs });
    expect(
      bill.nodeHours
        .get(id)!
        .get(fromMs + hourMs)!
        .cost.toFixed(),
    ).toBe(doubled);
    expect(bill.importIds.at(-1)).toBe(result.importId);
  });
});
