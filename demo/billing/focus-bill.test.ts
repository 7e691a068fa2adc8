import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Decimal from 'decimal.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusters, instanceTypes, type NodeSpec } from '../topology.ts';
import { writeFocusExports } from './focus-export.ts';

// The bill read back as a FinOps analyst would: a plain CSV parse, sums with decimal.js, and
// the totals the demo intends computed here from the topology's prices × hours. Prices the
// topology does not hold are AWS's list prices the demo uses, written out below.
const spotShare = new Decimal('0.30');
const rdsUsdPerHour = new Decimal('1.798');
const s3UsdPerGbMonth = new Decimal('0.023');
const s3BucketGb = 40_000;
const ebsUsdPerGbMonth = new Decimal('0.08');
const dataTransferUsdPerGb = new Decimal('0.09');

type Row = Record<string, string>;
const nodes = clusters.flatMap((c) => c.nodes);
const sum = (rows: Row[], column = 'BilledCost'): Decimal => rows.reduce((s, r) => s.plus(r[column]!), new Decimal(0));
const near = (a: Decimal, b: Decimal.Value): boolean => a.minus(b).abs().lessThan('0.000001');

function hourlyRates(node: NodeSpec): { list: Decimal; billed: Decimal; effective: Decimal } {
  const type = instanceTypes[node.instanceType];
  const list = new Decimal(type.onDemandUsdPerHour);
  if (node.pricing === 'savings-plan')
    return { list, billed: new Decimal(0), effective: new Decimal(type.savingsPlanUsdPerHour) };
  const rate = node.pricing === 'spot' ? list.times(spotShare).toDecimalPlaces(4) : list;
  return { list, billed: rate, effective: rate };
}

/** AWS Business Support: 10% of the first $10K of charges, 7% to $80K, 5% to $250K, 3% above; at least $100. */
function businessSupport(charges: Decimal): Decimal {
  const slice = (from: number, to: number): Decimal => Decimal.max(0, Decimal.min(charges, to).minus(from));
  const fee = slice(0, 10_000)
    .times('0.10')
    .plus(slice(10_000, 80_000).times('0.07'))
    .plus(slice(80_000, 250_000).times('0.05'))
    .plus(slice(250_000, Infinity).times('0.03'));
  return Decimal.max(fee, 100).toDecimalPlaces(2);
}

describe('the demo bill, summed independently', () => {
  let dir: string;
  const files: Record<string, { header: string[]; rows: Row[] }> = {};
  const dailyFiles: Record<string, Row[]> = {};
  // The whole of October 2026 (744 hours) and November to 2 Nov 06:30 (30 whole hours).
  const hoursIn = { '2026-10': 744, '2026-11': 30 } as const;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'focus-bill-'));
    const window = { fromMs: Date.UTC(2026, 9, 1), toMs: Date.UTC(2026, 10, 2, 6, 30), seed: 11 };
    for (const file of await writeFocusExports({ dir, ...window })) {
      const parsed = Papa.parse<Row>(await readFile(file, 'utf8'), { header: true, skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      files[path.basename(file).slice(6, 13)] = { header: parsed.meta.fields!, rows: parsed.data };
    }
    for (const file of await writeFocusExports({ dir: path.join(dir, 'daily'), ...window, granularity: 'daily' })) {
      dailyFiles[path.basename(file).slice(6, 13)] = Papa.parse<Row>(await readFile(file, 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
    }
  }, 180_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('bills every node each hour of each month under its instance id, at its rate', () => {
    for (const [month, hours] of Object.entries(hoursIn)) {
      const ec2 = files[month]!.rows.filter(
        (r) => r.ServiceName === 'Amazon Elastic Compute Cloud' && r.ChargeCategory === 'Usage',
      );
      const byResource = new Map<string, Row[]>();
      for (const r of ec2) {
        if (!byResource.has(r.ResourceId!)) byResource.set(r.ResourceId!, []);
        byResource.get(r.ResourceId!)!.push(r);
      }
      for (const node of nodes) {
        const lines = byResource.get(node.instanceId) ?? [];
        expect(new Set(lines.map((r) => r.ChargePeriodStart)).size, `${node.name} in ${month}`).toBe(hours);
        // e.g. the spot p4d.24xlarge in October: 744 h × round(32.7726 × 0.30, 4) = 744 × 9.8318 = 7,314.8592
        // billed and effective, against 744 × 32.7726 = 24,382.8144 at list.
        const rates = hourlyRates(node);
        expect(sum(lines, 'ListCost').equals(rates.list.times(hours)), node.name).toBe(true);
        expect(sum(lines, 'BilledCost').equals(rates.billed.times(hours)), node.name).toBe(true);
        expect(sum(lines, 'EffectiveCost').equals(rates.effective.times(hours)), node.name).toBe(true);
      }
      expect(new Set(ec2.map((r) => r.ResourceId))).toEqual(new Set(nodes.map((n) => n.instanceId)));
    }
  });

  it('has savings-plan and spot lines below list, spot priced Dynamic', () => {
    const rows = Object.values(files).flatMap((f) => f.rows);
    const discounted = rows.filter(
      (r) => new Decimal(r.EffectiveCost!).lessThan(r.ListCost!) && r.ChargeCategory === 'Usage',
    );
    expect(new Set(discounted.map((r) => r.PricingCategory))).toEqual(new Set(['Committed', 'Dynamic']));
    const spot = rows.filter((r) => r.PricingCategory === 'Dynamic');
    expect(spot.length).toBeGreaterThan(0);
    for (const r of spot) {
      expect(r.ChargeDescription).toContain('Spot Instance-hour');
      expect(new Decimal(r.BilledCost!).equals(new Decimal(r.ListCost!).times(spotShare).toDecimalPlaces(4))).toBe(
        true,
      );
    }
    const spotNodes = new Set(nodes.filter((n) => n.pricing === 'spot').map((n) => n.instanceId));
    expect(new Set(spot.map((r) => r.ResourceId))).toEqual(spotNodes);
  });

  it('adds up per ChargeCategory to what the demo intends, per month', () => {
    for (const [month, hours] of Object.entries(hoursIn)) {
      const { rows } = files[month]!;
      const byCategory = (c: string): Row[] => rows.filter((r) => r.ChargeCategory === c);
      const complete = month === '2026-10';
      const monthShare = new Decimal(hours).div(complete ? 744 : 720);
      // Usage: node hours at their billed rate, EKS at $0.10/h per cluster, EBS 500 GB per GPU node and 100 GB
      // otherwise at $0.08/GB-month, one 40,000 GB bucket per account at $0.023 (= $920 a month), the database at
      // $1.798/h, and the refund of 24 database hours (−$43.152); data transfer is random, checked line by line.
      const dataTransfer = rows.filter((r) => r.ServiceName === 'AWS Data Transfer');
      for (const r of dataTransfer) {
        expect(
          new Decimal(r.BilledCost!).equals(
            new Decimal(r.PricingQuantity!).times(dataTransferUsdPerGb).toDecimalPlaces(10),
          ),
        ).toBe(true);
      }
      const nodeUsage = nodes.reduce((s, n) => s.plus(hourlyRates(n).billed.times(hours)), new Decimal(0));
      const eks = clusters.reduce((s, c) => s.plus(new Decimal(c.controlPlaneUsdPerHour).times(hours)), new Decimal(0));
      const ebsGb = nodes.reduce((s, n) => s + (instanceTypes[n.instanceType].gpuCount > 0 ? 500 : 100), 0);
      const ebs = ebsUsdPerGbMonth.times(ebsGb).times(monthShare);
      const s3 = s3UsdPerGbMonth.times(s3BucketGb).times(clusters.length).times(monthShare);
      const rds = rdsUsdPerHour.times(hours).minus(rdsUsdPerHour.times(24));
      const usage = nodeUsage.plus(eks).plus(ebs).plus(s3).plus(rds).plus(sum(dataTransfer));
      expect(near(sum(byCategory('Usage')), usage), `Usage ${month}`).toBe(true);
      // Purchase: the savings plans' hourly commitment (their nodes' effective rates), then support on all
      // charges but the refund.
      const commitment = nodes
        .filter((n) => n.pricing === 'savings-plan')
        .reduce(
          (s, n) => s.plus(new Decimal(instanceTypes[n.instanceType].savingsPlanUsdPerHour).times(hours)),
          new Decimal(0),
        );
      const support = businessSupport(usage.plus(rdsUsdPerHour.times(24)).plus(commitment));
      expect(near(sum(byCategory('Purchase')), commitment.plus(support)), `Purchase ${month}`).toBe(true);
      // Tax: 6% of each account's charges, to the cent; one promotional credit of −$250.
      const billedBeforeTax = usage.plus(commitment).plus(support);
      const taxes = byCategory('Tax').map((r) => new Decimal(r.BilledCost!));
      expect(taxes).toHaveLength(clusters.length);
      expect(
        Decimal.sum(...taxes)
          .minus(billedBeforeTax.times('0.06'))
          .abs()
          .lessThanOrEqualTo(new Decimal('0.005').times(clusters.length)),
      ).toBe(true);
      expect(byCategory('Credit').map((r) => r.BilledCost)).toEqual(['-250.00']);
      expect(byCategory('Adjustment')).toEqual([]);
    }
  });

  it("refunds last month's database hours as a correction, and bills support with no resource", () => {
    for (const month of Object.keys(hoursIn)) {
      const corrections = files[month]!.rows.filter((r) => r.ChargeClass === 'Correction');
      expect(corrections).toHaveLength(1);
      const refund = corrections[0]!;
      expect(refund).toMatchObject({ ChargeCategory: 'Usage', BilledCost: '-43.1520000000', PricingQuantity: '-24' });
      expect(refund.ResourceId).toMatch(/^arn:aws:rds:/);
      // Its charge period lies in the billing period before this one.
      expect(refund.ChargePeriodEnd! <= refund.BillingPeriodStart!).toBe(true);
      expect(new Date(refund.ChargePeriodStart!).getUTCMonth()).toBe(
        (new Date(refund.BillingPeriodStart!).getUTCMonth() + 11) % 12,
      );
      const support = files[month]!.rows.filter((r) => r.ServiceName === 'AWS Support (Business)');
      expect(support).toHaveLength(1);
      expect(support[0]).toMatchObject({ ChargeCategory: 'Purchase', ChargeFrequency: 'Recurring', ResourceId: '' });
    }
  });

  it('has lines that no node matches: a managed database and object storage, with no cluster tag', () => {
    const rows = Object.values(files).flatMap((f) => f.rows);
    const nodeIds = new Set(nodes.flatMap((n) => [n.instanceId, `vol-${n.instanceId.slice(2)}`]));
    const unmatched = rows.filter(
      (r) => r.ResourceId && !nodeIds.has(r.ResourceId) && !(r.Tags ?? '').includes('eks:cluster-name'),
    );
    const services = new Set(unmatched.map((r) => r.ServiceName));
    expect(services).toEqual(
      new Set([
        'Amazon Relational Database Service',
        'Amazon Simple Storage Service',
        'Savings Plans for AWS Compute usage',
      ]),
    );
    expect(sum(unmatched.filter((r) => r.ServiceName !== 'Savings Plans for AWS Compute usage')).greaterThan(0)).toBe(
      true,
    );
  });

  it('writes October in FOCUS 1.2 and November in FOCUS 1.3, following the specification of each', () => {
    const added = ['ContractApplied', 'HostProviderName', 'ServiceProviderName'];
    const october = files['2026-10']!;
    const november = files['2026-11']!;
    expect(october.header.filter((c) => added.includes(c))).toEqual([]);
    // 1.3 deprecates ProviderName and PublisherName but still requires them.
    expect(november.header).toEqual(expect.arrayContaining([...added, 'ProviderName', 'PublisherName']));
    expect(november.header).toEqual([...november.header].sort());
    const broken = (rows: Row[], rule: (r: Row) => boolean): Row[] => rows.filter((r) => !rule(r));
    expect(
      broken(
        november.rows,
        (r) =>
          r.ServiceProviderName === 'AWS' &&
          r.ContractApplied === '' &&
          r.HostProviderName === (r.ChargeCategory === 'Usage' ? 'AWS' : 'Not Applicable'),
      ),
    ).toEqual([]);
    const all = [...october.rows, ...november.rows];
    expect(broken(all, (r) => r.ChargeClass === '' || r.ChargeClass === 'Correction')).toEqual([]);
    expect(broken(all, (r) => r.ChargeCategory !== 'Tax' || r.PricingCategory === '')).toEqual([]);
    const priced = all.filter(
      (r) => ['Usage', 'Purchase'].includes(r.ChargeCategory!) && r.ChargeClass !== 'Correction',
    );
    expect(broken(priced, (r) => ['Standard', 'Committed', 'Dynamic'].includes(r.PricingCategory!))).toEqual([]);
  });

  it('bills the same per node and per category at daily granularity, one line per node and day', () => {
    const days = { '2026-10': 31, '2026-11': 2 } as const;
    for (const [month, dayCount] of Object.entries(days)) {
      const daily = dailyFiles[month]!;
      for (const node of nodes) {
        const hourly = files[month]!.rows.filter((r) => r.ResourceId === node.instanceId);
        const lines = daily.filter((r) => r.ResourceId === node.instanceId);
        expect(lines).toHaveLength(dayCount);
        for (const column of ['ListCost', 'BilledCost', 'EffectiveCost'])
          expect(sum(lines, column).equals(sum(hourly, column))).toBe(true);
      }
      for (const category of ['Usage', 'Purchase', 'Tax', 'Credit']) {
        const of = (rows: Row[]): Row[] => rows.filter((r) => r.ChargeCategory === category);
        expect(sum(of(daily)).equals(sum(of(files[month]!.rows))), `${category} ${month}`).toBe(true);
      }
    }
  });
});
