import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters } from '../topology.ts';
import { focusMandatoryColumns } from './focus-columns.ts';
import { writeFocusExports } from './focus-export.ts';

describe('FOCUS export of the demo clusters', () => {
  let dir: string;
  let files: string[];
  let october: Papa.ParseResult<Record<string, string>>;
  // 28 Oct 2026 12:00 UTC to 2 Nov 2026 06:00 UTC: a whole October and November to date.
  const fromMs = Date.UTC(2026, 9, 28, 12);
  const toMs = Date.UTC(2026, 10, 2, 6, 30);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'focus-'));
    files = await writeFocusExports({ dir, fromMs, toMs, seed: 7 });
    october = Papa.parse<Record<string, string>>(await readFile(files[0]!, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function parse(file: string): Record<string, string>[] {
    return Papa.parse<Record<string, string>>(file, { header: true, skipEmptyLines: true }).data;
  }

  it('writes one file per month, the current one to date', () => {
    expect(files.map((f) => path.basename(f))).toEqual(['focus-2026-10.csv', 'focus-2026-11.csv']);
  });

  it('has every mandatory FOCUS 1.2 column, filled where the spec forbids nulls', () => {
    const parsed = october;
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(expect.arrayContaining([...focusMandatoryColumns]));
    const notNull = [
      'BilledCost',
      'EffectiveCost',
      'ListCost',
      'ContractedCost',
      'BillingAccountId',
      'ChargeCategory',
      'ServiceName',
      'ServiceCategory',
      'ChargePeriodStart',
      'BillingPeriodStart',
    ];
    // One assertion over all rows: an expect per cell took over a minute for 40 nodes' month.
    expect(
      parsed.data.flatMap((row) =>
        notNull.filter((col) => row[col] === '').map((col) => `${col} in ${JSON.stringify(row)}`),
      ),
    ).toEqual([]);
  });

  it('bills each node every hour under its instance id, savings-plan nodes at the effective rate', async () => {
    const rows = parse(await readFile(files[1]!, 'utf8'));
    const ec2 = rows.filter((r) => r.ServiceName === 'Amazon Elastic Compute Cloud' && r.ChargeCategory === 'Usage');
    const nodes = clusters.flatMap((c) => c.nodes);
    expect(new Set(ec2.map((r) => r.ResourceId))).toEqual(new Set(nodes.map((n) => n.instanceId)));
    // 1 Nov 00:00 to 2 Nov 06:00 is 30 whole hours per node.
    const g5 = ec2.filter((r) => r.ResourceId === 'i-0a1b2c3d4e5f60001');
    expect(g5).toHaveLength(30);
    expect(g5[0]).toMatchObject({
      ListCost: '5.6720000000',
      EffectiveCost: '3.9704000000',
      BilledCost: '0.0000000000',
      CommitmentDiscountStatus: 'Used',
    });
    const onDemand = ec2.find((r) => r.ResourceId === 'i-0a1b2c3d4e5f60003');
    expect(onDemand).toMatchObject({
      ListCost: '5.6720000000',
      EffectiveCost: '5.6720000000',
      BilledCost: '5.6720000000',
      CommitmentDiscountId: '',
    });
    expect(rows.filter((r) => r.ServiceName === 'Amazon Elastic Kubernetes Service')).toHaveLength(60);
  });

  it('has a tax line of 6% of billed cost and a negative credit per month', () => {
    const rows = october.data;
    const usEast = rows.filter((r) => r.SubAccountId === clusters[0]!.subAccountId);
    const billed = usEast
      .filter((r) => r.ChargeCategory !== 'Tax' && r.ChargeCategory !== 'Credit')
      .reduce((s, r) => s.plus(r.BilledCost!), new Decimal(0));
    const tax = usEast.find((r) => r.ChargeCategory === 'Tax');
    expect(tax?.BilledCost).toBe(billed.times('0.06').toDecimalPlaces(2).toFixed(2));
    // October on demand in us-east: 744 h × (5.672 + 2 × 0.384 + 0.10 EKS) = 744 × 6.54 = 4865.76, plus
    // the savings-plan fee 744 × 2 × 3.9704 = 5907.9552, plus EBS, data transfer, S3, the database and
    // support, less a $43.152 refund, so above 10,773.
    expect(billed.greaterThan('10773.7152')).toBe(true);
    const credit = rows.filter((r) => r.ChargeCategory === 'Credit');
    expect(credit.map((r) => r.BilledCost)).toEqual(['-250.00']);
  });
});
